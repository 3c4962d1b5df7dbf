public import CredfolioCore

extension Database {
    /// The "not found" error for `value` in `table.column`, with the stored
    /// value that differs only in case when there is one:
    /// `no learner "ANA"; did you mean ana?`.
    public func notFound(_ what: String, _ value: String, table: String, column: String) -> CredfolioError {
        let match = try? scalar(
            String.self, "SELECT \(column) FROM \(table) WHERE \(column) = ? COLLATE NOCASE ORDER BY \(column) LIMIT 1", value)
        return CredfolioError.notFound("no \(what) \(Field.quoted(value))" + (match.map { "; did you mean \($0)?" } ?? ""))
    }

    /// The distinct non-empty values of `table.column`, sorted: what a
    /// filter that matched nothing could have named.
    public func distinctValues(_ table: String, _ column: String) throws -> [String] {
        try fetch("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL ORDER BY \(column)") { $0.string(0) }
    }
}
