import CredfolioApp
import CredfolioCore
import CredfolioSystem

/// The three output formats every list and report speaks.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns, for people.
    case table
    /// RFC 4180 with a header row, text cells neutralised, for spreadsheets.
    case csv
    /// An array of objects (one object for `show`), keys in column order.
    case json
}

/// One cell of a report, typed so that JSON gets numbers and booleans and
/// CSV leaves numbers unquoted and unneutralised.
enum Cell {
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
    static func known(_ value: Int64?) -> Cell { value.map { .integer($0) } ?? .unknown }
    static func knownCost(_ cents: Int64?) -> Cell { cents.map { .decimal(Money.format(cents: $0)) } ?? .unknown }

    var display: String {
        switch self {
        case .text(let t): return t ?? ""
        case .integer(let i): return i.map { String($0) } ?? ""
        case .decimal(let d): return d ?? ""
        case .bool(let b): return b ? "yes" : "no"
        case .day(let d): return d?.description ?? ""
        case .unknown: return "unknown"
        }
    }

    var isNumeric: Bool {
        switch self {
        case .integer, .decimal, .unknown: return true
        default: return false
        }
    }

    var json: JSONValue {
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
    static func width(_ text: String) -> Int {
        DisplayWidth.of(text)
    }

    /// What a table shows: ``display``, cut to ``DisplayWidth/tableCell``
    /// columns with `…` when it is wider (CSV and JSON keep every cell whole).
    var tableText: String {
        DisplayWidth.cut(display, to: DisplayWidth.tableCell)
    }

    /// The cell as a JSON value, appended as bytes: what `json` serialises to.
    func appendJSON(to bytes: inout [UInt8]) {
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
    func appendCSV(to bytes: inout [UInt8]) {
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
    static func appendCSV(_ row: [Cell], to bytes: inout [UInt8]) {
        for (i, cell) in row.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            cell.appendCSV(to: &bytes)
        }
        bytes.append(0x0A)
    }
}

/// A list of rows under named columns, rendered in any ``OutputFormat``.
struct Report {
    var columns: [String]
    var rows: [[Cell]] = []

    init(columns: [String]) { self.columns = columns }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a report row must have one cell per column")
        rows.append(row)
    }

    func jsonObjects() -> [JSONValue] {
        rows.map { row in .object(zip(columns, row).map { ($0, $1.json) }) }
    }

    /// Renders every row: an aligned table, CSV or a JSON array.
    func render(_ format: OutputFormat, to sink: OutputSink, emptyMessage: String? = nil) {
        switch format {
        case .table:
            if rows.isEmpty, let emptyMessage {
                sink.write(emptyMessage + "\n")
                return
            }
            var measure = TableMeasure(columns: columns)
            for row in rows { measure.add(row) }
            var bytes = measure.headerLine()
            for row in rows { measure.appendLine(row, to: &bytes) }
            bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
        case .csv:
            let csv = CSVWriter(sink: sink)
            csv.row(columns)
            var bytes: [UInt8] = []
            for row in rows { Cell.appendCSV(row, to: &bytes) }
            bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
        case .json:
            sink.write(JSONValue.array(jsonObjects()).serialized() + "\n")
        }
    }

    /// Renders the one row as a record, as ``renderRecord(_:to:)`` does; in
    /// JSON, each column named in `lists` is that list instead of its joined text.
    func renderRecord(_ format: OutputFormat, to out: OutputSink, listing lists: [String: [String]]) {
        guard format == .json, let first = jsonObjects().first, case .object(let members) = first else {
            return renderRecord(format, to: out)
        }
        let listed = members.map { name, value in (name, lists[name].map { .array($0.map(JSONValue.string)) } ?? value) }
        out.write(JSONValue.object(listed).serialized() + "\n")
    }

    /// Renders the one row of a `show` command: `field: value` lines for a
    /// table, one object for JSON, a header and one row for CSV.
    func renderRecord(_ format: OutputFormat, to sink: OutputSink) {
        switch format {
        case .table:
            let row = rows.first ?? []
            let width = columns.map(\.count).max() ?? 0
            for (name, cell) in zip(columns, row) {
                let padding = String(repeating: " ", count: width - name.count)
                sink.write("\(name):\(padding) \(cell.display)\n")
            }
        case .csv:
            render(.csv, to: sink)
        case .json:
            sink.write((jsonObjects().first ?? .object([])).serialized() + "\n")
        }
    }

}

/// A report whose rows are produced, not kept: `rows` calls its argument
/// once per row, and is called once for CSV and JSON (written as they
/// come) and twice for a table (first to measure the columns, then to
/// write them), so that memory does not grow with the number of rows.
/// Returns the number of rows.
@discardableResult
func streamReport(columns: [String], format: OutputFormat, to sink: OutputSink, emptyMessage: String? = nil,
                  jsonIndent: String = "", rows: (_ emit: ([Cell]) -> Void) throws -> Void) throws -> Int {
    var count = 0
    switch format {
    case .csv:
        let csv = CSVWriter(sink: sink)
        csv.row(columns)
        // Each row assembled into one reused buffer and written at once.
        var bytes: [UInt8] = []
        try rows { row in
            bytes.removeAll(keepingCapacity: true)
            Cell.appendCSV(row, to: &bytes)
            bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
            count += 1
        }
    case .json:
        sink.write("[")
        let inner = jsonIndent + "  "
        // Each object written field by field into one reused buffer: no tree per row.
        let keys = columns.map { Array(("\n" + inner + "  " + JSONValue.string($0).serialized() + ": ").utf8) }
        let open = Array(("\n" + inner + "{").utf8), close = Array(("\n" + inner + "}").utf8)
        var bytes: [UInt8] = []
        try rows { row in
            bytes.removeAll(keepingCapacity: true)
            if count > 0 { bytes.append(0x2C) }
            bytes += open
            for (i, cell) in row.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                bytes += keys[i]
                cell.appendJSON(to: &bytes)
            }
            bytes += close
            bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
            count += 1
        }
        sink.write(count == 0 ? "]" : "\n" + jsonIndent + "]")
        if jsonIndent.isEmpty { sink.write("\n") }
    case .table:
        var measure = TableMeasure(columns: columns)
        try rows { row in measure.add(row) }
        count = measure.rows
        if count == 0 {
            if let emptyMessage { sink.write(emptyMessage + "\n") }
            return 0
        }
        let measured = measure
        var bytes = measured.headerLine()
        bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
        try rows { row in
            bytes.removeAll(keepingCapacity: true)
            measured.appendLine(row, to: &bytes)
            bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
        }
    }
    return count
}

