/// Parsing and checking one user-supplied value. Every failure reads
/// `name "value" reason`, so that the command line prints it as it is and an
/// import prefixes it with `file:line: `.
public enum Field {
    /// The "not found" error for `value` among `known`, with the nearest
    /// known value when one is near (``nearest(to:among:)``):
    /// `no stack "DATA"; did you mean data?`.
    public static func notFound(_ what: String, _ value: String, among known: some Sequence<String>) -> CredfolioError {
        CredfolioError.notFound("no \(what) \(quoted(value))" + (nearest(to: value, among: known).map { "; did you mean \($0)?" } ?? ""))
    }

    /// The known value a user most likely meant by `value`: one that
    /// differs only in ASCII case (the first in byte order, as SQLite's
    /// `NOCASE` finds it); else the nearest by edits of characters (a
    /// character added, dropped, changed, or two swapped), at most one edit
    /// for a value of up to four characters and two for a longer one, the
    /// first in byte order among the nearest; nil when none is that near.
    public static func nearest(to value: String, among known: some Sequence<String>) -> String? {
        let folded = asciiLowercased(value)
        let target = Array(value.lowercased().unicodeScalars)
        let limit = target.count <= 4 ? 1 : 2
        var caseMatch: String?, best: (distance: Int, value: String)?
        for candidate in known {
            func precedes(_ a: String, _ b: String?) -> Bool { b.map { a.utf8.lexicographicallyPrecedes($0.utf8) } ?? true }
            if asciiLowercased(candidate) == folded {
                if precedes(candidate, caseMatch) { caseMatch = candidate }
                continue
            }
            guard caseMatch == nil else { continue }
            let scalars = Array(candidate.lowercased().unicodeScalars)
            guard abs(scalars.count - target.count) <= limit,
                  let distance = editDistance(target, scalars, limit: best.map { min($0.distance, limit) } ?? limit) else { continue }
            if best.map({ distance < $0.distance || (distance == $0.distance && precedes(candidate, $0.value)) }) ?? true {
                best = (distance, candidate)
            }
        }
        return caseMatch ?? best?.value
    }

