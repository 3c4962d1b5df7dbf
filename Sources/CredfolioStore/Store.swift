public import CredfolioSQL
public import CredfolioSQLite
import CredfolioPostgres
import CSQLite
import CredfolioCore
import CredfolioSystem
#if canImport(Glibc)
import Glibc
#endif

/// A credfolio database: a SQLite file, or a PostgreSQL database for a team
/// (``init(postgres:access:busyTimeoutMilliseconds:migrator:)``), opened
/// with the settings every connection needs, checked to be ours, and
/// migrated to the current schema. Everything above the store talks to it
/// through ``database``, the same on both engines.
public final class Store {
    /// `PRAGMA application_id` of every credfolio database: "CFOL".
    public static let applicationID: Int32 = 0x4346_4F4C

    /// The connection the repositories use.
    public let database: any SQLConnection
    /// The SQLite connection, for what only a file has (backups, SQLite's
    /// own checks); nil on PostgreSQL.
    public let file: Database?
    /// Where the database is: the file's path, or the PostgreSQL URL without
    /// its password.
    public let path: String
    /// True when this process can only read the file: it, or its folder,
    /// is read-only.
    public let isReadOnly: Bool
    /// True when this open created the file: a command that then fails
    /// removes it, so that a mistyped path leaves nothing behind.
    public let created: Bool

    /// What a command does with the database.
    public enum Access: Sendable {
        /// Reads only: a missing database is an error, never created; a
        /// read-only file or folder is fine.
        case read
        /// May write: a missing database (and its folders) is created; a
        /// read-only one is an error.
        case write
    }

    /// Opens the database at `path`. For `.write`, creates it (readable by
    /// its owner only) when it does not exist, and its folders when
    /// `makingFolders` (the default location); a path someone typed must
    /// name a folder that exists.
    ///   - busyTimeoutMilliseconds: how long a write waits for another
    ///     process's lock before the command fails as busy.
    public init(path: String, access: Access = .write, makingFolders: Bool = true, busyTimeoutMilliseconds: Int32 = 10_000,
                migrator: Migrator = Migrator()) throws {
        self.path = path
        let inMemory = path == ":memory:"
        var info = stat()
        if !inMemory && stat(path, &info) == 0 {
            // SQLite's own messages for these are "disk I/O error" and "unable to open database file".
            if (info.st_mode & S_IFMT) == S_IFDIR { throw CredfolioError(.database, "\(path) is a folder, not a database file") }
            if (info.st_mode & S_IFMT) != S_IFREG { throw CredfolioError(.database, "\(path) is not a regular file, so not a database") }
        }
        created = !inMemory && Glibc.access(path, F_OK) != 0
        if created {
            guard access == .write else { throw CredfolioError.notFound("no database at \(path)") }
            try Store.createPrivately(path, makingFolders: makingFolders)
        }
        let writable = inMemory || Store.canWrite(path)
        if access == .write && !writable {
            throw CredfolioError(.database, "\(path) is read-only: this command changes the database")
        }
        isReadOnly = !writable
        do {
            var options = Database.Options()
            options.readOnly = !writable
            options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            options.immutable = try Store.readsAsImmutable(path, writable: writable)
            let database = try Database(path: path, options: options)
            self.database = database
            file = database
            try Store.checkOwnership(database, path: path, migrator: migrator)
            if writable && !inMemory {
                try database.execute(script: "PRAGMA journal_mode = WAL")
                // FULL: a command that reported success survives a power cut,
                // at the cost of one fsync per command (imports are one
                // transaction, so one fsync per file).
                try database.execute(script: "PRAGMA synchronous = FULL")
            }
            if writable {
                try migrator.migrate(database)
            } else if try Migrator.version(of: database) < migrator.latestVersion {
                throw CredfolioError(
                    .database, "\(path) needs upgrading to this credfolio's schema, and it is read-only: open it once with write access")
            }
        } catch let error as DatabaseError {
            throw Store.explain(error, path: path)
        }
    }

