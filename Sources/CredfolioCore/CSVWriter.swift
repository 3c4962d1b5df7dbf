/// An RFC 4180 writer: fields are quoted only when they hold a comma, a
/// quote or a line break; rows end with LF.
///
/// Text cells are neutralised against spreadsheet formula injection: a cell
/// that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return, after any `'`s) gets one leading `'`.
/// ``CSVWriter/unneutralize(_:)`` undoes exactly that, so export → import
/// is lossless. Numbers are written as they are.
public final class CSVWriter {
    private let sink: OutputSink
    private var fieldsInRow = 0

    public init(sink: OutputSink) { self.sink = sink }

    /// Writes a text cell, neutralised.
    public func text(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { utf8 in
            if !CSVWriter.needsQuoting(utf8) && !CSVWriter.needsNeutralizing(utf8) {
                sink.write(bytes: utf8)
                return
            }
            var cell: [UInt8] = []
            CSVWriter.appendText(utf8: utf8, to: &cell)
            cell.withUnsafeBufferPointer { sink.write(bytes: $0) }
        }
    }

    /// Appends `value` as one text cell (quoted and neutralised as needed)
    /// to `bytes`: for rows assembled once and written many times.
    public static func appendText(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendText(utf8: $0, to: &bytes) }
    }

    /// ``appendText(_:to:)`` over the cell's UTF-8 bytes: one scan for the
    /// common cell that needs neither quotes nor neutralising, then one copy.
    static func appendText(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        let needsQuotes = needsQuoting(utf8)
        let neutral = needsNeutralizing(utf8)
        if !needsQuotes && !neutral {
            bytes.append(contentsOf: utf8)
            return
        }
        if needsQuotes { bytes.append(0x22) }
        if neutral { bytes.append(0x27) }
        for byte in utf8 {
            bytes.append(byte)
            if needsQuotes && byte == 0x22 { bytes.append(0x22) }
        }
        if needsQuotes { bytes.append(0x22) }
    }

    private static func needsQuoting(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
        return false
    }

    private static func needsNeutralizing(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 {
            if byte == UInt8(ascii: "'") { continue }
            return isTrigger(byte)
        }
        return false
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

    private static func isTrigger(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "@") || byte == 0x09 || byte == 0x0D
    }

    /// True when `value` is `'`* followed by a formula trigger.
    public static func needsNeutralizing(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { needsNeutralizing($0) }
    }

    /// Removes the one `'` that ``text(_:)`` added, and nothing else.
    public static func unneutralize(_ value: String) -> String {
        guard value.utf8.first == UInt8(ascii: "'") else { return value }
        let rest = value.utf8.dropFirst()
        guard let next = rest.first(where: { $0 != UInt8(ascii: "'") }), isTrigger(next) else { return value }
        return String(value.dropFirst())
    }
}
