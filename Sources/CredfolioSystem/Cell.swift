public import CredfolioCore

/// One cell of a report, typed so that JSON gets numbers and booleans and
/// CSV leaves numbers unquoted and unneutralised.
public enum Cell: Sendable {
    case text(String?)
    case integer(Int64?)
    /// A decimal already formatted (money, percents), kept exact.
    case decimal(String?)
    case bool(Bool)
    case day(Day?)
    /// A number that is not known (a credential's hours, cost or weeks):
    /// "unknown" in a table, an empty CSV cell, JSON null. Never 0.
    case unknown

    /// A whole number, or money in cents, or ``unknown`` when it is nil.
    public static func known(_ value: Int64?) -> Cell { value.map { .integer($0) } ?? .unknown }
    public static func knownCost(_ cents: Int64?) -> Cell { cents.map { .decimal(Money.format(cents: $0)) } ?? .unknown }
    /// Every way a credential is offered (`in-person;online`), or ``unknown``.
    public static func deliveries(_ modes: [DeliveryFormat]) -> Cell {
        modes.isEmpty ? .unknown : .text(DeliveryFormat.listText(modes))
    }
    /// Months, `never`, or ``unknown``.
    public static func validity(_ validity: Validity) -> Cell {
        switch validity {
        case .months(let m): return .integer(m)
        case .never: return .text("never")
        case .unknown: return .unknown
        }
    }

    public var display: String {
        switch self {
        case .text(let t): return t ?? ""
        case .integer(let i): return i.map { String($0) } ?? ""
        case .decimal(let d): return d ?? ""
        case .bool(let b): return b ? "yes" : "no"
        case .day(let d): return d?.description ?? ""
        case .unknown: return "unknown"
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .integer, .decimal, .unknown: return true
        default: return false
        }
    }

    public var json: JSONValue {
        switch self {
        case .text(let t): return .optional(t)
        case .integer(let i): return i.map(JSONValue.integer) ?? .null
        case .decimal(let d): return d.flatMap(Double.init).map(JSONValue.number) ?? .null
        case .bool(let b): return .bool(b)
        case .day(let d): return .optional(d?.description)
        case .unknown: return .null
        }
    }

    /// The columns `text` takes in a table: its bytes when it is ASCII
    /// (the common case, without walking grapheme clusters), else its characters.
    /// How many terminal columns `text` takes (``DisplayWidth``).
    public static func width(_ text: String) -> Int {
        DisplayWidth.of(text)
    }

    /// What a table shows: ``display``, cut to ``DisplayWidth/tableCell``
    /// columns with `…` when it is wider (CSV and JSON keep every cell whole).
    public var tableText: String {
        DisplayWidth.cut(display, to: DisplayWidth.tableCell)
    }

    /// The cell as a JSON value, appended as bytes: what `json` serialises to.
    public func appendJSON(to bytes: inout [UInt8]) {
        switch self {
        case .text(let t?): JSONValue.appendString(t, to: &bytes)
        case .integer(let i?): bytes += String(i).utf8
        case .decimal(let d?):
            if let value = Double(d), value.isFinite { bytes += NumberText.plain(value).utf8 } else { bytes += "null".utf8 }
        case .bool(let b): bytes += (b ? "true" : "false").utf8
        case .day(let d?): bytes.append(0x22); d.appendISO(to: &bytes); bytes.append(0x22)
        case .text(nil), .integer(nil), .decimal(nil), .day(nil), .unknown: bytes += "null".utf8
        }
    }

    /// The cell as a CSV field, appended as bytes: text quoted and
    /// neutralised as needed, numbers, booleans and days as they are.
    public func appendCSV(to bytes: inout [UInt8]) {
        switch self {
        case .text(let t?): CSVCell.appendText(t, to: &bytes)
        case .integer(let i?): bytes += String(i).utf8
        case .decimal(let d?): bytes += d.utf8
        case .bool(let b): bytes += (b ? "true" : "false").utf8
        case .day(let d?): d.appendISO(to: &bytes)
        case .text(nil), .integer(nil), .decimal(nil), .day(nil), .unknown: break
        }
    }

    /// A whole row as a CSV line, appended as bytes.
    public static func appendCSV(_ row: [Cell], to bytes: inout [UInt8]) {
        for (i, cell) in row.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            cell.appendCSV(to: &bytes)
        }
        bytes.append(0x0A)
    }
}
