import CredfolioStore
import CredfolioCore
import CredfolioEngine
import CredfolioSystem
import CredfolioApp
/// A growable run of bytes that takes each piece with one copy: what a
/// site's pages are written into.
///
/// `[UInt8].append(contentsOf:)` spends about a hundred instructions a call
/// before and around its copy (measured with callgrind), and a site of
/// 20,000 learners makes some twenty million appends of a few bytes each.
/// This buffer keeps its array longer than what it holds (the tail is room,
/// never read), so an append is one comparison and one `memcpy`.
struct ByteBuffer {
    /// The content is the first ``count`` bytes; the rest is room.
    private var storage: [UInt8]
    /// How many bytes the buffer holds.
    private(set) var count = 0

    init() { storage = [] }

    var isEmpty: Bool { count == 0 }

    /// Empties the buffer, keeping its room.
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ source: UnsafeRawBufferPointer) {
        let n = source.count
        guard n > 0, let from = source.baseAddress else { return }
        if storage.count &- count < n { grow(n) }
        let at = count
        storage.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: from, byteCount: n) }
        count = at &+ n
    }

    @inline(__always)
    mutating func append(_ markup: StaticString) {
        // A literal of more than one scalar is a pointer to its UTF-8 bytes; a single scalar is stored inline.
        guard markup.hasPointerRepresentation else { return markup.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) } }
        append(UnsafeRawBufferPointer(start: markup.utf8Start, count: markup.utf8CodeUnitCount))
    }

    mutating func append(_ byte: UInt8) {
        if storage.count == count { grow(1) }
        storage[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    @inline(__always)
    mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { append($0) }
    }

    @inline(__always)
    mutating func append(_ other: ByteBuffer) {
        other.withUnsafeBytes { append($0) }
    }

    /// Bytes `range` of `other`'s content.
    @inline(__always)
    mutating func append(_ other: ByteBuffer, _ range: Range<Int>) {
        other.withUnsafeBytes { append(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Lets `body` write up to `limit` bytes in place; it returns how many it wrote.
    mutating func append(upTo limit: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) {
        guard limit > 0 else { return }
        if storage.count &- count < limit { grow(limit) }
        let at = count
        let written = storage.withUnsafeMutableBytes { body(UnsafeMutableRawBufferPointer(rebasing: $0[at..<(at + limit)])) }
        precondition(written >= 0 && written <= limit, "ByteBuffer.append(upTo:) wrote outside its room")
        count = at + written
    }

    /// Room for `n` more bytes, at least doubling: appends stay amortised constant time.
    @inline(never)
    private mutating func grow(_ n: Int) {
        let (needed, overflow) = count.addingReportingOverflow(n)
        precondition(!overflow, "ByteBuffer: more bytes than an Int counts")
        let size = Swift.max(needed, storage.count.multipliedReportingOverflow(by: 2).partialValue, 1024)
        storage.append(contentsOf: repeatElement(0, count: size - storage.count))
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[..<count])) }
    }

    /// The content, in an array allocated for exactly it (to be kept while
    /// this buffer goes on and is emptied).
    var exactBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            withUnsafeBytes { source in
                if let base = source.baseAddress, source.count > 0 {
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: source.count)
                }
            }
            initialized = count
        }
    }

    /// The content from byte `start` on, in an array of its own.
    func copy(from start: Int) -> [UInt8] {
        precondition(start >= 0 && start <= count, "ByteBuffer.copy(from:) outside the content")
        return Array(storage[start..<count])
    }
}
