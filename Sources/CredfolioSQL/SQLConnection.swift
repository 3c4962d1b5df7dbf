public import CredfolioCore

/// Which database engine a connection talks to: what the store asks when the
/// two engines' SQL differs (see ``SQLDialect``).
public enum SQLEngine: String, Sendable {
    case sqlite
    case postgres
}

/// One connection to either engine: the seam between the store's SQL and the
/// wrapper that runs it. Statements take `?` parameters in order on both
/// engines; the PostgreSQL wrapper numbers them `$1`, `$2`, … itself.
///
/// A connection is not `Sendable`: it belongs to the task that opened it.
public protocol SQLConnection: AnyObject {
    var engine: SQLEngine { get }

    /// True inside a transaction: between a BEGIN and its end.
    var isInTransaction: Bool { get }

    /// Runs one statement with `arguments`; returns how many rows an INSERT,
    /// UPDATE or DELETE changed (0 for any other statement).
    @discardableResult
    func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int

    /// Runs `;`-separated statements that take no arguments.
    func execute(script sql: String) throws

    /// Calls `body` once for each row of `sql`, in order. The rows are read
    /// as they come (never all held at once), and `body` may run other
    /// statements on this connection meanwhile.
    func forEachRow(_ sql: String, _ arguments: [DatabaseValue], _ body: (any SQLRow) throws -> Void) throws

    /// The first row of `sql` mapped through `body`, or nil when there is none.
    func first<T>(_ sql: String, _ arguments: [DatabaseValue], _ body: (any SQLRow) throws -> T) throws -> T?

    /// Runs `body` in one write transaction: all of it is stored, or nothing.
    /// Nested calls are savepoints: an inner failure the caller catches undoes
    /// only the inner work.
    ///
    /// With `retrying`, a transaction the engine failed because it ran at the
    /// same time as another (PostgreSQL's serialization failures and
    /// deadlocks) is rolled back and run again, while the busy timeout
    /// allows: `body` must then be safe to run again from the start (it must
    /// not consume input, such as a stream, that a second run cannot read).
    @discardableResult
    func transaction<T>(retrying: Bool, _ body: () throws -> T) throws -> T

    /// Runs `body` in one read transaction: every query sees one state of the
    /// database, and no writer waits for it. Inside a transaction already, it
    /// runs in that one.
    func read<T>(_ body: () throws -> T) throws -> T
}

extension SQLConnection {
    /// Runs `body` in one write transaction, run again if the engine fails it
    /// for a concurrent one (see ``transaction(retrying:_:)``).
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try transaction(retrying: true, body)
    }

    /// Runs one statement with `arguments` (nil is NULL); returns the rows changed.
    @discardableResult
    public func execute(_ sql: String, _ arguments: (any DatabaseValueConvertible)?...) throws -> Int {
        try execute(sql, arguments: arguments.map { $0?.databaseValue ?? .null })
    }

    /// Every row of `sql`, mapped through `row`.
    public func fetch<T>(_ sql: String, _ arguments: [DatabaseValue] = [], row: (any SQLRow) throws -> T) throws -> [T] {
        var rows: [T] = []
        try forEachRow(sql, arguments) { rows.append(try row($0)) }
        return rows
    }

    /// Calls `body` once for each row of `sql`, which takes no arguments.
    public func forEachRow(_ sql: String, _ body: (any SQLRow) throws -> Void) throws {
        try forEachRow(sql, [], body)
    }

    /// The first column of the first row as `T`, or nil when there is no row or it is NULL.
    public func scalar<T: SQLScalar>(_ type: T.Type = T.self, _ sql: String, _ arguments: (any DatabaseValueConvertible)?...) throws -> T? {
        let value = try first(sql, arguments.map { $0?.databaseValue ?? .null }) { row in row.isNull(0) ? nil : T.read(row, 0) }
        return value ?? nil
    }

    /// What this connection's engine writes differently.
    public var dialect: SQLDialect { SQLDialect(engine: engine) }

    /// The "not found" error for `value` in `table.column`, with the nearest
    /// stored value (``Field/nearest(to:among:)``): `no learner "ANA"; did you
    /// mean ana?`.
    public func notFound(_ what: String, _ value: String, table: String, column: String) -> CredfolioError {
        // Only values whose length is near enough to be near are read (on a path that already failed);
        // the message and the choice among them are Field.notFound's, as for codes already in memory.
        let length = value.unicodeScalars.count
        let candidates = (try? fetch("SELECT \(column) FROM \(table) WHERE length(\(column)) BETWEEN ? AND ?",
                                     [.integer(Int64(length - 2)), .integer(Int64(length + 2))]) { $0.string(0) }) ?? []
        return Field.notFound(what, value, among: candidates)
    }

    /// The distinct non-empty values of `table.column`, sorted: what a filter
    /// that matched nothing could have named.
    public func distinctValues(_ table: String, _ column: String) throws -> [String] {
        try fetch("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL ORDER BY \(column)") { $0.string(0) }
    }
}

/// A value ``SQLConnection/scalar(_:_:_:)`` reads from a column.
public protocol SQLScalar {
    static func read(_ row: any SQLRow, _ index: Int32) -> Self
}

extension Int: SQLScalar { public static func read(_ row: any SQLRow, _ index: Int32) -> Int { row.int(index) } }
extension Int64: SQLScalar { public static func read(_ row: any SQLRow, _ index: Int32) -> Int64 { row.int64(index) } }
extension Int32: SQLScalar {
    public static func read(_ row: any SQLRow, _ index: Int32) -> Int32 { Int32(truncatingIfNeeded: row.int64(index)) }
}
extension Double: SQLScalar { public static func read(_ row: any SQLRow, _ index: Int32) -> Double { row.double(index) } }
extension String: SQLScalar { public static func read(_ row: any SQLRow, _ index: Int32) -> String { row.string(index) } }
extension Bool: SQLScalar { public static func read(_ row: any SQLRow, _ index: Int32) -> Bool { row.bool(index) } }
