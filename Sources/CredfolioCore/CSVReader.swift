#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV syntax or content error at a line (and field) of the input.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the input where the problem is.
    public let line: Int
    /// 1-based field of the record, when the problem is in one field.
    public let field: Int?
    public let reason: String

    public init(line: Int, field: Int? = nil, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        field.map { "\(line): field \($0): \(reason)" } ?? "\(line): \(reason)"
    }
}

/// A streaming RFC 4180 reader.
///
/// Reads fixed-size chunks, so memory does not grow with the input. Accepts
/// quoted fields with doubled quotes, commas and line breaks inside quotes,
/// CRLF or LF line ends, and a UTF-8 byte-order mark; skips blank lines.
/// Rejects, with the line: an unterminated quote, a quote inside an
/// unquoted field, text after a closing quote, a NUL byte, invalid UTF-8
/// (when a field is read), an over-long field and an over-wide record.
public final class CSVReader {
    public static let maxFieldBytes = 1 << 20
    public static let maxFields = 4096

    private let fd: Int32
    private var chunk: [UInt8]
    private var position = 0
    private var limit = 0
    private var exhausted = false
    private var skipLineFeed = false
    private var atStartOfInput = true

    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var line = 1

    /// The line on which the current record starts.
    public private(set) var recordLine = 0

    /// Reads from an open file descriptor (not closed by the reader).
    public init(fileDescriptor: Int32, chunkSize: Int = 1 << 16) {
        self.fd = fileDescriptor
        self.chunk = [UInt8](repeating: 0, count: chunkSize)
        bytes.reserveCapacity(256)
    }

    /// Reads from bytes in memory.
    public init(bytes: [UInt8]) {
        self.fd = -1
        self.chunk = bytes
        self.limit = bytes.count
        self.exhausted = true
    }

    public convenience init(text: String) {
        self.init(bytes: Array(text.utf8))
    }

    private func refill() throws -> Bool {
        guard !exhausted else { return false }
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                position = 0
                limit = count
                return true
            }
            if count == 0 {
                exhausted = true
                return false
            }
            if errno == EINTR { continue }
            throw CSVError(line: line, reason: "cannot read: \(String(cString: strerror(errno)))")
        }
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Reads the next record. Returns false at the end of the input.
    public func next() throws -> Bool {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        var state = State.fieldStart
        var quoteLine = line
        var fieldStart = 0
        recordLine = line
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

        func endField() throws {
            guard ends.count < CSVReader.maxFields else {
                throw CSVError(line: recordLine, reason: "more than \(NumberText.grouped(CSVReader.maxFields)) fields in one record")
            }
            ends.append(bytes.count)
            fieldStart = bytes.count
        }

        while true {
            if position == limit {
                guard try refill() else {
                    switch state {
                    case .quoted:
                        throw CSVError(line: quoteLine, field: ends.count + 1, reason: "unterminated quoted field")
                    case .fieldStart where ends.isEmpty:
                        return false
                    default:
                        try endField()
                        return true
                    }
                }
            }
            var b = chunk[position]
            position += 1
            if atStartOfInput {
                atStartOfInput = false
                if b == 0xEF {
                    // A UTF-8 byte-order mark: EF BB BF.
                    var mark: [UInt8] = [b]
                    while mark.count < 3 {
                        if position == limit { guard try refill() else { break } }
                        mark.append(chunk[position])
                        position += 1
                    }
                    if mark == [0xEF, 0xBB, 0xBF] { continue }
                    // Not a mark: keep the bytes as data of the first field.
                    bytes.append(contentsOf: mark.dropLast())
                    b = mark.last!
                    state = .unquoted
                }
            }
            if skipLineFeed {
                skipLineFeed = false
                if b == lf { continue }
            }
            if b == 0 {
                throw CSVError(line: line, field: ends.count + 1, reason: "NUL byte in input")
            }
            switch state {
            case .fieldStart, .unquoted:
                if b == comma {
                    try endField()
                    state = .fieldStart
                } else if b == lf || b == cr {
                    line += 1
                    if b == cr { skipLineFeed = true }
                    if state == .fieldStart && ends.isEmpty {
                        recordLine = line  // a blank line: no record
                        continue
                    }
                    try endField()
                    return true
                } else if b == quote {
                    guard state == .fieldStart else {
                        throw CSVError(line: line, field: ends.count + 1, reason: "quote inside an unquoted field")
                    }
                    state = .quoted
                    quoteLine = line
                } else {
                    bytes.append(b)
                    state = .unquoted
                }
            case .quoted:
                if b == quote {
                    state = .quoteInQuoted
                } else {
                    if b == lf { line += 1 }
                    bytes.append(b)
                }
            case .quoteInQuoted:
                if b == quote {
                    bytes.append(quote)
                    state = .quoted
                } else if b == comma {
                    try endField()
                    state = .fieldStart
                } else if b == lf || b == cr {
                    line += 1
                    if b == cr { skipLineFeed = true }
                    try endField()
                    return true
                } else {
                    throw CSVError(line: line, field: ends.count + 1, reason: "text after a closing quote")
                }
            }
            if bytes.count - fieldStart > CSVReader.maxFieldBytes {
                throw CSVError(line: recordLine, field: ends.count + 1,
                               reason: "field is longer than \(NumberText.grouped(CSVReader.maxFieldBytes)) bytes")
            }
        }
    }

    /// The number of fields in the current record.
    public var fieldCount: Int { ends.count }

    /// Field `index` (0-based) of the current record, as text; throws when
    /// it is not valid UTF-8.
    public func field(_ index: Int) throws -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        let end = ends[index]
        if start == end { return "" }
        let text = bytes.withUnsafeBufferPointer {
            String(validating: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
        }
        guard let text else {
            throw CSVError(line: recordLine, field: index + 1, reason: "field is not valid UTF-8")
        }
        return text
    }

    /// Every field of the current record.
    public func record() throws -> [String] {
        try (0..<fieldCount).map { try field($0) }
    }
}
