import CSQLite
import CredfolioCore
#if canImport(Glibc)
import Glibc
#endif

/// A credfolio database file: opened with the settings every connection
/// needs, checked to be ours, and migrated to the current schema.
public final class Store {
    /// `PRAGMA application_id` of every credfolio database: "CFOL".
    public static let applicationID: Int32 = 0x4346_4F4C

    public let database: Database
    public let path: String

    /// Opens the database at `path`, creating it (readable by its owner
    /// only) and its folder when they do not exist.
    public init(path: String, migrator: Migrator = Migrator()) throws {
        self.path = path
        if path != ":memory:" { try Store.createPrivately(path) }
        do {
            database = try Database(path: path)
            try Store.checkOwnership(database, path: path, migrator: migrator)
            if path != ":memory:" {
                try database.execute(script: "PRAGMA journal_mode = WAL")
                // FULL: a command that reported success survives a power cut,
                // at the cost of one fsync per command (imports are one
                // transaction, so one fsync per file).
                try database.execute(script: "PRAGMA synchronous = FULL")
            }
            try migrator.migrate(database)
        } catch let error as DatabaseError {
            throw Store.explain(error, path: path)
        }
    }

    /// A fresh private in-memory database, migrated.
    public static func inMemory() throws -> Store {
        try Store(path: ":memory:")
    }

    /// Turns SQLite's errors on open into one line a user can act on.
    static func explain(_ error: DatabaseError, path: String) -> any Error {
        switch error.resultCode {
        case DatabaseError.SQLITE_NOTADB, DatabaseError.SQLITE_CORRUPT:
            return CredfolioError(.database, "\(path) is not a credfolio database (\(error.message))")
        case DatabaseError.SQLITE_CANTOPEN:
            return CredfolioError(.database, "cannot open \(path): \(error.message)")
        case DatabaseError.SQLITE_BUSY, DatabaseError.SQLITE_LOCKED:
            return CredfolioError(.busy, "database is busy: another credfolio is writing to \(path); try again")
        default:
            return error
        }
    }

    private static func checkOwnership(_ database: Database, path: String, migrator: Migrator) throws {
        let storedID = try database.scalar(Int32.self, "PRAGMA application_id") ?? 0
        let version = try Migrator.version(of: database)
        if storedID == 0 && version == 0 {
            let objects = try database.scalar(Int.self, "SELECT count(*) FROM sqlite_schema") ?? 0
            guard objects == 0 else {
                throw CredfolioError(.database, "\(path) is not a credfolio database (it holds other tables)")
            }
        } else if storedID != applicationID {
            throw CredfolioError(.database, "\(path) is not a credfolio database (application id \(storedID))")
        }
        guard version <= migrator.latestVersion else {
            throw CredfolioError(
                .database,
                "\(path) has schema version \(version), newer than this credfolio knows (\(migrator.latestVersion)): upgrade credfolio")
        }
    }

    /// Creates the file with mode 0600, and its missing folders with 0700,
    /// before SQLite opens it: the database holds personal data. SQLite
    /// gives the -wal and -shm files the same mode as the database.
    static func createPrivately(_ path: String) throws {
        if access(path, F_OK) == 0 { return }
        var folder = path
        if let slash = folder.lastIndex(of: "/") {
            folder = String(folder[..<slash])
            try makeFolders(folder)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno != EEXIST {
            throw CredfolioError(.database, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        if fd >= 0 { close(fd) }
    }

    private static func makeFolders(_ folder: String) throws {
        guard !folder.isEmpty, access(folder, F_OK) != 0 else { return }
        if let slash = folder.lastIndex(of: "/") { try makeFolders(String(folder[..<slash])) }
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw CredfolioError(.database, "cannot create folder \(folder): \(String(cString: strerror(errno)))")
        }
    }
}

extension Int32: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int32? {
        if case .integer(let v) = value { return Int32(truncatingIfNeeded: v) }
        return nil
    }
}
