/// Parsing and printing amounts of money held as integer cents, so that
/// costs add up exactly.
public enum Money {
    /// Parses `100`, `99.9` or `99.99` into cents; nil for a negative
    /// amount, more than two decimals, a comma (decimal or grouping: it is
    /// ambiguous), more than ``Limits/maxCostCents`` or anything not a number.
    public static func cents(from text: String) -> Int64? {
        var units: Int64 = 0, fraction: Int64 = 0, fractionDigits = 0
        var seenDigit = false, inFraction = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - 48)
                seenDigit = true
                if inFraction {
                    fractionDigits += 1
                    guard fractionDigits <= 2 else { return nil }
                    fraction = fraction * 10 + digit
                } else {
                    // Bounded long before Int64 could overflow.
                    guard units <= Limits.maxCostCents / 100 else { return nil }
                    units = units * 10 + digit
                }
            case UInt8(ascii: "."):
                guard !inFraction else { return nil }
                inFraction = true
            default:
                return nil
            }
        }
        guard seenDigit, units <= Limits.maxCostCents / 100 else { return nil }
        if fractionDigits == 1 { fraction *= 10 }
        let cents = units * 100 + fraction
        return cents <= Limits.maxCostCents ? cents : nil
    }

    /// `12345` → `123.45`; always two decimals, no grouping, so it reads back.
    public static func format(cents: Int64) -> String {
        let sign = cents < 0 ? "-" : "", magnitude = cents.magnitude
        let rest = magnitude % 100
        return "\(sign)\(magnitude / 100).\(rest < 10 ? "0" : "")\(rest)"
    }
}

/// Number formatting shared by every report.
public enum NumberText {
    /// `1204` → `1,204`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// A value with exactly `decimals` decimals, rounded half away from zero
    /// (`oneDecimal(66.66)` → `66.7`).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        // Fifteen decimals is all a Double can hold; more would overflow the scale.
        let decimals = min(max(decimals, 0), 15)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale + 0.5).rounded(.down)
        // Beyond 2^53 a Double has no decimals to show, and Int64 would trap.
        guard scaled.isFinite, scaled < 9e15 else { return String(value) }
        let negative = value < 0 && scaled > 0
        // Digits written from the right into one buffer, the point after
        // `decimals` of them, zeros until there is one before it; a string
        // made once (reports write one per row).
        var n = UInt64(scaled)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var at = digits.count, written = 0
            repeat {
                at -= 1
                digits[at] = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
                n /= 10
                written += 1
                if written == decimals {
                    at -= 1
                    digits[at] = UInt8(ascii: ".")
                }
            } while n > 0 || written <= decimals
            if negative {
                at -= 1
                digits[at] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: digits[at...]), as: UTF8.self)
        }
    }

    /// A number as the shortest text that reads back (`1.5`, `3`).
    public static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Parses a non-negative decimal such as `3` or `1.5`; nil otherwise.
    public static func nonNegativeDecimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 }),
            text.utf8.filter({ $0 == 46 }).count <= 1, text.utf8.first != 46, text.utf8.last != 46,
            let value = Double(text)
        else { return nil }
        return value
    }

    /// Parses a whole number without sign, such as `40`; nil otherwise.
    public static func nonNegativeInteger(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }
}
