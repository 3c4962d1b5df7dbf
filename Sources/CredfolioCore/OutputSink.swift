#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor: one `write(2)` per 64 KiB, not
/// one per field.
public final class OutputSink {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Where the bytes go, for error messages.
    public let name: String

    public init(fileDescriptor: Int32, name: String, closeWhenDone: Bool = false, capacity: Int = 1 << 16) {
        self.fd = fileDescriptor
        self.name = name
        self.ownsDescriptor = closeWhenDone
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    public static func standardOutput() -> OutputSink {
        OutputSink(fileDescriptor: STDOUT_FILENO, name: "standard output")
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(fd) }
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: $0) }
    }

    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        if buffer.count + bytes.count > capacity { try? flush() }
        buffer.append(contentsOf: bytes)
    }

    /// Writes `first`, `second` and a line feed: one whole CSV row.
    public func writeLine(_ first: [UInt8], _ second: [UInt8]) {
        let count = first.count + second.count + 1
        if buffer.count + count > capacity { try? flush() }
        buffer.append(contentsOf: first)
        buffer.append(contentsOf: second)
        buffer.append(0x0A)
    }

    public func write(byte: UInt8) {
        if buffer.count == capacity { try? flush() }
        buffer.append(byte)
    }

    /// Writes out what is buffered; throws when the descriptor refuses it.
    public func flush() throws {
        var offset = 0
        defer { buffer.removeAll(keepingCapacity: true) }
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes {
                Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw CredfolioError.invalid("cannot write to \(name): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
