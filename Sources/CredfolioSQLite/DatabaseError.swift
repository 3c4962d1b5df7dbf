import CSQLite

/// A primary SQLite result code, such as `SQLITE_CONSTRAINT`.
///
/// Match errors with `catch DatabaseError.SQLITE_CONSTRAINT { … }`: the
/// pattern matches any ``DatabaseError`` whose primary code is that one,
/// whatever its extended code.
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code of an extended one (the low eight bits).
    public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xFF) }

    /// The extended code `n` of this primary code: `primary | (n << 8)`.
    public func extended(_ n: Int32) -> ResultCode { ResultCode(rawValue: rawValue | (n << 8)) }

    public var description: String {
        String(cString: sqlite3_errstr(rawValue))
    }

    public static func ~= (pattern: ResultCode, error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return pattern.rawValue > 0xFF
            ? error.extendedCode == pattern
            : error.resultCode == pattern
    }
}

/// The one error type of the store: SQLite's result code, its message, and
/// the SQL that failed (when there was one).
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The primary result code.
    public var resultCode: ResultCode { extendedCode.primary }
    /// The extended result code, e.g. `SQLITE_CONSTRAINT_UNIQUE`.
    public let extendedCode: ResultCode
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String? = nil, sql: String? = nil) {
        self.extendedCode = ResultCode(rawValue: code)
        self.message = message ?? String(cString: sqlite3_errstr(code))
        self.sql = sql
    }

    /// The error of the last failed call on `connection`.
    init(connection: OpaquePointer?, code: Int32, sql: String? = nil) {
        let message = connection.map { String(cString: sqlite3_errmsg($0)) }
        self.init(code: sqlite3_extended_errcode(connection) != 0 ? sqlite3_extended_errcode(connection) : code,
                  message: message, sql: sql)
    }

    public var description: String {
        var text = "SQLite error \(resultCode.rawValue) (\(resultCode)): \(message)"
        if let sql { text += " in \(sql)" }
        return text
    }

    public static let SQLITE_ERROR = ResultCode(rawValue: CSQLite.SQLITE_ERROR)
    public static let SQLITE_BUSY = ResultCode(rawValue: CSQLite.SQLITE_BUSY)
    public static let SQLITE_LOCKED = ResultCode(rawValue: CSQLite.SQLITE_LOCKED)
    public static let SQLITE_READONLY = ResultCode(rawValue: CSQLite.SQLITE_READONLY)
    public static let SQLITE_IOERR = ResultCode(rawValue: CSQLite.SQLITE_IOERR)
    public static let SQLITE_CORRUPT = ResultCode(rawValue: CSQLite.SQLITE_CORRUPT)
    public static let SQLITE_CANTOPEN = ResultCode(rawValue: CSQLite.SQLITE_CANTOPEN)
    public static let SQLITE_CONSTRAINT = ResultCode(rawValue: CSQLite.SQLITE_CONSTRAINT)
    public static let SQLITE_MISUSE = ResultCode(rawValue: CSQLite.SQLITE_MISUSE)
    public static let SQLITE_RANGE = ResultCode(rawValue: CSQLite.SQLITE_RANGE)
    public static let SQLITE_NOTADB = ResultCode(rawValue: CSQLite.SQLITE_NOTADB)
    public static let SQLITE_ABORT = ResultCode(rawValue: CSQLite.SQLITE_ABORT)
    // Extended codes are a primary code plus a number in the next byte, as
    // sqlite3.h defines them (its macros do not reach Swift).
    public static let SQLITE_CONSTRAINT_CHECK = SQLITE_CONSTRAINT.extended(1)
    public static let SQLITE_CONSTRAINT_FOREIGNKEY = SQLITE_CONSTRAINT.extended(3)
    public static let SQLITE_CONSTRAINT_NOTNULL = SQLITE_CONSTRAINT.extended(5)
    public static let SQLITE_CONSTRAINT_UNIQUE = SQLITE_CONSTRAINT.extended(8)
}
