/// How a CSV cell is written (RFC 4180): quoted only when it holds a
/// comma, a quote or a line break.
///
/// Text cells are neutralised against spreadsheet formula injection: a cell
/// that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return, after any `'`s) gets one leading `'`.
/// ``unneutralize(_:)`` undoes exactly that, so export → import is lossless.
public enum CSVCell {
    /// Appends `value` as one text cell (quoted and neutralised as needed)
    /// to `bytes`: for rows assembled once and written many times.
    public static func appendText(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendText(utf8: $0, to: &bytes) }
    }

    /// ``appendText(_:to:)`` over the cell's UTF-8 bytes: one scan for the
    /// common cell that needs neither quotes nor neutralising, then one copy.
    public static func appendText(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
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

    /// True when the cell's bytes can be written as they are.
    public static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        !needsQuoting(utf8) && !needsNeutralizing(utf8)
    }

    static func needsQuoting(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
        return false
    }

    static func needsNeutralizing(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 {
            if byte == UInt8(ascii: "'") { continue }
            return isTrigger(byte)
        }
        return false
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

    /// Removes the one `'` that writing added, and nothing else.
    public static func unneutralize(_ value: String) -> String {
        guard value.utf8.first == UInt8(ascii: "'") else { return value }
        let rest = value.utf8.dropFirst()
        guard let next = rest.first(where: { $0 != UInt8(ascii: "'") }), isTrigger(next) else { return value }
        return String(value.dropFirst())
    }
}
