import CSQLite
public import CredfolioCore
public import CredfolioSQL

/// SQLite's "copy the bytes now" destructor for bound text and blobs: they do not outlive the call.
let SQLITE_TRANSIENT = credfolio_sqlite3_transient()

/// A prepared statement. It is finalised when the last reference goes away,
/// so no caller ever has to remember to.
///
/// Bind with ``bind(_:)`` or the typed `bind(…, at:)` methods, step with
/// ``step()``, and read the current row with the typed column accessors.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    public let sql: String

    init(database: Database, sql: String, persistent: Bool) throws {
        var stmt: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(database.handle, sql, -1, flags, &stmt, nil)
        guard code == SQLITE_OK else {
            sqlite3_finalize(stmt)
            throw DatabaseError(connection: database.handle, code: code, sql: sql)
        }
        guard let stmt else {
            // Only white space or a comment: nothing to run.
            throw DatabaseError(code: SQLITE_MISUSE, message: "no SQL statement to prepare", sql: sql)
        }
        self.handle = stmt
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding (parameters are 1-based, as in SQLite)

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement, clears earlier bindings and binds `values` in
    /// order. Throws `SQLITE_RANGE` when their number is not the statement's.
    public func bind(_ values: [DatabaseValue]) throws {
        reset()
        guard values.count == parameterCount else {
            throw DatabaseError(
                code: SQLITE_RANGE,
                message: "statement takes \(parameterCount) arguments, \(values.count) given", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    public func bind(_ values: (any DatabaseValueConvertible)?...) throws {
        try bind(values.map { $0?.databaseValue ?? .null })
    }

    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        switch value {
        case .null: try check(sqlite3_bind_null(handle, index))
        case .integer(let v): try bind(v, at: index)
        case .real(let v): try check(sqlite3_bind_double(handle, index, v))
        case .text(let v): try bind(v, at: index)
        case .blob(let v):
            let code = v.withUnsafeBytes { raw in
                // A zero-length blob has no base address; bind an empty blob, not NULL.
                raw.baseAddress == nil
                    ? sqlite3_bind_zeroblob(handle, index, 0)
                    : sqlite3_bind_blob64(handle, index, raw.baseAddress, UInt64(raw.count), SQLITE_TRANSIENT)
            }
            try check(code)
        }
    }

    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ value: String, at index: Int32) throws {
        var text = value
        let code = text.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                // The empty string is text, not NULL.
                return sqlite3_bind_text64(handle, index, "", 0, SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(handle, index, $0, UInt64(utf8.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    public func bind(_ value: String?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try check(sqlite3_bind_null(handle, index)) }
    }

    public func bind(_ value: Int64?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try check(sqlite3_bind_null(handle, index)) }
    }

    /// True between the first step that returned a row and the reset:
    /// the statement is in the middle of its rows.
    public var isBusy: Bool { sqlite3_stmt_busy(handle) != 0 }

    /// Makes the statement ready to run again and forgets its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Makes the statement ready to run again, keeping its bindings (and
    /// SQLite's buffers for them): for a loop that rebinds every parameter.
    public func rewind() {
        sqlite3_reset(handle)
    }

    // MARK: Stepping

    /// Runs the statement to its next row: true when a row is ready to read,
    /// false when it is done.
    @discardableResult
    public func step() throws -> Bool {
        if !isBusy { try database.checkNotAborted(sql) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = DatabaseError(connection: database.handle, code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Binds `values`, runs the statement to completion and resets it.
    public func execute(_ values: [DatabaseValue] = []) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Binds `values` and calls `body` once per row; resets when done.
    public func forEachRow(_ values: [DatabaseValue] = [], _ body: (Statement) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() { try body(self) }
    }

    /// Binds `values` and maps every row through `body`.
    public func map<T>(_ values: [DatabaseValue] = [], _ body: (Statement) throws -> T) throws -> [T] {
        var rows: [T] = []
        try forEachRow(values) { rows.append(try body($0)) }
        return rows
    }

    /// The first row mapped through `body`, or nil when there is none.
    public func first<T>(_ values: [DatabaseValue] = [], _ body: (Statement) throws -> T) throws -> T? {
        try bind(values)
        defer { sqlite3_reset(handle) }
        return try step() ? try body(self) : nil
    }

    // MARK: Reading the current row (columns are 0-based, as in SQLite)

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(_ index: Int32) -> String {
        String(cString: sqlite3_column_name(handle, index))
    }

    public func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }


    public func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }


    /// The column as text; the empty string for NULL.
    public func string(_ index: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The column's bytes; empty for NULL.
    public func blob(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The column as a date, parsed from SQLite's bytes without making a
    /// String; nil for NULL or text that is not a date.
    public func optionalDay(_ index: Int32) -> Day? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        return Day.parse(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, index))))
    }

    /// The first byte of a text column (0 for NULL or empty): enough to
    /// tell apart the values of an enum whose names start differently.
    public func firstByte(_ index: Int32) -> UInt8 {
        guard let bytes = sqlite3_column_text(handle, index), sqlite3_column_bytes(handle, index) > 0 else { return 0 }
        return bytes[0]
    }

    /// The column as a ``DatabaseValue``, whatever its storage class.
    public func value(_ index: Int32) -> DatabaseValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .real(double(index))
        case SQLITE_TEXT: return .text(string(index))
        default: return .blob(blob(index))
        }
    }

    /// The column decoded as `T`; throws when it is NULL or of another kind.
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, at index: Int32) throws -> T {
        let raw = value(index)
        guard let decoded = T.fromDatabaseValue(raw) else {
            throw DatabaseError(
                code: SQLITE_MISMATCH,
                message: "column \(columnName(index)) holds \(raw), not \(T.self)", sql: sql)
        }
        return decoded
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(connection: database.handle, code: code, sql: sql)
        }
    }
}

