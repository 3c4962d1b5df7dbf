public import CredfolioCore
import CPosix
#if canImport(Glibc)
import Glibc
#endif

/// A file written whole again and again, that a reader or an interruption
/// must only ever find whole: the site's stack pages and overview,
/// megabytes each, every week.
///
/// The new content is written over a spare file beside it (`.NAME.spare`:
/// the version before last), and the two are then exchanged in one step
/// (`renameat2` with `RENAME_EXCHANGE`): the file holds the new version,
/// the spare the old one, for the next writing to write over. Writing over
/// a file's blocks costs the file system far less than a new file's
/// allocation and the old one's release: `report html` at 20,000 learners
/// took 0.95 s against 1.10 s, 8 alternating runs. Until the file exists,
/// or where the file system cannot exchange, the spare is renamed over it.
///
/// A small file need not keep a spare (`keepingSpare: false`): the spare is
/// then renamed over the file, and the old version is gone.
public final class RewrittenFile {
    public let sink: OutputSink
    private let path: String
    private let spare: String
    private let keepingSpare: Bool

    /// The spare's name for a file named `name`.
    public static func spareName(of name: String) -> String { "." + name + ".spare" }

    public init(_ path: String, keepingSpare: Bool = true) throws(CredfolioError) {
        let slash = path.lastIndex(of: "/")
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        spare = (slash.map { String(path[...$0]) } ?? "") + Self.spareName(of: name)
        let fd = open(spare, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CredfolioError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
        sink = OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true)
        self.path = path
        self.keepingSpare = keepingSpare
    }

    /// Cuts the spare to what was written, and puts it in the file's place.
    public func publish() throws(CredfolioError) {
        try sink.finishReplacing()
        if keepingSpare && credfolio_exchange(spare, path) == 0 { return }
        guard !keepingSpare || errno == ENOENT || errno == EINVAL, rename(spare, path) == 0 else {
            throw CredfolioError.invalid("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
