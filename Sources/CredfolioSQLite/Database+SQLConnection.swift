public import CredfolioSQL

/// SQLite's side of the seam: every statement through the connection's
/// statement cache, rows read in place as SQLite steps to them.
extension Database: SQLConnection {
    public var engine: SQLEngine { .sqlite }

    public var isInTransaction: Bool { !isAutocommit }

    @discardableResult
    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        try cachedStatement(sql).execute(arguments)
        return changes
    }

    public func forEachRow(_ sql: String, _ arguments: [DatabaseValue], _ body: (any SQLRow) throws -> Void) throws {
        try cachedStatement(sql).forEachRow(arguments) { try body($0) }
    }

    public func first<T>(_ sql: String, _ arguments: [DatabaseValue], _ body: (any SQLRow) throws -> T) throws -> T? {
        try cachedStatement(sql).first(arguments) { try body($0) }
    }
}

extension Statement: SQLRow {}
