public import CredfolioCore

/// The current row of a query, read by 0-based column: a SQLite statement
/// stepped to a row, or one row of a PostgreSQL result. A row is valid only
/// inside the closure it is handed to.
///
/// The accessors take what the store's own schema puts there: reading a
/// column as a kind it does not hold gives that kind's zero (as SQLite's own
/// conversions do), never a trap.
public protocol SQLRow {
    /// How many columns the row has.
    var columnCount: Int { get }
    func isNull(_ index: Int32) -> Bool
    func int64(_ index: Int32) -> Int64
    func double(_ index: Int32) -> Double
    /// The column as text; the empty string for NULL.
    func string(_ index: Int32) -> String
    /// The column's bytes (a blob, or `bytea`); empty for NULL.
    func blob(_ index: Int32) -> [UInt8]
    /// The column as a date; nil for NULL or text that is not a date.
    func optionalDay(_ index: Int32) -> Day?
    /// The first byte of a text column (0 for NULL or empty): enough to tell
    /// apart the values of an enum whose names start differently.
    func firstByte(_ index: Int32) -> UInt8
}

extension SQLRow {
    public func int(_ index: Int32) -> Int { Int(int64(index)) }
    public func bool(_ index: Int32) -> Bool { int64(index) != 0 }
    public func optionalString(_ index: Int32) -> String? { isNull(index) ? nil : string(index) }
    public func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }
    public func optionalDouble(_ index: Int32) -> Double? { isNull(index) ? nil : double(index) }
}
