public import CredfolioCore

/// How CTDL writes its values, read the same way whatever the record's
/// age: language maps or plain strings, concepts as strings or as
/// alignment objects, durations in ISO 8601.
public enum CTDLValue {
    /// The text of a language map (`{"en-US": "…"}`) or a plain string (the
    /// 2017 format), in `language`, else `en`, else `en-US`, else the first
    /// language the map gives; a list gives its first text. Nil when there
    /// is none, or it is empty.
    public static func text(_ value: JSONValue?, language: String = "en") -> String? {
        guard let value else { return nil }
        switch value {
        case .string(let text):
            return text.isEmpty ? nil : text
        case .array(let items):
            return items.lazy.compactMap { text($0, language: language) }.first
        case .object(let members):
            for preferred in [language, "en", "en-US"] {
                if let found = members.first(where: { $0.0 == preferred }).flatMap({ text($0.1, language: language) }) { return found }
            }
            return members.lazy.filter { !$0.0.hasPrefix("@") }.compactMap { text($0.1, language: language) }.first
        default:
            return nil
        }
    }

    /// Every text of a value in one language (chosen as ``text(_:language:)``
    /// chooses): a language map whose value is a list gives each item.
    public static func texts(_ value: JSONValue?, language: String = "en") -> [String] {
        guard let value else { return [] }
        switch value {
        case .string(let text): return text.isEmpty ? [] : [text]
        case .array(let items): return items.flatMap { texts($0, language: language) }
        case .object(let members):
            for preferred in [language, "en", "en-US"] {
                if let found = members.first(where: { $0.0 == preferred }) { return texts(found.1, language: language) }
            }
            return members.first(where: { !$0.0.hasPrefix("@") }).map { texts($0.1, language: language) } ?? []
        default: return []
        }
    }

    /// A concept's term in words: `AssociatesDegreeLevel` → `Associates Degree Level`.
    public static func words(_ term: String) -> String {
        var out = ""
        for character in term {
            if character.isUppercase, let last = out.last, !last.isUppercase, last != " " { out.append(" ") }
            out.append(character)
        }
        return out
    }

    /// A property's values as a list: CTDL writes one value bare or in an array.
    public static func list(_ value: JSONValue?) -> [JSONValue] {
        switch value {
        case .array(let items)?: return items
        case nil, .null?: return []
        case let single?: return [single]
        }
    }

    /// The concepts a property names, by their terms: `"deliveryType:InPerson"`
    /// and an alignment object whose `ceterms:targetNode` is
    /// `…/deliveryType:InPerson` or `…/InPerson` both give `InPerson`. A
    /// list gives each. An alignment object with no target node gives none.
    public static func concepts(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        switch value {
        case .string(let text):
            return term(text).map { [$0] } ?? []
        case .array(let items):
            return items.flatMap(concepts)
        case .object:
            return value["ceterms:targetNode"].map(concepts) ?? []
        default:
            return []
        }
    }

    /// The term after the last `:` or `/` of a concept's name.
    static func term(_ text: String) -> String? {
        let term = text.split(whereSeparator: { $0 == ":" || $0 == "/" }).last.map(String.init) ?? ""
        return term.isEmpty ? nil : term
    }
}

/// An ISO 8601 duration (`P9M`, `P2Y`, `P10W`, `PT160H`), in whole parts.
public struct CTDLDuration: Equatable, Sendable {
    public var years: Int64 = 0, months: Int64 = 0, weeks: Int64 = 0, days: Int64 = 0
    public var hours: Int64 = 0, minutes: Int64 = 0, seconds: Int64 = 0

    public init(years: Int64 = 0, months: Int64 = 0, weeks: Int64 = 0, days: Int64 = 0, hours: Int64 = 0, minutes: Int64 = 0,
                seconds: Int64 = 0) {
        (self.years, self.months, self.weeks, self.days) = (years, months, weeks, days)
        (self.hours, self.minutes, self.seconds) = (hours, minutes, seconds)
    }

    /// Reads `P[nY][nM][nW][nD][T[nH][nM][nS]]` with whole numbers of at
    /// most six digits; nil for anything else (a fraction, a sign, nothing
    /// after `P`).
    public init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        guard bytes.first == UInt8(ascii: "P"), bytes.count > 1 else { return nil }
        bytes = bytes.dropFirst()
        var inTime = false, number: Int64?, digits = 0, any = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 6 else { return nil }
                number = (number ?? 0) * 10 + Int64(byte - UInt8(ascii: "0"))
                continue
            case UInt8(ascii: "T"):
                guard !inTime, number == nil else { return nil }
                inTime = true
                continue
            default:
                guard let value = number else { return nil }
                switch (inTime, byte) {
                case (false, UInt8(ascii: "Y")): years = value
                case (false, UInt8(ascii: "M")): months = value
                case (false, UInt8(ascii: "W")): weeks = value
                case (false, UInt8(ascii: "D")): days = value
                case (true, UInt8(ascii: "H")): hours = value
                case (true, UInt8(ascii: "M")): minutes = value
                case (true, UInt8(ascii: "S")): seconds = value
                default: return nil
                }
                (number, digits, any) = (nil, 0, true)
            }
        }
        guard any, number == nil else { return nil }
    }

    /// Whether it has a date part (years, months, weeks or days).
    public var hasDate: Bool { years != 0 || months != 0 || weeks != 0 || days != 0 }

    /// Its calendar length in whole weeks, rounded up: a year is 52 weeks,
    /// a month 52/12, a day 1/7 (counted exactly, in 21sts of a week). Nil
    /// without a date part: a length in hours is study time, not a calendar.
    public var calendarWeeks: Int64? {
        guard hasDate else { return nil }
        let twentyFirsts = years * 52 * 21 + months * 13 * 7 + weeks * 21 + days * 3
        return (twentyFirsts + 20) / 21
    }

    /// Whole months, for a duration of years and months only (`P3Y` is 36);
    /// nil for any other.
    public var wholeMonths: Int64? {
        guard weeks == 0, days == 0, hours == 0, minutes == 0, seconds == 0, years != 0 || months != 0 else { return nil }
        return years * 12 + months
    }

    /// Its time part in whole hours, rounded up, when it has only a time
    /// part (`PT160H`); nil otherwise.
    public var wholeHours: Int64? {
        guard !hasDate, hours != 0 || minutes != 0 || seconds != 0 else { return nil }
        let totalSeconds = hours * 3600 + minutes * 60 + seconds
        return (totalSeconds + 3599) / 3600
    }
}
