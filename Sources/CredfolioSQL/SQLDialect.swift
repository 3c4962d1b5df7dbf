import CredfolioCore

/// The few things the store must write differently for each engine. Most of
/// its SQL is written once, in what both engines read alike (`ON CONFLICT`,
/// `RETURNING`, `IS NOT DISTINCT FROM`, `coalesce`, `CAST`); what is left is
/// here, so that no repository tests which engine it talks to.
public struct SQLDialect: Sendable {
    public let engine: SQLEngine

    public init(engine: SQLEngine) { self.engine = engine }

    /// A subquery giving the texts of one parameter bound with
    /// ``textList(_:)``: `code IN (\(dialect.texts(1)))`.
    ///   - parameter: the parameter's number.
    public func texts(_ parameter: Int) -> String {
        switch engine {
        case .sqlite: return "SELECT value FROM json_each(?\(parameter))"
        case .postgres: return "SELECT jsonb_array_elements_text(CAST(?\(parameter) AS jsonb))"
        }
    }

    /// A subquery giving the integers of one parameter bound with
    /// ``integerList(_:)``.
    public func integers(_ parameter: Int) -> String {
        switch engine {
        case .sqlite: return "SELECT value FROM json_each(?\(parameter))"
        case .postgres: return "SELECT CAST(jsonb_array_elements_text(CAST(?\(parameter) AS jsonb)) AS bigint)"
        }
    }

    /// What an INSERT that gives a numbered table's `id` itself says after
    /// its column list: PostgreSQL's identity columns refuse one otherwise.
    public var keepingIdentity: String {
        engine == .postgres ? " OVERRIDING SYSTEM VALUE" : ""
    }

    /// The statement that moves `table`'s numbering past the ids it holds,
    /// after rows were inserted with their own ids; nil where the engine
    /// numbers from the largest id anyway (SQLite).
    public func renumbering(_ table: String) -> String? {
        engine == .postgres
            ? "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false) FROM \(table)"
            : nil
    }

    /// `values` as one parameter for ``texts(_:)``: a JSON array, so that a
    /// list of any length is one bound value, never SQL text.
    public static func textList<S: Sequence<String>>(_ values: S) -> DatabaseValue {
        .text(JSONValue.array(values.map(JSONValue.string)).serialized(pretty: false))
    }

    /// `values` as one parameter for ``integers(_:)``.
    public static func integerList<S: Sequence<Int64>>(_ values: S) -> DatabaseValue {
        .text(JSONValue.array(values.map(JSONValue.integer)).serialized(pretty: false))
    }
}
