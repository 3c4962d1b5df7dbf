public import CredfolioCore

extension Database {
    /// The "not found" error for `value` in `table.column`, with the
    /// nearest stored value (``Field/nearest(to:among:)``):
    /// `no learner "ANA"; did you mean ana?`, `no stack "cyy"; did you mean cy?`.
    public func notFound(_ what: String, _ value: String, table: String, column: String) -> CredfolioError {
        // Only values whose length is near enough to be near are read (on a path that already failed);
        // the message and the choice among them are Field.notFound's, as for codes already in memory.
        let length = value.unicodeScalars.count
        let candidates = (try? fetch("SELECT \(column) FROM \(table) WHERE length(\(column)) BETWEEN ? AND ?",
                                     [.integer(Int64(length - 2)), .integer(Int64(length + 2))]) { $0.string(0) }) ?? []
        return Field.notFound(what, value, among: candidates)
    }

    /// The distinct non-empty values of `table.column`, sorted: what a
    /// filter that matched nothing could have named.
    public func distinctValues(_ table: String, _ column: String) throws -> [String] {
        try fetch("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL ORDER BY \(column)") { $0.string(0) }
    }
}
