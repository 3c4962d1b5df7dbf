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
        while true {
            let piece = try readPiece()
            if piece.isEmpty { return bytes }
            bytes += piece
            if bytes.count > limit { throw CredfolioError.invalid("file is larger than \(NumberText.grouped(limit)) bytes") }
        }
    }

    /// The next piece of the file, of at most `maximum` bytes; empty at its end.
    public func readPiece(maximum: Int = 1 << 16) throws -> [UInt8] {
        var piece = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = piece.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CredfolioError.invalid("cannot read: \(String(cString: strerror(errno)))")
            }
            piece.removeLast(maximum - count)
            return piece
        }
    }
}
