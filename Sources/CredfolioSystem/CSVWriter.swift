import CredfolioCore

/// An RFC 4180 writer to an ``OutputSink``: cells as ``CSVCell`` writes
/// them, rows ending with LF. Numbers are written as they are.
public final class CSVWriter {
    private let sink: OutputSink
    private var fieldsInRow = 0

    public init(sink: OutputSink) { self.sink = sink }

    /// Writes a text cell, neutralised.
    public func text(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { utf8 in
            if CSVCell.isPlain(utf8) {
                sink.write(bytes: utf8)
                return
            }
            var cell: [UInt8] = []
            CSVCell.appendText(utf8: utf8, to: &cell)
            cell.withUnsafeBufferPointer { sink.write(bytes: $0) }
        }
    }

    /// Writes a whole row from two runs of ready-made cells (the first
    /// ending with its separator).
    public func rawRow(_ first: [UInt8], _ second: [UInt8]) {
        sink.writeLine(first, second)
        fieldsInRow = 0
    }

    public func text(_ value: String?) {
        if let value { text(value) } else { separate() }
    }

    /// Writes a number or other value that is not text, as it is.
    public func raw(_ value: String) {
        separate()
        sink.write(value)
    }

    public func endRow() {
        sink.write(byte: 0x0A)
        fieldsInRow = 0
    }

    /// Writes a whole row of text cells.
    public func row(_ cells: [String]) {
        for cell in cells { text(cell) }
        endRow()
    }

    public func flush() throws { try sink.flush() }

    private func separate() {
        if fieldsInRow > 0 { sink.write(byte: 0x2C) }
        fieldsInRow += 1
    }
}
