import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The database file this process created, if any: removed, with its
/// `-wal` and `-shm`, when the command fails, so that a failed first
/// command (a mistyped `--db`) leaves no new file behind.
public enum NewDatabase {
    private static let path = Mutex<String?>(nil)

    /// Notes `created` as made by this process.
    public static func note(_ created: String) {
        path.withLock { $0 = created }
    }

    public static func removeAfterFailure() {
        guard let path = path.withLock({ $0 }) else { return }
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}
