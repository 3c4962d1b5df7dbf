/// An aligned table's first pass, then its lines: each column's width, and
/// whether it is right-aligned (numbers, with nothing but blanks beside them).
public struct TableMeasure: Sendable {
    private let header: [String]
    private var widths: [Int]
    private var numeric: [Bool], anyNumber: [Bool]
    public private(set) var rows = 0

    public init(columns: [String]) {
        header = columns.map { $0.uppercased() }
        widths = header.map { $0.count }
        numeric = columns.map { _ in true }
        anyNumber = columns.map { _ in false }
    }

    public mutating func add(_ row: [Cell]) {
        for (i, cell) in row.enumerated() { note(i, cell) }
        countRow()
    }

    /// Measures one cell of the current row.
    public mutating func note(_ column: Int, _ cell: Cell) {
        note(column, width: Cell.width(cell.tableText), numeric: cell.isNumeric)
    }

    /// Measures one cell of the current row by its width in columns and
    /// its kind: a column is right-aligned when it holds numbers and no
    /// other non-empty cell.
    public mutating func note(_ column: Int, width: Int, numeric isNumber: Bool) {
        widths[column] = max(widths[column], width)
        if isNumber { anyNumber[column] = true } else if width > 0 { numeric[column] = false }
    }

    /// Counts a row whose cells were measured one by one.
    public mutating func countRow() { rows += 1 }

    /// The header line: the column names in capitals, padded like the rows.
    public func headerLine() -> [UInt8] {
        var bytes: [UInt8] = []
        appendLine(header, to: &bytes)
        return bytes
    }

    /// One row of the table.
    public func appendLine(_ row: [Cell], to bytes: inout [UInt8]) {
        appendLine(row.map(\.tableText), to: &bytes)
    }

    /// One line: cells padded to their column's width, two spaces apart,
    /// numeric columns aligned right, no trailing blanks.
    private func appendLine(_ cells: [String], to bytes: inout [UInt8]) {
        for (i, cell) in cells.enumerated() { appendCell(i, cell, to: &bytes) }
        endLine(&bytes)
    }

    /// One cell of a line: the separator before it, and its padding.
    public func appendCell(_ column: Int, _ text: String, to bytes: inout [UInt8]) {
        appendCell(column, width: Cell.width(text), to: &bytes) { $0 += text.utf8 }
    }

    /// One cell of a line, of `width` columns, whose bytes `write` appends.
    public func appendCell(_ column: Int, width: Int, to bytes: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        let pad = max(0, widths[column] - width)
        let right = numeric[column] && anyNumber[column]
        if column > 0 { bytes += [0x20, 0x20] }
        if right { bytes += repeatElement(0x20, count: pad) }
        write(&bytes)
        if !right && column < widths.count - 1 { bytes += repeatElement(0x20, count: pad) }
    }

    /// Ends a line: no trailing blanks, then a newline.
    public func endLine(_ bytes: inout [UInt8]) {
        while bytes.last == 0x20 { bytes.removeLast() }
        bytes.append(0x0A)
    }
}
