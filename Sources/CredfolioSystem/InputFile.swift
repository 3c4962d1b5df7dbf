import CredfolioCore
import Glibc

/// An input file opened for reading; `-` is standard input.
public final class InputFile {
    public let fd: Int32
    private let owned: Bool
    /// The size in bytes, when it is a regular file (else 0).
    public private(set) var size = 0

    public init(path: String) throws {
        if path == "-" {
            fd = STDIN_FILENO
            owned = false
            return
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CredfolioError.invalid("cannot open \(path): \(String(cString: strerror(errno)))") }
        owned = true
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CredfolioError.invalid("\(path) is a folder, not a file")
        }
        if (info.st_mode & S_IFMT) == S_IFREG { size = Int(info.st_size) }
    }

    deinit { if owned { close(fd) } }

    /// The whole file, refused when larger than `limit` bytes.
    public func readAll(limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw CredfolioError.invalid("cannot read: \(String(cString: strerror(errno)))")
            }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw CredfolioError.invalid("file is larger than \(NumberText.grouped(limit)) bytes") }
        }
    }
}
