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
///
/// With `replacing: false`, an existing file at `path` is never replaced,
/// even one made while the output was written: the name is given with an
/// exclusive link, which fails when the name is taken.
public func writeOutput(to path: String?, replacing: Bool = true, _ body: (OutputSink) throws -> Void) throws {
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
    try OutputTarget.requireFolder(of: target.path)
    let file = try TemporaryFile(folder: target.folder, named: true)
    let sink = OutputSink(fileDescriptor: file.fd, name: path)
    try body(sink)
    try sink.flush()
    guard fsync(file.fd) == 0 else { throw target.failure("cannot write") }
    try file.publish(as: target.path, replacing: replacing)
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

    /// The folder that would hold `path`: `.` for a bare name.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Makes `folder` and any of its parents that are missing, as
    /// `mkdir -p` does, each with `mode`.
    public static func makeFolders(_ folder: String, mode: UInt32) throws {
        guard !folder.isEmpty, access(folder, F_OK) != 0 else { return }
        if let slash = folder.lastIndex(of: "/"), slash != folder.startIndex { try makeFolders(String(folder[..<slash]), mode: mode) }
        if mkdir(folder, mode_t(mode)) != 0 && errno != EEXIST {
            throw CredfolioError.invalid("cannot make the folder \(folder): \(String(cString: strerror(errno)))")
        }
    }

    /// Refuses to write `path` when its folder does not exist: every file
    /// credfolio writes (`-o`, `--write-model`, `backup`, `key generate`,
    /// `--db`) goes into a folder that is there, never into one that a
    /// mistyped path would make.
    public static func requireFolder(of path: String) throws {
        let folder = folder(of: path)
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw CredfolioError.invalid("cannot write \(path): there is no folder \(folder)")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw CredfolioError.invalid("cannot write \(path): \(folder) is not a folder")
        }
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
    /// temporary name is ever left behind. With `replacing: false`, the name
    /// is given by an exclusive link instead: a file already at `path`,
    /// even one made a moment ago by another process, is kept, and the
    /// write fails.
    ///
    /// `syncingFolder: false` skips syncing the folder after the rename:
    /// the name is still given in one step, but a power cut may undo it
    /// (a site's pages, which are written again at the next run, and would
    /// otherwise cost a journal commit each).
    public func publish(as path: String, replacing: Bool = true, syncingFolder: Bool = true) throws {
        credfolio_hold_signals(1)
        defer { credfolio_hold_signals(0) }
        if !replacing && fallbackName == nil {
            // The unnamed file gets its one name directly; linkat never replaces.
            guard credfolio_link_unnamed(fd, path) == 0 else { throw Self.cannotWrite(path) }
        } else {
            let name: String
            if let fallbackName {
                name = fallbackName
            } else {
                name = folder + "/.credfolio-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                guard credfolio_link_unnamed(fd, name) == 0 else { throw Self.cannotWrite(path) }
            }
            guard (replacing ? rename(name, path) : link(name, path)) == 0 else {
                let error = Self.cannotWrite(path)
                unlink(name)
                throw error
            }
            if !replacing { unlink(name) }
        }
        fallbackName = nil
        credfolio_forget_on_signal()
        guard syncingFolder else { return }
        // The rename itself survives a power cut once the folder is synced.
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    private static func cannotWrite(_ path: String) -> CredfolioError {
        errno == EEXIST ? .conflict("\(path) already exists; choose a new file")
            : .invalid("cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
