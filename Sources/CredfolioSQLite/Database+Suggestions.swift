public import CredfolioCore

extension Database {
    /// The "not found" error for `value` in `table.column`, with the stored
    /// value that differs only in case when there is one:
    /// `no learner "ANA"; did you mean ana?`.
    public func notFound(_ what: String, _ value: String, table: String, column: String) -> CredfolioError {
        // The stored values equal but for ASCII case (SQLite's NOCASE), found through the index; the
        // message and the choice among them are Field.notFound's, as for codes already in memory.
        let candidates = (try? fetch("SELECT \(column) FROM \(table) WHERE \(column) = ? COLLATE NOCASE", [.text(value)]) { $0.string(0) }) ?? []
        return Field.notFound(what, value, among: candidates)
    }

    /// The distinct non-empty values of `table.column`, sorted: what a
    /// filter that matched nothing could have named.
    public func distinctValues(_ table: String, _ column: String) throws -> [String] {
        try fetch("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL ORDER BY \(column)") { $0.string(0) }
    }
}
