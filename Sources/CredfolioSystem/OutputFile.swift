import CPosix
public import CredfolioCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` against standard output (`path` nil or `-`), or against the
/// file at `path`, written whole or not at all:
///
/// - A new or regular file is written to an unnamed file in the same
///   folder (`O_TMPFILE`), which gets a name only once every byte is
///   written and synced; then it replaces `path` in one rename. Ctrl-C, a
///   kill or a crash before that leaves nothing behind, and any previous
///   file at `path` untouched. Where the file system has no unnamed files,
///   a named temporary file is removed on SIGINT, SIGTERM and SIGHUP.
/// - The file is created readable by its owner only (0600): exports hold
///   names and email addresses, like the database.
/// - A path that is a device or a pipe (`/dev/stdout`) is written in place;
///   a symbolic link is followed, and the file it names is replaced.
public func writeOutput(to path: String?, _ body: (OutputSink) throws -> Void) throws {
    guard let path, path != "-" else {
        let sink = OutputSink.standardOutput()
        try body(sink)
        try sink.flush()
        return
    }
    let target = OutputTarget(path)
    if target.isSpecial {
        let fd = open(target.path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw target.failure("cannot write") }
        let sink = OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true)
        try body(sink)
        try sink.flush()
        return
    }
    let file = try TemporaryFile(folder: target.folder, named: true)
    let sink = OutputSink(fileDescriptor: file.fd, name: path)
    try body(sink)
    try sink.flush()
    guard fsync(file.fd) == 0 else { throw target.failure("cannot write") }
    try file.publish(as: target.path)
}

/// Where `-o` writes: the file a symbolic link names, its folder, and
/// whether it is something other than a regular file.
public struct OutputTarget {
    public let path: String
    public let folder: String
    public let isSpecial: Bool

    public init(_ given: String) {
        var resolved = given
        var info = stat()
        if lstat(given, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK, let real = realpath(given, nil) {
            resolved = String(cString: real)
            free(real)
        }
        path = resolved
        isSpecial = stat(resolved, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG
        if let slash = resolved.lastIndex(of: "/") {
            folder = slash == resolved.startIndex ? "/" : String(resolved[..<slash])
        } else {
            folder = "."
        }
    }

    public func failure(_ what: String) -> CredfolioError {
        .invalid("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}

/// A file readable by its owner only, with no name in its folder until
/// ``publish(as:)`` gives it one: closed and gone if the process ends first.
public final class TemporaryFile {
    public let fd: Int32
    private let folder: String
    /// The name of the fallback file, where the folder cannot hold unnamed
    /// files and the file must later be published.
    private var fallbackName: String?

    /// - Parameter named: the file will be published, so where unnamed
    ///   files are not possible it needs a name now (removed on a signal);
    ///   otherwise it is unlinked at once.
    public init(folder: String, named: Bool) throws {
        self.folder = folder
        let unnamed = credfolio_open_unnamed(folder, 0o600)
        if unnamed >= 0 {
            fd = unnamed
            return
        }
        guard errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL || errno == ENOENT && access(folder, F_OK) == 0 else {
            throw CredfolioError.invalid("cannot write in \(folder): \(String(cString: strerror(errno)))")
        }
        // mkstemp creates the file with mode 0600.
        var template = Array((folder + "/.credfolio-XXXXXX").utf8CString)
        credfolio_hold_signals(1)
        defer { credfolio_hold_signals(0) }
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else {
            throw CredfolioError.invalid("cannot write in \(folder): \(String(cString: strerror(errno)))")
        }
        fd = made
        let name = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if named {
            fallbackName = name
            credfolio_remove_on_signal(name)
        } else {
            unlink(name)
        }
    }

    deinit {
        if let fallbackName {
            unlink(fallbackName)
            credfolio_forget_on_signal()
        }
        close(fd)
    }

    /// Gives the file the name `path`, replacing what was there in one
    /// rename, with SIGINT, SIGTERM and SIGHUP held meanwhile so that no
    /// temporary name is ever left behind.
    public func publish(as path: String) throws {
        credfolio_hold_signals(1)
        defer { credfolio_hold_signals(0) }
        var name = fallbackName
        if name == nil {
            let temporary = folder + "/.credfolio-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            guard credfolio_link_unnamed(fd, temporary) == 0 else {
                throw CredfolioError.invalid("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            name = temporary
        }
        guard rename(name!, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(name!)
            throw CredfolioError.invalid("cannot write \(path): \(reason)")
        }
        fallbackName = nil
        credfolio_forget_on_signal()
        // The rename itself survives a power cut once the folder is synced.
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