    /// The optimal string alignment distance (insertions, deletions,
    /// substitutions and swaps of neighbours) between `a` and `b`, or nil
    /// when it is over `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) <= limit ? max(a.count, b.count) : nil }
        var before = [Int](repeating: 0, count: b.count + 1), previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                var cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cost = min(cost, before[j - 2] + 1) }
                current[j] = cost
                rowMinimum = min(rowMinimum, cost)
            }
            // Every later row is at least this row's least: stop once it is over the limit.
            if rowMinimum > limit { return nil }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }

    private static func asciiLowercased(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }

    public static func quoted(_ text: String) -> String {
        let shown = text.utf8.count > 60 ? String(text.prefix(57)) + "..." : text
        var out = ""
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // C0 and C1 controls, and DEL: none reaches a terminal as it is.
            // Format characters (zero-width ones among them) would show as nothing: written as codes too.
            case _ where scalar.isTerminalControl || scalar.properties.generalCategory == .format: out += scalar.escapedCode
            default: out.unicodeScalars.append(scalar)
            }
        }
        return "\"\(out)\""
    }

    public static func fail(_ name: String, _ text: String, _ reason: String) -> CredfolioError {
        .invalid("\(name) \(quoted(text)) \(reason)")
    }

    /// A code or handle: valid (``Slug/isValid(_:)``), and in its composed form (``Slug/composed(_:)``).
    public static func slug(_ text: String, _ name: String) throws(CredfolioError) -> String {
        guard Slug.isValid(text) else { throw fail(name, text, "is not a valid code (\(Slug.rule))") }
        return Slug.composed(text)
    }

    /// A name or a title: required text on one line (no tab or line break either).
    public static func line(_ text: String, _ name: String, maxBytes: Int = 1000) throws(CredfolioError) -> String {
        let text = try self.text(text, name, maxBytes: maxBytes)
        guard !text.unicodeScalars.contains(where: { $0 == "\t" || $0.properties.generalCategory == .lineSeparator
                                                   || $0.properties.generalCategory == .paragraphSeparator || $0 == "\n" || $0 == "\r"
                                                   || $0 == "\u{85}" }) else {
            throw fail(name, text, "holds a tab or a line break: a \(name) is one line")
        }
        return text
    }

    /// Required text: not empty, no control characters but tab and newline.
    public static func text(_ text: String, _ name: String, maxBytes: Int = 1000) throws(CredfolioError) -> String {
        guard !text.isEmpty else { throw CredfolioError.invalid("\(name) is empty") }
        return try optionalText(text, name, maxBytes: maxBytes)!
    }

    /// Optional text: empty becomes nil.
    public static func optionalText(_ text: String?, _ name: String, maxBytes: Int = 1000) throws(CredfolioError) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.count <= maxBytes else {
            throw fail(name, text, "is longer than \(NumberText.grouped(maxBytes)) bytes")
        }
        // C0 controls and DEL are single ASCII bytes in UTF-8: scan bytes; the rest only when there are non-ASCII bytes.
        guard !text.withUTF8Bytes({ $0.contains { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) || $0 == 0x7F } }) else {
            throw fail(name, text, "holds a control character")
        }
        let nonASCII = text.withUTF8Bytes { $0.contains { $0 >= 0x80 } }
        // C1 controls, and the bidirectional overrides, embeddings and isolates, which reorder how a
        // terminal or a page shows what follows them (Trojan Source): refused as controls are.
        if nonASCII, text.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                                                         || (0x2066...0x2069).contains($0.value) }) {
            throw fail(name, text, "holds a control character")
        }
        return text
    }

    public static func day(_ text: String, _ name: String) throws(CredfolioError) -> Day {
        guard let day = Day(iso: text) else { throw fail(name, text, "is not a date (YYYY-MM-DD)") }
        return day
    }

    public static func optionalDay(_ text: String?, _ name: String) throws(CredfolioError) -> Day? {
        guard let text, !text.isEmpty else { return nil }
        return try day(text, name)
    }

    /// A comma in a number is never guessed at: `49,99` may be a decimal
    /// comma or a thousands separator, and either guess can be 100 times off.
    static func refuseComma(_ text: String, _ name: String) throws(CredfolioError) {
        if text.utf8.contains(UInt8(ascii: ",")) {
            throw fail(name, text, "has a comma: write decimals with a dot and no thousands separators (such as 1299.99)")
        }
    }

    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// A whole number from 0 to `max`.
    public static func wholeNumber(_ text: String, _ name: String, max: Int64) throws(CredfolioError) -> Int64 {
        try refuseComma(text, name)
        guard let value = NumberText.nonNegativeInteger(text) else {
            if text.hasPrefix("-") { throw fail(name, text, "is negative") }
            if isDigits(text) { throw fail(name, text, "is more than \(NumberText.grouped(Int(max)))") }
            throw fail(name, text, "is not a whole number")
        }
        guard value <= max else { throw fail(name, text, "is more than \(NumberText.grouped(Int(max)))") }
        return value
    }

    /// An optional whole number from 0 (1 with `positive`) to `max`; empty is nil.
    public static func optionalWholeNumber(_ text: String?, _ name: String, max: Int64, positive: Bool = false) throws(CredfolioError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        let value = try wholeNumber(text, name, max: max)
        if positive && value == 0 { throw fail(name, text, "must be at least 1") }
        return value
    }

    /// A decimal such as `3` or `1.5`, from 0 to `max`.
    public static func decimal(_ text: String, _ name: String, max: Double) throws(CredfolioError) -> Double {
        try refuseComma(text, name)
        guard let value = NumberText.nonNegativeDecimal(text) else {
            throw fail(name, text, text.hasPrefix("-") ? "is negative" : "is not a number (such as 3 or 1.5)")
        }
        guard value <= max else { throw fail(name, text, "is more than \(NumberText.plain(max))") }
        return value
    }

    /// An amount of money in currency units with at most two decimals, at
    /// most ``Limits/maxCostCents``, as cents.
    public static func cents(_ text: String, _ name: String) throws(CredfolioError) -> Int64 {
        try refuseComma(text, name)
        guard let cents = Money.cents(from: text) else {
            if text.hasPrefix("-") { throw fail(name, text, "is negative") }
            let digitsAndDot = !text.isEmpty && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 }
            if digitsAndDot, let value = Double(text), value > Double(Limits.maxCostCents / 100) {
                throw fail(name, text, "is more than \(NumberText.grouped(Int(Limits.maxCostCents / 100)))")
            }
            throw fail(name, text, "is not an amount (such as 49 or 49.99)")
        }
        return cents
    }

    /// A study pace in hours a week: a number from 0.01 to 168.
    public static func pace(_ text: String, _ name: String = "pace") throws(CredfolioError) -> Double {
        try refuseComma(text, name)
        if text.hasPrefix("-") { throw fail(name, text, "must be greater than 0") }
        guard let value = NumberText.nonNegativeDecimal(text) else {
            throw fail(name, text, "is not a number of hours a week (such as 8 or 7.5)")
        }
        guard value > 0 else { throw fail(name, text, "must be greater than 0") }
        guard value >= Limits.minPace else { throw fail(name, text, "is less than \(NumberText.plain(Limits.minPace)) hours a week") }
        guard value <= Limits.maxPace else { throw fail(name, text, "is more than \(NumberText.plain(Limits.maxPace)) hours a week (the hours in a week)") }
        return value
    }

    /// The credential fields that the command line and the CSV import both
    /// read, each with its documented range.
    public static func hours(_ text: String) throws(CredfolioError) -> Int64 {
        try wholeNumber(text, "hours", max: Limits.maxHours)
    }

    public static func weeks(_ text: String) throws(CredfolioError) -> Int64 {
        try wholeNumber(text, "weeks", max: Limits.maxWeeks)
    }

    public static func credits(_ text: String) throws(CredfolioError) -> Double {
        try decimal(text, "credits", max: Limits.maxCredits)
    }

    /// A number of months, `never`, or empty (or nil) for unknown.
    public static func validity(_ text: String?) throws(CredfolioError) -> Validity {
        if text?.trimmingSpaces() == "never" { return .never }
        return try optionalWholeNumber(text, "validity_months", max: Limits.maxValidityMonths, positive: true).map { .months($0) } ?? .unknown
    }

    /// A CTID: `ce-` and a UUID (8-4-4-4-12 hexadecimal digits), in any
    /// case; returned in lower case, the one form it is stored and compared in.
    public static func ctid(_ text: String) throws(CredfolioError) -> String {
        let lower = text.trimmingSpaces().lowercased()
        let bytes = Array(lower.utf8)
        let hyphens: Set<Int> = [11, 16, 21, 26]
        let valid = bytes.count == 39 && lower.hasPrefix("ce-") && bytes.indices.dropFirst(3).allSatisfy { i in
            hyphens.contains(i) ? bytes[i] == UInt8(ascii: "-")
                : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[i])
        }
        guard valid else { throw fail("ctid", text, "is not a CTID (ce- and a UUID, such as ce-936c2eff-441e-4608-b84d-a326b054af50)") }
        return lower
    }

    /// An O*NET-SOC occupation code: `15-1232` or `15-1232.00`.
    public static func occupation(_ text: String) throws(CredfolioError) -> String {
        let code = text.trimmingSpaces()
        let bytes = Array(code.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) } }
        let valid = (bytes.count == 7 || bytes.count == 10) && digits(0..<2) && bytes[2] == UInt8(ascii: "-") && digits(3..<7)
            && (bytes.count == 7 || (bytes[7] == UInt8(ascii: ".") && digits(8..<10)))
        guard valid else { throw fail("occupation", text, "is not an O*NET-SOC code (such as 15-1232.00)") }
        return code
    }

    /// Delivery modes separated by `;` (`in-person;online`), in any order;
    /// empty is unknown. Returned once each, in ``DeliveryFormat`` order.
    public static func deliveries(_ text: String, _ name: String = "format") throws(CredfolioError) -> [DeliveryFormat] {
        var modes = Set<DeliveryFormat>()
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            let mode = String(part).trimmingSpaces()
            if mode.isEmpty { continue }
            modes.insert(try choice(mode, name, as: DeliveryFormat.self))
        }
        return modes.sorted()
    }

    /// A time limit in seconds, from 0.1 to 3,600.
    public static func seconds(_ text: String, _ name: String) throws(CredfolioError) -> Double {
        let value = try decimal(text, name, max: 3_600)
        guard value >= 0.1 else { throw fail(name, text, "is less than 0.1 seconds") }
        return value
    }

    /// A count of rows, from 1 to 1,000,000,000.
    public static func count(_ text: String, _ name: String) throws(CredfolioError) -> Int {
        let value = try wholeNumber(text, name, max: 1_000_000_000)
        guard value >= 1 else { throw fail(name, text, "must be at least 1") }
        return Int(value)
    }

    /// A number of days from 0 to ``Limits/maxDays``.
    public static func days(_ text: String, _ name: String) throws(CredfolioError) -> Int {
        Int(try wholeNumber(text, name, max: Int64(Limits.maxDays)))
    }

    public static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ name: String, as type: T.Type) throws(CredfolioError) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) ?? T(rawValue: text.lowercased()) else {
            throw fail(name, text, "is not one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    public static func bool(_ text: String, _ name: String) throws(CredfolioError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "y", "1": return true
        case "false", "no", "n", "0", "": return false
        default: throw fail(name, text, "is not true or false")
        }
    }

    public static func email(_ text: String?, _ name: String = "email") throws(CredfolioError) -> String? {
        guard let text = try optionalText(text, name, maxBytes: 254) else { return nil }
        let ascii: Bool? = text.withUTF8Bytes { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            // Plain ASCII, the common case, checked byte by byte (a million addresses on import).
            let at = UInt8(ascii: "@"), dot = UInt8(ascii: ".")
            guard let first = bytes.firstIndex(of: at), bytes.lastIndex(of: at) == first, first > 0 else { return false }
            let domain = bytes[(first + 1)...]
            return domain.contains(dot) && domain.last != dot && !bytes.contains(where: isASCIISpace)
        }
        let valid: Bool
        if let ascii {
            valid = ascii
        } else {
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            valid = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasSuffix(".")
                && !containsWhitespace(text)
        }
        guard valid else { throw fail(name, text, "is not an email address") }
        return text
    }

    /// True when `text` has a white-space character: looked up in Unicode's
    /// tables only when the text is not plain ASCII (the common case, and a
    /// profile's hot spot when a million addresses are imported).
    static func containsWhitespace(_ text: String) -> Bool {
        let ascii: Bool? = text.withUTF8Bytes { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? bytes.contains(where: isASCIISpace) : nil
        }
        return ascii ?? text.contains { $0.isWhitespace }
    }

    /// ASCII white space: space, tab, line feed, vertical tab, form feed, carriage return.
    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    public static func currency(_ text: String, _ name: String = "currency") throws(CredfolioError) -> String {
        let upper = text.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw fail(name, text, "is not a three-letter currency code (such as USD)")
        }
        return upper
    }
}

