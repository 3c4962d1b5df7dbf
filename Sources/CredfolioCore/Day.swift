#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar date (proleptic Gregorian, no time, no zone), written in ISO
/// 8601 as `YYYY-MM-DD`. Stored as the number of days since 1970-01-01 so
/// that comparing and subtracting are integer operations.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// The date, or nil when it does not exist (2026-02-30, month 13) or the
    /// year is outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= Day.daysIn(month: month, year: year)
        else { return nil }
        daysSinceEpoch = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD`; anything else (`26-1-1`, `2026-1-01`,
    /// `2026-02-30`, trailing text) is nil.
    public init?(iso text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Day.parse($0) }) else { return nil }
        self = parsed
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let digit = Int(bytes[i]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) {
        Day.civil(fromDays: Int(daysSinceEpoch))
    }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the day as `YYYY-MM-DD` (what ``description`` is), without
    /// building a string: reports write millions of them.
    public func appendISO(to bytes: inout [UInt8]) {
        withISOBytes { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with the day as `YYYY-MM-DD` (what ``description`` is),
    /// in bytes on the stack: a writer of its own copies them in one piece.
    public func withISOBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let (y, m, d) = components
        guard (0...9999).contains(y) else {
            // Only a hand-built value lies outside the years credfolio reads.
            var bytes: [UInt8] = []
            if y < 0 { bytes.append(0x2D) }
            Day.appendPadded(y.magnitude, width: 4, to: &bytes)
            bytes.append(0x2D)
            Day.appendPadded(m.magnitude, width: 2, to: &bytes)
            bytes.append(0x2D)
            Day.appendPadded(d.magnitude, width: 2, to: &bytes)
            return try bytes.withUnsafeBytes(body)
        }
        // The common case, ten bytes in one piece: a report writes millions of days.
        func digit(_ value: Int) -> UInt8 { 0x30 &+ UInt8(truncatingIfNeeded: value) }
        var text: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            digit(y / 1000), digit(y / 100 % 10), digit(y / 10 % 10), digit(y % 10), 0x2D,
            digit(m / 10), digit(m % 10), 0x2D, digit(d / 10), digit(d % 10))
        return try withUnsafeBytes(of: &text) { try body($0) }
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    private static func appendPadded(_ value: UInt, width: Int, to bytes: inout [UInt8]) {
        var divisor: UInt = 1, digits = 1
        while value / divisor >= 10 { divisor *= 10; digits += 1 }
        if digits < width { bytes += repeatElement(0x30, count: width - digits) }
        while divisor > 0 {
            bytes.append(0x30 &+ UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// The first day credfolio handles, 0001-01-01.
    public static let first = Day(daysSinceEpoch: -719_162)
    /// The last day credfolio handles, 9999-12-31.
    public static let last = Day(daysSinceEpoch: 2_932_896)

    /// The day `days` later (earlier when negative), or nil when it falls
    /// outside 0001-01-01...9999-12-31.
    public func adding(days: Int) -> Day? {
        guard days.magnitude <= 4_000_000 else { return nil }
        let result = Int(daysSinceEpoch) + days
        guard result >= Int(Day.first.daysSinceEpoch), result <= Int(Day.last.daysSinceEpoch) else { return nil }
        return Day(daysSinceEpoch: Int32(result))
    }

    /// The same day `months` later; a day that the target month lacks is
    /// clamped to its last day (2024-01-31 + 1 month = 2024-02-29), which is
    /// how validity periods are counted by certification bodies. Nil when
    /// the result falls outside 0001-01-01...9999-12-31.
    public func adding(months: Int) -> Day? {
        guard months.magnitude <= 200_000 else { return nil }
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let year = total / 12, month = total % 12 + 1
        guard total >= 12, year <= 9999 else { return nil }
        let day = min(d, Day.daysIn(month: month, year: year))
        return Day(year: year, month: month, day: day)
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: Day) -> Int {
        Int(other.daysSinceEpoch) - Int(daysSinceEpoch)
    }

    /// Today in the local time zone.
    public static func today() -> Day {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return Day(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date: count whole 400-year eras
    /// (146,097 days each) from 0000-03-01, so that the leap day falls at
    /// the end of each computed year.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysFromCivil(year:month:day:)``.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
