import Foundation
import Testing
import CredfolioCore
import CredfolioPostgres
import CredfolioSchema
import CredfolioStore

/// PostgreSQL's migrations on the throwaway server, each test in a new
/// database of its own, dropped at the end.
@Suite("PostgreSQL: the schema's migrations, tracked in credfolio_migration",
       .enabled(if: ProcessInfo.processInfo.environment["CREDFOLIO_SKIP_POSTGRES"] != "1", "CREDFOLIO_SKIP_POSTGRES=1"))
struct PostgresMigratorTests {
    /// A new, empty database, and a connection to it; `body` runs, then the database is dropped.
    func withDatabase(_ body: (PostgresConnection) throws -> Void) throws {
        guard let conninfo = ProcessInfo.processInfo.environment["CREDFOLIO_TEST_POSTGRES"], !conninfo.isEmpty else {
            Issue.record("no test server: run Scripts/test, or eval \"$(Scripts/postgres-cluster start)\" first")
            return
        }
        let admin = try PostgresConnection(conninfo)
        let name = "credfolio_test_\(UInt32.random(in: 0...UInt32.max))"
        try admin.run(script: "CREATE DATABASE \(name)")
        defer { _ = try? admin.run(script: "DROP DATABASE \(name) WITH (FORCE)") }
        try body(try PostgresConnection(conninfo.replacingOccurrences(of: "dbname=postgres", with: "dbname=\(name)")))
    }

    @Test("a new database gets every migration, recorded once; a second run applies nothing")
    func migrates() throws {
        try withDatabase { db in
            #expect(try PostgresMigrator().migrate(db) == ["p0001_initial"])
            #expect(try PostgresMigrator.version(of: db) == 1)
            #expect(try PostgresMigrator().migrate(db).isEmpty)
            #expect(try db.query("SELECT version, name FROM credfolio_migration").values == [["1", "p0001_initial"]])
            let tables = try db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").values.map { $0[0]! }
            #expect(tables == ["award", "badge_source", "credential", "credential_occupation", "credential_route", "credential_route_target",
                               "credential_skill", "credfolio_migration", "issuer_key", "learner", "learner_email", "learner_goal", "skill",
                               "stack", "stack_child", "stack_credential", "stack_skill"])
        }
    }

    @Test("the schema refuses what SQLite's refuses, and deletes what hangs from a learner with the learner")
    func constraints() throws {
        try withDatabase { db in
            try PostgresMigrator().migrate(db)
            func state(_ sql: String, _ parameters: [String?] = []) -> String? {
                do { try db.query(sql, parameters); return nil } catch { return error.sqlState }
            }
            #expect(state("INSERT INTO credential (code, title, format) VALUES ('c', 'C', 'online;in-person')") == "23514")
            #expect(state("INSERT INTO credential (code, title, credits) VALUES ('c', 'C', 3)") == "23514")
            #expect(state("INSERT INTO credential (code, title, registry_ctid) VALUES ('c', 'C', 'CE-00000000-0000-4000-8000-000000000001')") == "23514")
            #expect(state("INSERT INTO credential (code, title, validity_unknown, validity_months) VALUES ('c', 'C', true, 12)") == "23514")
            try db.query("INSERT INTO credential (code, title, format, registry_ctid) VALUES ($1, $2, $3, $4)",
                           ["c", "C", "in-person;online", "ce-00000000-0000-4000-8000-000000000001"])
            try db.query("INSERT INTO learner (handle, name, created_on) VALUES ('ana', 'Ana', '2026-01-05')")
            #expect(state("INSERT INTO award (learner_id, credential_id, status) SELECT l.id, c.id, 'earned' FROM learner l, credential c") == "23514")
            try db.query("INSERT INTO award (learner_id, credential_id, status) SELECT l.id, c.id, 'planned' FROM learner l, credential c")
            #expect(state("INSERT INTO award (learner_id, credential_id, status) SELECT l.id, c.id, 'in-progress' FROM learner l, credential c")
                    == "23505", "one award not yet earned a learner and credential")
            try db.query("INSERT INTO learner_email (learner_id, address) SELECT id, 'Ana@Example.org' FROM learner")
            #expect(state("INSERT INTO learner_email (learner_id, address) SELECT id, 'ana@example.ORG' FROM learner") == "23505")
            #expect(state("INSERT INTO learner (handle, name, created_on) VALUES ('bo', 'Bo', '2026-02-30')") == "22008")
            try db.query("DELETE FROM learner")
            #expect(try db.query("SELECT (SELECT count(*) FROM award) + (SELECT count(*) FROM learner_email)").values == [["0"]])
        }
    }

    @Test("a database migrated further by a newer credfolio is refused and left as it was; a failed migration leaves nothing")
    func refusals() throws {
        try withDatabase { db in
            try PostgresMigrator().migrate(db)
            try db.query("INSERT INTO credfolio_migration (version, name) VALUES (99, 'p0099_future')")
            let newer = #expect(throws: CredfolioError.self) { try PostgresMigrator().migrate(db) }
            #expect(newer?.message == "the database has schema version 99, newer than this credfolio knows (1): upgrade credfolio")
            #expect(try PostgresMigrator.version(of: db) == 99)
        }
        try withDatabase { db in
            let broken = PostgresMigrator(migrations: SchemaMigrations.postgres + [(2, "p0002_broken", Array("CREATE TABLE x (y nosuchtype)".utf8))])
            #expect(throws: PostgresError.self) { try broken.migrate(db) }
            let tables = try db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").values
            #expect(tables == [["0"]], "the first migration, applied in the same transaction, is rolled back too")
        }
    }
}
