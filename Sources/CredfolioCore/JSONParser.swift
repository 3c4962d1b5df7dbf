/// A JSON syntax error at a 1-based line and column.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let reason: String
    public var description: String { "\(line):\(column): \(reason)" }
}

/// A strict RFC 8259 parser that reports where the text goes wrong, and
/// rejects duplicate keys (which a user almost never means).
///
/// A document may also be read in pieces (``init(streaming:)``), and walked
/// value by value (``peek()``, ``nextKey()``, ``nextElement()``,
/// ``readValue()``), so that a large file's resources are parsed one at a
/// time and ``release()`` lets go of those already read.
public struct JSONParser {
    private var bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Characters of the current line that ``release()`` let go of: columns count them.
    private var releasedColumns = 0
    private var depth = 0
    /// The next piece of a document read in pieces (empty at its end); nil when `bytes` is all of it.
    private let more: (() -> [UInt8])?
    private var ended = false
    /// For the walk: whether each object or array entered has yet to give its first member.
    private var first: [Bool] = []
    public static let maxDepth = 200

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(document: bytes)
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        more = nil
    }

    /// A parser of a document already in memory, to be walked value by
    /// value; a UTF-8 byte-order mark is skipped.
    public init(document bytes: [UInt8]) {
        self.init(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }
    }

    /// A parser of a document that `more` gives piece by piece, returning
    /// an empty piece at its end. A UTF-8 byte-order mark is skipped.
    public init(streaming more: @escaping () -> [UInt8]) {
        bytes = []
        self.more = more
        while bytes.count < 3 && appendPiece() {}
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
            lineStart = 3
        }
    }

    private func error(_ reason: String) -> JSONSyntaxError {
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        let column = releasedColumns + JSONParser.characters(bytes[min(lineStart, bytes.count)..<min(index, bytes.count)]) + 1
        return JSONSyntaxError(line: line, column: column, reason: reason)
    }

    private static func characters(_ bytes: ArraySlice<UInt8>) -> Int { bytes.count { $0 & 0xC0 != 0x80 } }

    private var current: UInt8? {
        mutating get {
            if index < bytes.count { return bytes[index] }
            return refill() ? bytes[index] : nil
        }
    }

    /// Appends the next piece of a streamed document; false at its end.
    private mutating func refill() -> Bool {
        while index >= bytes.count {
            guard appendPiece() else { return false }
        }
        return true
    }

    private mutating func appendPiece() -> Bool {
        guard let more, !ended else { return false }
        let piece = more()
        if piece.isEmpty { ended = true; return false }
        bytes += piece
        return true
    }

    private mutating func skipSpace() {
        while let b = current {
            if b == 0x0A { line += 1; lineStart = index + 1; releasedColumns = 0 } else if b != 0x20 && b != 0x09 && b != 0x0D { return }
            index += 1
        }
    }

    // MARK: The walk

    /// The first byte of the next value, after blanks (`{`, `[`, `"`, …);
    /// nil at the end of the input.
    public mutating func peek() -> UInt8? {
        skipSpace()
        return current
    }

    /// Enters the object that starts here.
    public mutating func enterObject() throws(JSONSyntaxError) {
        guard peek() == UInt8(ascii: "{") else { throw error("expected an object") }
        try nest()
        index += 1
        first.append(true)
    }

    /// Enters the array that starts here.
    public mutating func enterArray() throws(JSONSyntaxError) {
        guard peek() == UInt8(ascii: "[") else { throw error("expected an array") }
        try nest()
        index += 1
        first.append(true)
    }

    /// The next key of the object entered last, its `:` read; nil at its
    /// end, which is left.
    public mutating func nextKey() throws(JSONSyntaxError) -> String? {
        guard try nextMember(closing: UInt8(ascii: "}")) else { return nil }
        guard current == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
        let key = try string()
        skipSpace()
        guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
        index += 1
        return key
    }

    /// True when the array entered last has another element (read it
    /// next); false at its end, which is left.
    public mutating func nextElement() throws(JSONSyntaxError) -> Bool {
        try nextMember(closing: UInt8(ascii: "]"))
    }

    private mutating func nextMember(closing: UInt8) throws(JSONSyntaxError) -> Bool {
        skipSpace()
        if current == closing {
            index += 1
            first.removeLast()
            depth -= 1
            return false
        }
        if !first[first.count - 1] {
            guard current == UInt8(ascii: ",") else {
                let object = closing == UInt8(ascii: "}")
                throw error(current == nil ? "unexpected end of input in " + (object ? "an object" : "an array")
                            : object ? "expected ',' or '}'" : "expected ',' or ']'")
            }
            index += 1
            skipSpace()
        }
        first[first.count - 1] = false
        return true
    }

    /// The whole value that starts here.
    public mutating func readValue() throws(JSONSyntaxError) -> JSONValue {
        skipSpace()
        return try value()
    }

    /// An error at the place the parser has reached.
    public func failure(_ reason: String) -> JSONSyntaxError { error(reason) }

    /// Reads past the value that starts here without building it, its
    /// syntax checked as ``readValue()`` checks it, with the same errors;
    /// duplicate keys and UTF-8 are left to a read that builds the value.
    public mutating func skipValue() throws(JSONSyntaxError) {
        skipSpace()
        guard let b = current else { throw error("unexpected end of input") }
        switch b {
        case UInt8(ascii: "{"):
            try nest()
            defer { depth -= 1 }
            index += 1
            skipSpace()
            if current == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
                _ = try string(building: false)
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
                index += 1
                try skipValue()
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return
                case nil: throw error("unexpected end of input in an object")
                default: throw error("expected ',' or '}'")
                }
            }
        case UInt8(ascii: "["):
            try nest()
            defer { depth -= 1 }
            index += 1
            skipSpace()
            if current == UInt8(ascii: "]") { index += 1; return }
            while true {
                try skipValue()
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return
                case nil: throw error("unexpected end of input in an array")
                default: throw error("expected ',' or ']'")
                }
            }
        case UInt8(ascii: "\""): _ = try string(building: false)
        default: _ = try value()
        }
    }

    /// Throws unless only blanks are left.
    public mutating func finish() throws(JSONSyntaxError) {
        skipSpace()
        guard current == nil else { throw error("unexpected text after the JSON value") }
    }

    /// Lets go of the input already read: a streamed document then holds
    /// only what it has yet to read. Call it between values.
    public mutating func release() {
        guard more != nil, index >= 1 << 16 else { return }
        if lineStart <= index {
            releasedColumns += JSONParser.characters(bytes[lineStart..<index])
            lineStart = 0
        } else {
            lineStart -= index
        }
        bytes.removeFirst(index)
        index = 0
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let start = index
        for byte in literal.utf8 {
            guard current == byte else {
                index = start
                throw error("invalid literal, expected \(literal)")
            }
            index += 1
        }
        return value
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard let b = current else { throw error("unexpected end of input") }
        switch b {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character \(JSONParser.show(b))")
        }
    }

    private static func show(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    private mutating func nest() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try nest()
        defer { depth -= 1 }
        index += 1
        var members: [(String, JSONValue)] = []
        // Keys seen, for duplicates: compared one by one while there are few (most objects), hashed after.
        var seen = Set<String>()
        skipSpace()
        if current == UInt8(ascii: "}") { index += 1; return .object([]) }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
            let keyStart = index
            let key = try string()
            let duplicate: Bool
            if members.count < 16 {
                duplicate = members.contains { $0.0 == key }
            } else {
                if seen.isEmpty { seen = Set(members.map(\.0)) }
                duplicate = !seen.insert(key).inserted
            }
            guard !duplicate else {
                index = keyStart  // report the key's own position
                throw error("duplicate key \"\(key)\"")
            }
            skipSpace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
            index += 1
            skipSpace()
            members.append((key, try value()))
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            case nil: throw error("unexpected end of input in an object")
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try nest()
        defer { depth -= 1 }
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if current == UInt8(ascii: "]") { index += 1; return .array([]) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            case nil: throw error("unexpected end of input in an array")
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = current else { throw error("unexpected end of input in a \\u escape") }
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - 55)
            default: throw error("invalid \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// The string that starts here; with `building` false, only read past
    /// (its syntax checked, its UTF-8 left to the read that builds it) and "".
    private mutating func string(building: Bool = true) throws(JSONSyntaxError) -> String {
        index += 1
        // Most strings have no escape: made straight from the input's bytes, without a copy byte by byte.
        let start = index
        var ascii = true
        while let b = current, b != 0x22, b != 0x5C, b >= 0x20 {
            ascii = ascii && b < 0x80
            index += 1
        }
        if current == 0x22, !building {
            index += 1
            return ""
        }
        if current == 0x22 {
            // ASCII is valid UTF-8 as it stands: the standard library's validation (generic, not specialised
            // for UTF-8) is only needed when some byte is not ASCII.
            let text = ascii ? String(decoding: bytes[start..<index], as: UTF8.self) : String(validating: bytes[start..<index], as: UTF8.self)
            guard let text else { throw error("string is not valid UTF-8") }
            index += 1
            return text
        }
        var out = Array(bytes[start..<index])
        while true {
            guard let b = current else { throw error("unterminated string") }
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                if !building { return "" }
                guard let text = String(validating: out, as: UTF8.self) else { throw error("string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard let e = current else { throw error("unterminated string") }
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard current == UInt8(ascii: "\\") else { throw error("unpaired surrogate in \\u escape") }
                        index += 1
                        guard current == UInt8(ascii: "u") else { throw error("unpaired surrogate in \\u escape") }
                        index += 1
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw error("invalid escape: \\ followed by \(JSONParser.show(e))")
                }
            default:
                guard b >= 0x20 else { throw error("control character in a string") }
                out.append(b)
                index += 1
            }
        }
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            var n = 0
            while let b = p.current, b >= 48, b <= 57 { p.index += 1; n += 1 }
            return n
        }
        if current == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits(&self) > 0 else { throw error("invalid number") }
        }
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard digits(&self) > 0 else { throw error("invalid number: digits expected after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error("invalid number: digits expected in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else { throw error("number out of range") }
        return .number(value)
    }
}
