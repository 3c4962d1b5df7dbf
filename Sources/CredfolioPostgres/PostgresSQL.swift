/// The store's SQL made PostgreSQL's: parameters renumbered, bytes as `bytea`.
enum PostgresSQL {
    /// `sql` with SQLite's parameters in PostgreSQL's form: `?` is the next
    /// number after the highest so far (as SQLite numbers it), `?N` is `$N`.
    /// Text in quotes (strings, quoted names) and comments is left alone.
    static func numbered(_ sql: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 8)
        let bytes = Array(sql.utf8)
        var i = 0, highest = 0
        var quote: UInt8? = nil
        while i < bytes.count {
            let byte = bytes[i]
            if let open = quote {
                out.append(byte)
                if byte == open { quote = nil }
                i += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                quote = byte
                out.append(byte)
                i += 1
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { out.append(bytes[i]); i += 1 }
            case UInt8(ascii: "?"):
                var j = i + 1, number = 0
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57, number < 100_000 {
                    number = number * 10 + Int(bytes[j] - 48)
                    j += 1
                }
                if j == i + 1 { highest += 1; number = highest } else { highest = max(highest, number) }
                out += Array("$\(number)".utf8)
                i = j
            default:
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the first word of `sql` is SELECT.
    static func startsWithSelect(_ sql: String) -> Bool {
        let word = sql.utf8.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }).prefix(6)
        return String(decoding: word, as: UTF8.self).uppercased() == "SELECT"
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `bytes` in `bytea`'s hex input form: `\x` and two digits a byte.
    static func byteaHex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `bytea`'s hex output form (`\x…`); nil for other text.
    static func bytes(fromHex text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count >= 2, text.count % 2 == 0, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2 - 1)
        var i = 2
        while i < text.count {
            guard let high = nibble(text[i]), let low = nibble(text[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
