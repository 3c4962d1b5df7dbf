import CPQ
import CredfolioCore
#if canImport(Glibc)
import Glibc
#endif

/// One connection to a PostgreSQL server through libpq: statements with
/// parameters sent apart from the SQL (never spliced into it), results as
/// text. The thin wrapper over libpq that the PostgreSQL store will stand on,
/// as `CredfolioSQLite.Database` stands on SQLite's C API.
///
/// Not `Sendable`: a libpq connection is used by one thread at a time.
public final class PostgresConnection {
    /// The connection libpq made, never nil while this object lives.
    let handle: OpaquePointer
    let library: PostgresLibrary
    /// Statements prepared on this connection, by their SQL as the store
    /// wrote it (with `?`): each is parsed and planned once per connection.
    var prepared: [String: String] = [:]
    /// Open transactions: 0 outside any, 1 in one, more in savepoints.
    var transactionDepth = 0
    /// Cursors opened so far, for their unique names.
    var cursorCount = 0
    /// How long a write may keep trying (lock waits, retried serialization
    /// failures) before it fails as busy, in milliseconds.
    public private(set) var busyTimeoutMilliseconds: Int32 = 10_000

    /// Connects with a libpq connection string: a `postgresql://` URL or
    /// `key=value` pairs (host, port, dbname, user, sslmode, …). A password
    /// comes from `~/.pgpass` or `PGPASSWORD`, as libpq reads them.
    public init(_ conninfo: String) throws(PostgresError) {
        let library: PostgresLibrary
        switch PostgresLibrary.loaded {
        case .success(let loaded): library = loaded
        case .failure(let error): throw PostgresError(message: error.message, sqlState: nil)
        }
        // libpq returns a connection object even when it fails (nil only when out of memory).
        guard let handle = library.connectdb(conninfo) else {
            throw PostgresError(message: "cannot connect to PostgreSQL: out of memory", sqlState: nil)
        }
        guard library.status(handle) == CONNECTION_OK else {
            let message = PostgresError.text(library.errorMessage(handle))
            library.finish(handle)
            throw PostgresError(message: "cannot connect to PostgreSQL: " + message, sqlState: nil)
        }
        self.handle = handle
        self.library = library
        // Dates as ISO text whatever the server's default, doubles in their shortest exact form, and no
        // notices (libpq would print them on standard error): what matters comes back as an error.
        try run(script: "SET datestyle = 'ISO, YMD'; SET extra_float_digits = 1; SET client_min_messages = warning")
    }

    deinit { library.finish(handle) }

    /// The rows of a statement's result, every value as PostgreSQL's text
    /// form, nil for NULL.
    public struct Rows: Equatable, Sendable {
        public let columns: [String]
        public let values: [[String?]]
    }

    /// Runs one statement with `parameters` bound to `$1`, `$2`, … (nil is
    /// NULL) and returns its rows (none for a statement that returns none).
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> Rows {
        let result = Self.withCStrings(parameters) { pointers in
            library.execParams(handle, sql, Int32(pointers.count), nil, pointers.baseAddress, nil, nil, 0)
        }
        return try rows(of: result)
    }

    /// Runs a script of statements separated by `;`, without parameters
    /// (a migration); they run as one implicit transaction unless the
    /// script says otherwise. Returns the last statement's rows.
    @discardableResult
    public func run(script sql: String) throws(PostgresError) -> Rows {
        try rows(of: library.exec(handle, sql))
    }

    /// The rows of `result`, which is cleared; a failed result throws.
    private func rows(of result: OpaquePointer?) throws(PostgresError) -> Rows {
        guard let result else {
            throw PostgresError(message: PostgresError.text(library.errorMessage(handle)), sqlState: nil)
        }
        defer { library.clear(result) }
        switch library.resultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Rows(columns: [], values: [])
        case PGRES_TUPLES_OK:
            let rows = library.ntuples(result), fields = library.nfields(result)
            let columns = (0..<fields).map { PostgresError.text(library.fname(result, $0)) }
            let values = (0..<rows).map { row in
                (0..<fields).map { field -> String? in
                    library.getisnull(result, row, field) == 1 ? nil : PostgresError.text(library.getvalue(result, row, field))
                }
            }
            return Rows(columns: columns, values: values)
        default:
            throw error(of: result)
        }
    }

    /// The error a failed `result` reports: the server's primary message (one
    /// line) and SQLSTATE, or libpq's own message.
    func error(of result: OpaquePointer) -> PostgresError {
        let state = library.resultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let primary = library.resultErrorField(result, Int32(UInt8(ascii: "M")))
        return PostgresError(message: PostgresError.text(primary ?? library.resultErrorMessage(result)), sqlState: state)
    }

    /// Sets how long a statement waits for a lock another transaction holds
    /// (then it fails with 55P03), and for how long a failed serializable
    /// transaction is tried again.
    public func setBusyTimeout(milliseconds: Int32) throws(PostgresError) {
        try run(script: "SET lock_timeout = \(max(1, milliseconds))")
        busyTimeoutMilliseconds = milliseconds
    }

    /// The version of the libpq loaded, as libpq numbers it (150005 for 15.5).
    public var libraryVersion: Int { Int(library.libVersion()) }

    /// Calls `body` with C strings of `values` (NULL pointers for nil), valid
    /// only during the call: libpq copies what it sends.
    static func withCStrings<T>(_ values: [String?], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> T) -> T {
        // Each string copied by strdup, freed after the call.
        let copies: [UnsafeMutablePointer<CChar>?] = values.map { $0.flatMap { strdup($0) } }
        defer { for copy in copies { free(copy) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer(body)
    }
}

/// An error from libpq or the server: its message, and the server's
/// SQLSTATE when there is one.
public struct PostgresError: Error, Equatable, Sendable {
    public let message: String
    public let sqlState: String?

    public init(message: String, sqlState: String?) {
        self.message = message
        self.sqlState = sqlState
    }

    /// A serialization failure (40001) or a deadlock (40P01): the
    /// transaction changed nothing and may be tried again.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// libpq's message without its trailing line break; "" for none.
    static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer).trimmingSpaces()
    }
}