extension Learner {
    /// The learner with every field checked; throws the first problem.
    public func validated() throws(CredfolioError) -> Learner {
        var copy = self
        copy.handle = try Field.slug(handle, "handle")
        copy.name = try Field.line(name, "name")
        copy.email = try Field.email(email)
        copy.cohort = try Field.optionalText(cohort, "cohort", maxBytes: 100)
        copy.notes = try Field.optionalText(notes, "notes", maxBytes: 100_000) ?? ""
        if let pace, !(pace >= Limits.minPace && pace <= Limits.maxPace) {
            throw Field.fail("pace", NumberText.plain(pace), "is not from 0.01 to 168 hours a week")
        }
        return copy
    }
}

extension Skill {
    public func validated() throws(CredfolioError) -> Skill {
        var copy = self
        copy.code = try Field.slug(code, "code")
        copy.name = try Field.line(name, "name")
        copy.category = try Field.optionalText(category, "category")
        copy.framework = try Field.optionalText(framework, "framework")
        copy.frameworkID = try Field.optionalText(frameworkID, "framework_id")
        if copy.frameworkID != nil && copy.framework == nil {
            throw CredfolioError.invalid("framework_id \(Field.quoted(frameworkID!)) needs a framework")
        }
        return copy
    }
}

extension Credential {
    public func validated() throws(CredfolioError) -> Credential {
        var copy = self
        copy.code = try Field.slug(code, "code")
        copy.title = try Field.line(title, "title")
        copy.issuer = try Field.optionalText(issuer, "issuer")
        copy.level = try Field.optionalText(level, "level")
        copy.accreditation = try Field.optionalText(accreditation, "accreditation")
        copy.url = try Field.optionalText(url, "url", maxBytes: 2000)
        copy.creditUnit = try Field.optionalText(creditUnit, "credit_unit", maxBytes: 40)
        copy.currency = try Field.currency(currency)
        if (copy.credits == nil) != (copy.creditUnit == nil) {
            throw CredfolioError.invalid(copy.credits == nil
                ? "credit_unit \(Field.quoted(copy.creditUnit!)) needs credits"
                : "credits \(NumberText.plain(copy.credits!)) need a credit_unit (such as ECTS or CEU)")
        }
        copy.ctid = try ctid.map { text throws(CredfolioError) in try Field.ctid(text) }
        copy.description = try Field.optionalText(description, "description", maxBytes: 20_000)
        copy.deliveries = Array(Set(deliveries)).sorted()
        try copy.checkRanges()
        copy.skills = Array(Set(try skills.map { skill throws(CredfolioError) in try Field.slug(skill, "skill") })).sorted()
        copy.occupations = Array(Set(try occupations.map { code throws(CredfolioError) in try Field.occupation(code) })).sorted()
        return copy
    }
}

