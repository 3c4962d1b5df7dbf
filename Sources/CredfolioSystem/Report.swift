public import CredfolioCore

/// The three output formats every list and report speaks.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns, for people.
    case table
    /// RFC 4180 with a header row, text cells neutralised, for spreadsheets.
    case csv
    /// An array of objects (one object for `show`), keys in column order.
    case json
}

/// A list of rows under named columns, rendered in any ``OutputFormat``.
public struct Report: Sendable {
    public var columns: [String]
    public var rows: [[Cell]] = []

    public init(columns: [String]) { self.columns = columns }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a report row must have one cell per column")
        rows.append(row)
    }

    public func jsonObjects() -> [JSONValue] {
        rows.map { row in .object(zip(columns, row).map { ($0, $1.json) }) }
    }

    /// Renders every row: an aligned table, CSV or a JSON array.
    public func render(_ format: OutputFormat, to sink: OutputSink, emptyMessage: String? = nil) {
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
    public func renderRecord(_ format: OutputFormat, to out: OutputSink, listing lists: [String: [String]]) {
        guard format == .json, let first = jsonObjects().first, case .object(let members) = first else {
            return renderRecord(format, to: out)
        }
        let listed = members.map { name, value in (name, lists[name].map { .array($0.map(JSONValue.string)) } ?? value) }
        out.write(JSONValue.object(listed).serialized() + "\n")
    }

    /// Renders the one row of a `show` command: `field: value` lines for a
    /// table, one object for JSON, a header and one row for CSV.
    public func renderRecord(_ format: OutputFormat, to sink: OutputSink) {
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
public func streamReport(columns: [String], format: OutputFormat, to sink: OutputSink, emptyMessage: String? = nil,
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

/// `text` with every line after the first indented by `prefix`.
public func indented(_ text: String, by prefix: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + prefix)
}