/// An aligned table's first pass, then its lines: each column's width, and
/// whether it is right-aligned (numbers, with nothing but blanks beside them).
struct TableMeasure {
    private let header: [String]
    private var widths: [Int]
    private var numeric: [Bool], anyNumber: [Bool]
    private(set) var rows = 0

    init(columns: [String]) {
        header = columns.map { $0.uppercased() }
        widths = header.map { $0.count }
        numeric = columns.map { _ in true }
        anyNumber = columns.map { _ in false }
    }

    mutating func add(_ row: [Cell]) {
        for (i, cell) in row.enumerated() { note(i, cell) }
        countRow()
    }

    /// Measures one cell of the current row.
    mutating func note(_ column: Int, _ cell: Cell) {
        note(column, width: Cell.width(cell.tableText), numeric: cell.isNumeric)
    }

    /// Measures one cell of the current row by its width in columns and
    /// its kind: a column is right-aligned when it holds numbers and no
    /// other non-empty cell.
    mutating func note(_ column: Int, width: Int, numeric isNumber: Bool) {
        widths[column] = max(widths[column], width)
        if isNumber { anyNumber[column] = true } else if width > 0 { numeric[column] = false }
    }

    /// Counts a row whose cells were measured one by one.
    mutating func countRow() { rows += 1 }

    /// The header line: the column names in capitals, padded like the rows.
    func headerLine() -> [UInt8] {
        var bytes: [UInt8] = []
        appendLine(header, to: &bytes)
        return bytes
    }

    /// One row of the table.
    func appendLine(_ row: [Cell], to bytes: inout [UInt8]) {
        appendLine(row.map(\.tableText), to: &bytes)
    }

    /// One line: cells padded to their column's width, two spaces apart,
    /// numeric columns aligned right, no trailing blanks.
    private func appendLine(_ cells: [String], to bytes: inout [UInt8]) {
        for (i, cell) in cells.enumerated() { appendCell(i, cell, to: &bytes) }
        endLine(&bytes)
    }

    /// One cell of a line: the separator before it, and its padding.
    func appendCell(_ column: Int, _ text: String, to bytes: inout [UInt8]) {
        appendCell(column, width: Cell.width(text), to: &bytes) { $0 += text.utf8 }
    }

    /// One cell of a line, of `width` columns, whose bytes `write` appends.
    func appendCell(_ column: Int, width: Int, to bytes: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        let pad = max(0, widths[column] - width)
        let right = numeric[column] && anyNumber[column]
        if column > 0 { bytes += [0x20, 0x20] }
        if right { bytes += repeatElement(0x20, count: pad) }
        write(&bytes)
        if !right && column < widths.count - 1 { bytes += repeatElement(0x20, count: pad) }
    }

    /// Ends a line: no trailing blanks, then a newline.
    func endLine(_ bytes: inout [UInt8]) {
        while bytes.last == 0x20 { bytes.removeLast() }
        bytes.append(0x0A)
    }
}

/// `text` with every line after the first indented by `prefix`.
func indented(_ text: String, by prefix: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + prefix)
}