extension Credential {
    /// Throws when a number is outside its documented range (see
    /// ``Limits``): what the engine relies on to add and date without
    /// trapping. Cheap enough to run over a whole catalog on every command.
    public func checkRanges() throws(CredfolioError) {
        func range(_ name: String, _ value: Int64, max: Int64, shown: () -> String, maxShown: () -> String) throws(CredfolioError) {
            guard value >= 0 else { throw Field.fail(name, shown(), "is negative") }
            guard value <= max else { throw Field.fail(name, shown(), "is more than \(maxShown())") }
        }
        if let hours {
            try range("hours", hours, max: Limits.maxHours, shown: { String(hours) },
                      maxShown: { NumberText.grouped(Int(Limits.maxHours)) })
        }
        if let costCents {
            try range("cost", costCents, max: Limits.maxCostCents, shown: { Money.format(cents: costCents) },
                      maxShown: { NumberText.grouped(Int(Limits.maxCostCents / 100)) })
        }
        if let weeks {
            try range("weeks", weeks, max: Limits.maxWeeks, shown: { String(weeks) }, maxShown: { NumberText.grouped(Int(Limits.maxWeeks)) })
        }
        if case .months(let validityMonths) = validity {
            guard validityMonths >= 1 else { throw Field.fail("validity_months", String(validityMonths), "must be at least 1") }
            try range("validity_months", validityMonths, max: Limits.maxValidityMonths, shown: { String(validityMonths) },
                      maxShown: { NumberText.grouped(Int(Limits.maxValidityMonths)) })
        }
        if let credits, !(credits >= 0 && credits <= Limits.maxCredits) {
            throw Field.fail("credits", NumberText.plain(credits), "is not a number from 0 to \(NumberText.plain(Limits.maxCredits))")
        }
    }
}

extension Award {
    public func validated() throws(CredfolioError) -> Award {
        var copy = self
        copy.evidenceURL = try Field.optionalText(evidenceURL, "evidence_url", maxBytes: 2000)
        copy.notes = try Field.optionalText(notes, "notes", maxBytes: 100_000) ?? ""
        switch status {
        case .earned:
            guard earnedOn != nil else {
                throw CredfolioError.invalid("status earned needs earned_on, the day it was earned")
            }
        case .planned, .inProgress:
            if let earnedOn {
                throw CredfolioError.invalid(
                    "status \(status.rawValue) cannot have earned_on \(earnedOn); use status earned")
            }
        case .revoked:
            break
        }
        if let earnedOn, let expiresOn, expiresOn <= earnedOn {
            throw Field.fail("expires_on", expiresOn.description, "is not after earned_on \(earnedOn)")
        }
        if let startedOn, let earnedOn, startedOn > earnedOn {
            throw Field.fail("started_on", startedOn.description, "is after earned_on \(earnedOn)")
        }
        return copy
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes in one buffer: scanning
    /// them there skips the per-byte index work of `utf8` (native strings
    /// are contiguous; any other is copied once).
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
