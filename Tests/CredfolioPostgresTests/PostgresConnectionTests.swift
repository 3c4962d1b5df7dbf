import Foundation
import Testing
import CredfolioPostgres

/// The libpq wrapper against a real server: the throwaway cluster that
/// Scripts/test starts (Scripts/postgres-cluster), named by
/// `$CREDFOLIO_TEST_POSTGRES`. Without it these tests fail, saying how to
/// start one: they never pass by skipping.
@Suite("PostgreSQL: connections, parameters, errors and their SQLSTATE, on a real server",
       .enabled(if: ProcessInfo.processInfo.environment["CREDFOLIO_SKIP_POSTGRES"] != "1", "CREDFOLIO_SKIP_POSTGRES=1"))
struct PostgresConnectionTests {
    func connect() throws -> PostgresConnection {
        guard let conninfo = ProcessInfo.processInfo.environment["CREDFOLIO_TEST_POSTGRES"], !conninfo.isEmpty else {
            Issue.record("no test server: run Scripts/test, or eval \"$(Scripts/postgres-cluster start)\" first")
            throw PostgresError(message: "no test server", sqlState: nil)
        }
        return try PostgresConnection(conninfo)
    }

    @Test("parameters travel apart from the SQL: quotes, Unicode and NULL come back exactly")
    func parameters() throws {
        let db = try connect()
        try db.query("CREATE TEMPORARY TABLE note (id integer PRIMARY KEY, body text)")
        let hostile = "'); DROP TABLE note;-- é ✓ \"quoted\""
        try db.query("INSERT INTO note (id, body) VALUES ($1, $2), ($3, $4)", ["1", hostile, "2", nil])
        let rows = try db.query("SELECT id, body FROM note ORDER BY id")
        #expect(rows.columns == ["id", "body"])
        #expect(rows.values == [["1", hostile], ["2", nil]])
        #expect(try db.query("SELECT count(*) FROM note WHERE body = $1", [hostile]).values == [["1"]])
    }

    @Test("a server error carries its message and SQLSTATE; a connection that fails says why")
    func errors() throws {
        let db = try connect()
        let syntax = #expect(throws: PostgresError.self) { try db.query("SELEC 1") }
        #expect(syntax?.sqlState == "42601" && syntax?.message.contains("syntax error") == true && syntax?.isRetryable == false)
        try db.query("CREATE TEMPORARY TABLE code (code text PRIMARY KEY)")
        try db.query("INSERT INTO code VALUES ($1)", ["a"])
        let duplicate = #expect(throws: PostgresError.self) { try db.query("INSERT INTO code VALUES ($1)", ["a"]) }
        #expect(duplicate?.sqlState == "23505")
        // The connection is still usable after an error outside a transaction.
        #expect(try db.query("SELECT 1 + 1").values == [["2"]])
        let refused = #expect(throws: PostgresError.self) { _ = try PostgresConnection("host=/nonexistent/credfolio dbname=postgres") }
        #expect(refused?.message.hasPrefix("cannot connect to PostgreSQL: ") == true && refused?.sqlState == nil)
    }

    @Test("two serializable transactions that each read what the other writes: one fails with 40001, which may be retried")
    func serializationFailure() throws {
        let setup = try connect()
        try setup.query("DROP TABLE IF EXISTS duty")
        try setup.query("CREATE TABLE duty (coach text PRIMARY KEY, on_call boolean NOT NULL)")
        defer { _ = try? setup.query("DROP TABLE duty") }
        try setup.query("INSERT INTO duty VALUES ('ana', true), ('ben', true)")
        let a = try connect(), b = try connect()
        for db in [a, b] { try db.query("BEGIN ISOLATION LEVEL SERIALIZABLE") }
        // Each sees two on call and takes one off: together they would leave none, which no serial order allows.
        #expect(try a.query("SELECT count(*) FROM duty WHERE on_call").values == [["2"]])
        #expect(try b.query("SELECT count(*) FROM duty WHERE on_call").values == [["2"]])
        try a.query("UPDATE duty SET on_call = false WHERE coach = 'ana'")
        try b.query("UPDATE duty SET on_call = false WHERE coach = 'ben'")
        try a.query("COMMIT")
        let conflict = #expect(throws: PostgresError.self) { try b.query("COMMIT") }
        #expect(conflict?.sqlState == "40001" && conflict?.isRetryable == true)
        #expect(try setup.query("SELECT coach FROM duty WHERE on_call").values == [["ben"]])
    }
}
