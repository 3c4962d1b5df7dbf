import CPQ
public import CredfolioSQL
import CredfolioCore

/// PostgreSQL's side of the seam. Statements are prepared once per
/// connection, with the store's `?` parameters numbered `$1`, `$2`, …; values
/// travel as text, apart from the SQL. Rows inside a transaction are read
/// through a cursor, a batch at a time, so that a long read holds one batch in
/// memory and other statements may run between batches.
extension PostgresConnection: SQLConnection {
    public var engine: SQLEngine { .postgres }

    /// The server's word, not this object's count: a transaction it ended on its own counts as ended.
    public var isInTransaction: Bool { library.transactionStatus(handle) != PQTRANS_IDLE }

    /// Rows a cursor fetches at a time.
    static let batch = 1_000

    @discardableResult
    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        let result = try run(sql, arguments)
        defer { library.clear(result) }
        return library.cmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    public func execute(script sql: String) throws {
        try run(script: sql)
    }

    public func forEachRow(_ sql: String, _ arguments: [DatabaseValue], _ body: (any SQLRow) throws -> Void) throws {
        // A cursor holds a SELECT only (not an UPDATE … RETURNING, nor a WITH that may change rows).
        guard transactionDepth > 0, PostgresSQL.startsWithSelect(sql) else {
            let result = try run(sql, arguments)
            defer { library.clear(result) }
            try PostgresRow.each(of: result, library, body)
            return
        }
        cursorCount += 1
        let cursor = "credfolio_cursor_\(cursorCount)"
        library.clear(try run("DECLARE \(cursor) NO SCROLL CURSOR FOR " + sql, arguments, preparing: false))
        var done = false
        while !done {
            let result = try run("FETCH FORWARD \(Self.batch) FROM \(cursor)", [], preparing: false)
            defer { library.clear(result) }
            done = Int(library.ntuples(result)) < Self.batch
            try PostgresRow.each(of: result, library, body)
        }
        library.clear(try run("CLOSE \(cursor)", [], preparing: false))
    }

    public func first<T>(_ sql: String, _ arguments: [DatabaseValue], _ body: (any SQLRow) throws -> T) throws -> T? {
        let result = try run(sql, arguments)
        defer { library.clear(result) }
        guard library.ntuples(result) > 0 else { return nil }
        return try body(PostgresRow(result: result, row: 0, library: library))
    }

    /// Runs `sql` (with `?` parameters) and returns its result, which the
    /// caller clears. A statement run often is prepared once and kept.
    func run(_ sql: String, _ arguments: [DatabaseValue], preparing: Bool = true) throws(PostgresError) -> OpaquePointer {
        let texts = arguments.map(Self.text)
        let result: OpaquePointer?
        if preparing {
            let name = try statementName(for: sql)
            result = Self.withCStrings(texts) { pointers in
                library.execPrepared(handle, name, Int32(pointers.count), pointers.baseAddress, nil, nil, 0)
            }
        } else {
            let numbered = PostgresSQL.numbered(sql)
            result = Self.withCStrings(texts) { pointers in
                library.execParams(handle, numbered, Int32(pointers.count), nil, pointers.baseAddress, nil, nil, 0)
            }
        }
        guard let result else {
            throw PostgresError(message: PostgresError.text(library.errorMessage(handle)), sqlState: nil)
        }
        switch library.resultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            let error = error(of: result)
            library.clear(result)
            throw error
        }
    }

    /// The name of the prepared statement for `sql`, preparing it on first use.
    private func statementName(for sql: String) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "credfolio_\(prepared.count + 1)"
        guard let result = library.prepare(handle, name, PostgresSQL.numbered(sql), 0, nil) else {
            throw PostgresError(message: PostgresError.text(library.errorMessage(handle)), sqlState: nil)
        }
        defer { library.clear(result) }
        guard library.resultStatus(result) == PGRES_COMMAND_OK else { throw error(of: result) }
        prepared[sql] = name
        return name
    }

    /// A value in PostgreSQL's text input form; nil for NULL.
    static func text(_ value: DatabaseValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let v): return String(v)
        // Swift prints the shortest text that reads back as the same double, as PostgreSQL does.
        case .real(let v): return "\(v)"
        case .text(let v): return v
        case .blob(let bytes): return PostgresSQL.byteaHex(bytes)
        }
    }
}

/// One row of a PostgreSQL result, read from libpq's text form.
struct PostgresRow: SQLRow {
    let result: OpaquePointer
    let row: Int32
    let library: PostgresLibrary

    /// Calls `body` with each row of `result`.
    static func each(of result: OpaquePointer, _ library: PostgresLibrary, _ body: (any SQLRow) throws -> Void) throws {
        for row in 0..<library.ntuples(result) {
            try body(PostgresRow(result: result, row: row, library: library))
        }
    }

    /// The column's text as bytes (valid while the result lives); empty for NULL.
    private func bytes(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let value = library.getvalue(result, row, index) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(library.getlength(result, row, index))
        // libpq's text is a NUL-terminated char array; read as bytes.
        return UnsafeRawPointer(value).withMemoryRebound(to: UInt8.self, capacity: count) {
            UnsafeBufferPointer(start: $0, count: count)
        }
    }

    var columnCount: Int { Int(library.nfields(result)) }

    func isNull(_ index: Int32) -> Bool { library.getisnull(result, row, index) == 1 }

    /// An integer, or a boolean's `t` and `f` as 1 and 0 (what SQLite stores).
    func int64(_ index: Int32) -> Int64 {
        let text = string(index)
        return text == "t" ? 1 : Int64(text) ?? 0
    }

    func double(_ index: Int32) -> Double { Double(string(index)) ?? 0 }

    func string(_ index: Int32) -> String { String(decoding: bytes(index), as: UTF8.self) }

    func blob(_ index: Int32) -> [UInt8] { PostgresSQL.bytes(fromHex: bytes(index)) ?? [] }

    func optionalDay(_ index: Int32) -> Day? { isNull(index) ? nil : Day.parse(bytes(index)) }

    func firstByte(_ index: Int32) -> UInt8 {
        let text = bytes(index)
        return text.isEmpty ? 0 : text[0]
    }
}
