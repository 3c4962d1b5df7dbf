import CredfolioCore
#if canImport(Glibc)
import Glibc
#endif

/// Rendered chunks handed from a worker thread to the thread that writes
/// them, in order, without copying: the worker sends each chunk (ownership
/// and all) through a Unix socket pair, and the writer gives written chunks
/// back, so that their buffers are reused. The worker runs at most
/// ``window`` chunks ahead, so memory stays flat.
///
/// Either side stopping closes its end, and the other's next send or
/// receive fails instead of blocking for ever. Sends never raise SIGPIPE.
struct Frames: ~Copyable {
    /// A rendered chunk: its bytes, in one or more parts that go to
    /// different places (a site's overview and its stack pages), and how
    /// many rows they hold.
    final class Chunk: Sendable {
        let parts: [[UInt8]]
        let rows: Int
        /// Offsets into the first part where something begins (a site: each learner's rows).
        let marks: [Int]
        /// Which chunk this is, when the threads take chunks as they come (``Claims``).
        let index: Int
        /// When given, how many bytes of each part are content; the rest is room (``SiteRows``).
        let counts: [Int]
        init(parts: [[UInt8]], rows: Int, marks: [Int] = [], index: Int = 0, counts: [Int] = []) {
            self.parts = parts
            self.rows = rows
            self.marks = marks
            self.index = index
            self.counts = counts
        }
        convenience init(bytes: [UInt8], rows: Int) { self.init(parts: [bytes], rows: rows) }
        /// The first part: the whole chunk, for a chunk of one part.
        var bytes: [UInt8] { parts.first ?? [] }
    }

    /// How many chunks the worker may have rendered and not yet seen written.
    static let window = 2

    /// The writer's end and the worker's end.
    let reader: Int32, sender: Int32
    private var readerOpen = true, senderOpen = true