    /// Opens the PostgreSQL database at `url` (libpq's `postgresql://` URL:
    /// host, port, database, user, `sslmode`); the password comes from
    /// `~/.pgpass` or `PGPASSWORD`. For `.write`, the schema is migrated when
    /// it is behind (which takes the owner's role); a read needs it current.
    /// Nothing is created on the server: the database must exist.
    public init(postgres url: String, access: Access = .write, busyTimeoutMilliseconds: Int32 = 10_000,
                migrator: PostgresMigrator = PostgresMigrator()) throws {
        path = Store.displayed(url)
        if Store.hasPassword(url) {
            throw CredfolioError.invalid("\(path) has a password in it: give it in ~/.pgpass or $PGPASSWORD, where other users cannot see it, never on the command line")
        }
        created = false
        file = nil
        isReadOnly = access == .read
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(url)
            try connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        } catch {
            throw CredfolioError(.database, error.message)
        }
        database = connection
        let version = try PostgresMigrator.version(of: connection)
        if version > migrator.latestVersion {
            throw CredfolioError(.database, "\(path) has schema version \(version), newer than this credfolio knows (\(migrator.latestVersion)): upgrade credfolio")
        }
        if version < migrator.latestVersion {
            guard access == .write else {
                if version == 0 {
                    throw CredfolioError.notFound("no credfolio database at \(path): run a command that writes, or credfolio team init, first")
                }
                throw CredfolioError(.database, "\(path) needs upgrading to this credfolio's schema: run a command that writes as its owner")
            }
            try migrator.migrate(connection)
        }
    }

    /// Whether `location` names a PostgreSQL database rather than a file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Opens the database at `location`: a PostgreSQL URL, or a file.
    public static func open(_ location: String, access: Access, makingFolders: Bool = true,
                            busyTimeoutMilliseconds: Int32 = 10_000) throws -> Store {
        if isPostgres(location) {
            return try Store(postgres: location, access: access, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        }
        return try Store(path: location, access: access, makingFolders: makingFolders, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// Whether `path` must be read as an immutable file. In a folder this
    /// process cannot write, SQLite cannot make the `-shm` file through
    /// which a WAL reader and writers share their locks; with no `-wal` or
    /// `-shm` there (every credfolio checkpoints on close) it can still
    /// read the file alone, as immutable, but only safely if nobody can
    /// change the file meanwhile: a file no one may write (no write
    /// permission at all). Any other such file is refused with the reason,
    /// rather than read while its owner may be writing it (wrong answers,
    /// or SQLITE_CORRUPT).
    static func readsAsImmutable(_ path: String, writable: Bool) throws -> Bool {
        guard !writable, !folderWritable(path), Glibc.access(path + "-wal", F_OK) != 0, Glibc.access(path + "-shm", F_OK) != 0 else {
            return false
        }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o222 != 0 else { return true }
        throw CredfolioError(.database, "cannot read \(path) safely: its folder is read-only to you, so SQLite cannot share "
                             + "locks with a process that writes it (make the folder writable, read a copy from credfolio backup, "
                             + "or, if no one writes it any more, chmod a-w the file)")
    }

    static func canWrite(_ path: String) -> Bool {
        Glibc.access(path, W_OK) == 0 && folderWritable(path)
    }

    static func folderWritable(_ path: String) -> Bool {
        guard let slash = path.lastIndex(of: "/") else { return Glibc.access(".", W_OK) == 0 }
        let folder = slash == path.startIndex ? "/" : String(path[..<slash])
        return Glibc.access(folder, W_OK) == 0
    }

    /// Runs `body` in one write transaction: all of it is stored, or
    /// nothing (savepoints when nested).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try database.transaction(body)
    }

    /// Runs `body` in one read transaction: every query sees one state of
    /// the database, and no writer waits for it.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try database.read(body)
    }

    /// What an error of the storage means to a user: a one-line message,
    /// and whether the database was busy (another process held it too
    /// long). Nil for an error that did not come from the storage.
    public static func failure(_ error: any Error) -> (message: String, busy: Bool)? {
        if let error = error as? PostgresError { return postgresFailure(error) }
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case DatabaseError.SQLITE_BUSY, DatabaseError.SQLITE_LOCKED:
            return ("database is busy: another credfolio is using it; try again", true)
        default:
            return (error.description, false)
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
        case DatabaseError.SQLITE_READONLY:
            return CredfolioError(.database, "\(path) is read-only: this command changes the database")
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
            guard !database.isReadOnly else {
                throw CredfolioError(.database, "\(path) is not a credfolio database (it is empty, and read-only)")
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
    static func createPrivately(_ path: String, makingFolders: Bool) throws {
        if access(path, F_OK) == 0 { return }
        if makingFolders, let slash = path.lastIndex(of: "/") {
            try OutputTarget.makeFolders(String(path[..<slash]), mode: 0o700)
        } else {
            try OutputTarget.requireFolder(of: path)
        }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno != EEXIST {
            throw CredfolioError(.database, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        if fd >= 0 { close(fd) }
    }
}
