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

    /// Fills the buffer it is given with the next bytes of the input; 0 at its end.
    private let source: ((UnsafeMutableRawBufferPointer) throws -> Int)?
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

    /// Reads from `source`, which fills the buffer it is given with the
    /// next bytes of the input and returns how many (0 at its end), in
    /// chunks of `chunkSize` bytes.
    public init(chunkSize: Int = 1 << 16, source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.source = source
        self.chunk = [UInt8](repeating: 0, count: chunkSize)
        bytes.reserveCapacity(256)
    }

    /// Reads from bytes in memory.
    public init(bytes: [UInt8]) {
        self.source = nil
        self.chunk = bytes
        self.limit = bytes.count
        self.exhausted = true
    }

    public convenience init(text: String) {
        self.init(bytes: Array(text.utf8))
    }

    private func refill() throws -> Bool {
        guard !exhausted, let source else { return false }
        let count: Int
        do {
            count = try chunk.withUnsafeMutableBytes { try source($0) }
        } catch {
            throw CSVError(line: line, reason: "cannot read: \(error)")
        }
        guard count > 0 else {
            exhausted = true
            return false
        }
        position = 0
        limit = count
        return true
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Reads the next record. Returns false at the end of the input.
    public func next() throws -> Bool {
        // The record is built in locals, swapped out of the properties and
        // back: appending to a class's property costs a dynamic exclusivity
        // check each time (measured: 2% of importing a million learners).
        var bytes: [UInt8] = [], ends: [Int] = []
        swap(&bytes, &self.bytes)
        swap(&ends, &self.ends)
        var recordLine = line
        defer {
            swap(&bytes, &self.bytes)
            swap(&ends, &self.ends)
            self.recordLine = recordLine
        }
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        var state = State.fieldStart
        var quoteLine = line
        var fieldStart = 0
        if atStartOfInput { try skipByteOrderMark(keepingOthersIn: &bytes) }

        while true {
            if position == limit {
                guard try refill() else {
                    switch state {
                    case .quoted:
                        throw CSVError(line: quoteLine, field: ends.count + 1, reason: "unterminated quoted field")
                    case .fieldStart where ends.isEmpty:
                        return false
                    default:
                        try Self.endField(&fieldStart, bytes, &ends, recordLine: recordLine)
                        return true
                    }
                }
            }
            // Scan the buffered chunk with local state: no bounds or
            // exclusivity checks per byte. Plain runs are copied whole.
            var outcome = Outcome.needMore
            var i = position
            let end = limit
            var line = self.line
            var skipLineFeed = self.skipLineFeed
            try chunk.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!
                scan: while i < end {
                    let b = base[i]
                    if skipLineFeed {
                        skipLineFeed = false
                        if b == 0x0A { i += 1; continue }
                    }
                    switch state {
                    case .fieldStart, .unquoted:
                        // The run of ordinary bytes up to the next special one.
                        var j = i
                        while j < end {
                            let c = base[j]
                            if c == 0x2C || c == 0x0A || c == 0x0D || c == 0x22 || c == 0 { break }
                            j += 1
                        }
                        if j > i {
                            bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
                            state = .unquoted
                            i = j
                            if bytes.count - fieldStart > CSVReader.maxFieldBytes { outcome = .tooLong; break scan }
                            continue
                        }
                        i += 1
                        switch b {
                        case 0x2C:
                            try Self.endField(&fieldStart, bytes, &ends, recordLine: recordLine)
                            state = .fieldStart
                        case 0x0A, 0x0D:
                            Self.endLine(b, line: &line, skipLineFeed: &skipLineFeed)
                            if state == .fieldStart && ends.isEmpty {
                                recordLine = line  // a blank line: no record
                                continue
                            }
                            try Self.endField(&fieldStart, bytes, &ends, recordLine: recordLine)
                            outcome = .record
                            break scan
                        case 0x22:
                            guard state == .fieldStart else {
                                outcome = .error(CSVError(line: line, field: ends.count + 1, reason: "quote inside an unquoted field"))
                                break scan
                            }
                            state = .quoted
                            quoteLine = line
                        default:
                            outcome = .error(CSVError(line: line, field: ends.count + 1, reason: "NUL byte in input"))
                            break scan
                        }
                    case .quoted:
                        var j = i
                        while j < end {
                            let c = base[j]
                            if c == 0x22 || c == 0x0A || c == 0 { break }
                            j += 1
                        }
                        if j > i {
                            bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
                            i = j
                            if bytes.count - fieldStart > CSVReader.maxFieldBytes { outcome = .tooLong; break scan }
                            continue
                        }
                        i += 1
                        switch b {
                        case 0x22: state = .quoteInQuoted
                        case 0x0A:
                            line += 1
                            bytes.append(b)
                        default:
                            outcome = .error(CSVError(line: line, field: ends.count + 1, reason: "NUL byte in input"))
                            break scan
                        }
                    case .quoteInQuoted:
                        i += 1
                        switch b {
                        case 0x22:
                            bytes.append(0x22)
                            state = .quoted
                        case 0x2C:
                            try Self.endField(&fieldStart, bytes, &ends, recordLine: recordLine)
                            state = .fieldStart
                        case 0x0A, 0x0D:
                            Self.endLine(b, line: &line, skipLineFeed: &skipLineFeed)
                            try Self.endField(&fieldStart, bytes, &ends, recordLine: recordLine)
                            outcome = .record
                            break scan
                        case 0:
                            outcome = .error(CSVError(line: line, field: ends.count + 1, reason: "NUL byte in input"))
                            break scan
                        default:
                            outcome = .error(CSVError(line: line, field: ends.count + 1, reason: "text after a closing quote"))
                            break scan
                        }
                    }
                }
            }
            position = i
            self.line = line
            self.skipLineFeed = skipLineFeed
            switch outcome {
            case .record: return true
            case .error(let error): throw error
            case .tooLong:
                throw CSVError(line: recordLine, field: ends.count + 1,
                               reason: "field is longer than \(NumberText.grouped(CSVReader.maxFieldBytes)) bytes")
            case .needMore: continue
            }
        }
    }

    private enum Outcome { case needMore, record, tooLong, error(CSVError) }

    /// A line break `b` (LF or CR) outside quotes: one more line, and after a CR, an LF to skip.
    @inline(__always)
    private static func endLine(_ b: UInt8, line: inout Int, skipLineFeed: inout Bool) {
        line += 1
        if b == 0x0D { skipLineFeed = true }
    }

    private static func endField(_ fieldStart: inout Int, _ bytes: [UInt8], _ ends: inout [Int], recordLine: Int) throws {
        guard ends.count < CSVReader.maxFields else {
            throw CSVError(line: recordLine, reason: "more than \(NumberText.grouped(CSVReader.maxFields)) fields in one record")
        }
        ends.append(bytes.count)
        fieldStart = bytes.count
    }

    /// Skips a UTF-8 byte-order mark (EF BB BF) at the very start, and
    /// refuses a UTF-16 one (FF FE or FE FF: Excel's "Unicode text"), which
    /// would otherwise surface as NUL bytes.
    /// Skips a UTF-8 byte-order mark at the start of the input. Bytes read
    /// that turn out not to be one go back to the scanner, or, when they
    /// straddle a refill, into `record`: the record being built.
    private func skipByteOrderMark(keepingOthersIn record: inout [UInt8]) throws {
        atStartOfInput = false
        var mark: [UInt8] = []
        while mark.count < 3 {
            if position == limit { guard try refill() else { break } }
            mark.append(chunk[position])
            position += 1
            if mark == [0xFF, 0xFE] || mark == [0xFE, 0xFF] {
                throw CSVError(line: 1, reason: "UTF-16 file: save it as UTF-8 CSV (in Excel: CSV UTF-8)")
            }
            if mark == [0xFF] || mark == [0xFE] { continue }
            if mark != Array([0xEF, 0xBB, 0xBF].prefix(mark.count)) { break }
        }
        if mark == [0xEF, 0xBB, 0xBF] { return }
        // Not a mark: give the bytes back to the scanner.
        if position >= mark.count && Array(chunk[(position - mark.count)..<position]) == mark {
            position -= mark.count
        } else {
            // It straddled a refill. Its last byte is in this chunk: back to the scanner, which
            // may see a quote, a comma or a line break in it. The bytes before it, from earlier
            // chunks, began a mark (never a quote, comma or line break): field data.
            position -= 1
            record.append(contentsOf: mark.dropLast())
        }
    }

    /// The number of fields in the current record.
    public var fieldCount: Int { ends.count }

    /// True when field `index` (0-based) of the current record is empty.
    public func fieldIsEmpty(_ index: Int) -> Bool {
        (index == 0 ? 0 : ends[index - 1]) == ends[index]
    }

    /// Field `index` (0-based) of the current record, as text; throws when
    /// it is not valid UTF-8.
    public func field(_ index: Int) throws -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        let end = ends[index]
        if start == end { return "" }
        let text = bytes.withUnsafeBufferPointer { all -> String? in
            let slice = UnsafeBufferPointer(rebasing: all[start..<end])
            return UTF8Check.isValid(slice) ? String(decoding: slice, as: UTF8.self) : nil
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