    init() throws {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw CredfolioError.invalid("cannot connect two threads: \(String(cString: strerror(errno)))")
        }
        reader = fds[0]
        sender = fds[1]
    }

    deinit {
        if readerOpen { close(reader) }
        if senderOpen { close(sender) }
        // A chunk sent and never received stays allocated: that happens
        // only on the way to an error, which ends the process.
    }

    /// The worker owns the sending end from now on, and closes it.
    mutating func handOverSender() { senderOpen = false }

    /// Closes the writer's end: a worker still sending gets an error.
    mutating func closeReader() {
        if readerOpen { close(reader) }
        readerOpen = false
    }

    /// Ends a hand-over: closes the writer's end (a worker still sending
    /// then fails instead of waiting for ever), joins `worker`, and returns
    /// its value. This thread's own error comes first, unless it only says
    /// that the worker stopped early: then the worker's error explains it.
    mutating func finish<Value>(_ mine: Result<Void, any Error>, joining worker: Worker<Value>) throws -> Value {
        closeReader()
        let theirs = Result { try worker.join() }
        if case .failure(let error) = mine, !(error is Stopped) { throw error }
        let value = try theirs.get()
        try mine.get()
        return value
    }

    /// The worker's side, on its end of the pair.
    struct Sender {
        let fd: Int32
        /// How many chunks the worker will send in all.
        let total: Int
        private var sent = 0, returned = 0

        init(fd: Int32, total: Int) {
            self.fd = fd
            self.total = total
        }

        /// Hands `chunk` over; when the window is full (and more chunks are
        /// to come), waits until the writer gives a written chunk back, and
        /// returns its buffers, emptied, for the next chunk.
        mutating func send(_ chunk: Chunk) throws -> [[UInt8]] {
            try Frames.send(chunk, on: fd)
            sent += 1
            guard sent < total, sent - returned >= Frames.window else { return [] }
            var parts = try Frames.receiveChunk(on: fd).parts
            returned += 1
            for i in parts.indices { parts[i].removeAll(keepingCapacity: true) }
            return parts
        }
    }

    /// The worker's side when the threads take chunks as they come: how
    /// many it sends is not known in advance, so every chunk sent comes
    /// back (``Frames/giveBack(_:)``), and the worker waits for the last
    /// ones before it ends (``finish()``).
    struct ClaimingSender {
        let fd: Int32
        private var sent = 0, returned = 0

        init(fd: Int32) { self.fd = fd }

        /// Buffers for the next chunk: a written chunk's, not emptied (all
        /// room now), once ``Frames/window`` chunks are out (waiting for
        /// one); before that, none.
        mutating func buffers() throws -> [[UInt8]] {
            guard sent - returned >= Frames.window else { return [] }
            return try takeBack()
        }

        /// Hands `chunk` over.
        mutating func send(_ chunk: Chunk) throws {
            try Frames.send(chunk, on: fd)
            sent += 1
        }

        /// Waits until every chunk sent has been written and given back.
        mutating func finish() throws {
            while returned < sent { _ = try takeBack() }
        }

        private mutating func takeBack() throws -> [[UInt8]] {
            let parts = try Frames.receiveChunk(on: fd).parts
            returned += 1
            return parts
        }
    }

    /// Takes the next chunk.
    func receive() throws -> Chunk {
        try Self.receiveChunk(on: reader)
    }

    /// Takes the next chunk if one is there, without waiting for one.
    func receiveIfSent() throws -> Chunk? {
        var pointer: UInt = 0
        let got = withUnsafeMutableBytes(of: &pointer) { recv(reader, $0.baseAddress!, $0.count, Int32(MSG_DONTWAIT)) }
        if got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return nil }
        guard got > 0 else { throw Stopped() }
        if got < MemoryLayout<UInt>.size {
            // The rest of a pointer sent is on its way: wait for it.
            try withUnsafeMutableBytes(of: &pointer) { try Self.receiveAll(UnsafeMutableRawBufferPointer(rebasing: $0[got...]), on: reader) }
        }
        return Unmanaged<Chunk>.fromOpaque(UnsafeRawPointer(bitPattern: pointer)!).takeRetainedValue()
    }

    /// Gives a written chunk back to a worker that takes every one back
    /// (``ClaimingSender``).
    func giveBack(_ chunk: consuming Chunk) {
        _ = try? Self.send(chunk, on: reader)
    }

    /// Gives the `index`-th chunk received (from 0), now written, back to a
    /// worker with `total` chunks to send, for its buffer; only as many as
    /// the worker will take back.
    func giveBack(_ chunk: consuming Chunk, index: Int, total: Int) {
        guard index < total - Self.window else { return }
        _ = try? Self.send(chunk, on: reader)
    }

    private static func send(_ chunk: Chunk, on fd: Int32) throws {
        let pointer = UInt(bitPattern: Unmanaged.passRetained(chunk).toOpaque())
        do {
            try withUnsafeBytes(of: pointer) { try sendAll($0, on: fd) }
        } catch {
            Unmanaged<Chunk>.fromOpaque(UnsafeRawPointer(bitPattern: pointer)!).release()
            throw error
        }
    }

    private static func receiveChunk(on fd: Int32) throws -> Chunk {
        var pointer: UInt = 0
        try withUnsafeMutableBytes(of: &pointer) { try receiveAll($0, on: fd) }
        return Unmanaged<Chunk>.fromOpaque(UnsafeRawPointer(bitPattern: pointer)!).takeRetainedValue()
    }

    private static func sendAll(_ bytes: UnsafeRawBufferPointer, on fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                if errno == EINTR { continue }
                throw Stopped()
            }
            offset += sent
        }
    }

    private static func receiveAll(_ bytes: UnsafeMutableRawBufferPointer, on fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let got = recv(fd, bytes.baseAddress! + offset, bytes.count - offset, 0)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw Stopped() }
            offset += got
        }
    }

    /// The other thread closed its end early: its own error says why.
    struct Stopped: Error, CustomStringConvertible {
        var description: String { "the second thread stopped early" }
    }
}
