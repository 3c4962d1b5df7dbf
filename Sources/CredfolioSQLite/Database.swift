import CSQLite
import CredfolioSQL

/// Process-wide SQLite settings, applied once before the first connection.
private let sqliteConfigured: Bool = {
    credfolio_sqlite3_disable_memstatus() == SQLITE_OK
}()

/// One connection to a SQLite database.
///
/// A `Database` is not `Sendable`: it belongs to the task that opened it.
/// Statements prepared with ``cachedStatement(_:)`` are kept, keyed by their
/// SQL, for the life of the connection.
public final class Database {
    let handle: OpaquePointer
    /// The path it was opened with (`:memory:` for an in-memory database).
    public let path: String
    private var statementCache: [String: Statement] = [:]
    var transactionDepth = 0

    public struct Options: Sendable {
        public var readOnly = false
        /// Create the file when it does not exist.
        public var create = true
        /// How long a write waits for another process's lock before it fails
        /// with `SQLITE_BUSY`.
        public var busyTimeoutMilliseconds: Int32 = 10_000
        /// The file cannot change while it is open (SQLite's `immutable`):
        /// for a read-only database in a read-only folder.
        public var immutable = false
        public init() {}
    }

    /// How long a write waits for another process's lock.
    public let busyTimeoutMilliseconds: Int32

    /// True when the connection was opened read-only.
    public let isReadOnly: Bool

    /// Opens (or creates) the database at `path`, with foreign keys enforced.
    public init(path: String, options: Options = Options()) throws {
        _ = sqliteConfigured
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if options.create && !options.readOnly { flags |= SQLITE_OPEN_CREATE }
        var connection: OpaquePointer?
        var name = path
        if options.immutable {
            flags |= SQLITE_OPEN_URI
            name = "file:" + Database.uriEscaped(path) + "?immutable=1"
        }
        let code = sqlite3_open_v2(name, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let error = DatabaseError(connection: connection, code: code)
            sqlite3_close_v2(connection)
            throw error
        }
        self.handle = connection
        self.path = path
        self.isReadOnly = options.readOnly
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, options.busyTimeoutMilliseconds)
        busyTimeoutMilliseconds = options.busyTimeoutMilliseconds
        try execute("PRAGMA foreign_keys = ON")
    }

    /// `path` as the path of a `file:` URI: `%`, `?` and `#` escaped.
    static func uriEscaped(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An empty private in-memory database.
    public static func inMemory() throws -> Database {
        try Database(path: ":memory:")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Running SQL

    /// Runs one or more `;`-separated statements that take no arguments.
    public func execute(script sql: String) throws {
        try checkNotAborted(sql)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) }
            sqlite3_free(errorMessage)
            throw DatabaseError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// A new statement, finalised when it is released.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql, persistent: false)
    }

    /// The statement for `sql` from this connection's cache, prepared on
    /// first use. It is reset when it is executed (bound), not when it is
    /// fetched, as in GRDB: so fetching it again inside a loop over it
    /// cannot restart that loop. While it is in the middle of such a loop
    /// the nested use gets a statement of its own.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            if statement.isBusy { return try prepare(sql) }
            return statement
        }
        let statement = try Statement(database: self, sql: sql, persistent: true)
        statementCache[sql] = statement
        return statement
    }

    // MARK: Connection state

    /// The rowid of the last row inserted on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True outside any transaction.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Throws when a ``transaction(_:)`` is open here but SQLite has rolled
    /// it back on its own (after `SQLITE_FULL`, `SQLITE_IOERR`, some
    /// `SQLITE_BUSY`): a statement run now would run in autocommit mode,
    /// outside the transaction its caller believes in, as GRDB also guards.
    func checkNotAborted(_ sql: String) throws {
        if transactionDepth > 0 && isAutocommit {
            throw DatabaseError(
                code: CSQLite.SQLITE_ABORT,
                message: "the transaction was rolled back by SQLite after an earlier error; nothing more runs in it",
                sql: sql)
        }
    }

    /// The SQLite library's version, e.g. `3.40.1`.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}
