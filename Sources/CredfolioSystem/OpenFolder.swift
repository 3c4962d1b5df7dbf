import CredfolioCore
import Glibc

/// A folder held open, so that files in it are opened by name relative to
/// it (`openat`): a site opens 20,000 pages in one folder, and the kernel
/// then walks one name each, not the whole path. Closed when released.
public final class OpenFolder {
    public let fd: Int32

    public init(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CredfolioError.invalid("cannot open the folder \(path): \(String(cString: strerror(errno)))") }
        self.fd = fd
    }

    deinit { close(fd) }
}
