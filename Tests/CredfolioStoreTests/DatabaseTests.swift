import Testing
@testable import CredfolioTestSupport
@testable import CredfolioSQLite
import CSQLite
@testable import CredfolioStore

@Suite("SQLite wrapper")
struct DatabaseTests {
    @Test("binds and reads back every type, NULL and the empty string and blob")
    func bindsEveryType() throws {
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n ANY) STRICT")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.execute([.integer(Int64.min), .real(-0.25), .text("héllo, wörld ✓"), .blob([0, 1, 255]), .null])
        try insert.execute([.integer(0), .real(1e300), .text(""), .blob([]), .null])
        let rows = try db.prepare("SELECT i, r, s, b, n FROM t ORDER BY rowid").map { row in
            (0..<5).map { row.value(Int32($0)) }
        }
        #expect(rows == [
            [.integer(Int64.min), .real(-0.25), .text("héllo, wörld ✓"), .blob([0, 1, 255]), .null],
            [.integer(0), .real(1e300), .text(""), .blob([]), .null],
        ])
    }

    @Test("binds Swift values through DatabaseValueConvertible, optionals as NULL")
    func bindsConvertibles() throws {
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE t (a, b, c, d, e)")
        let none: String? = nil
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 42, "x", true, none, day("2026-03-14"))
        let row = try #require(try db.cachedStatement("SELECT a, b, c, d, e FROM t").first([]) { s in
            (try s.decode(Int.self, at: 0), try s.decode(String.self, at: 1), try s.decode(Bool.self, at: 2),
             try s.decode(String?.self, at: 3), try s.decode(Day.self, at: 4))
        })
        #expect(row.0 == 42 && row.1 == "x" && row.2 == true && row.3 == nil && row.4 == day("2026-03-14"))
        #expect(throws: DatabaseError.self) { _ = try db.cachedStatement("SELECT b FROM t").first([]) { try $0.decode(Int.self, at: 0) } }
    }

    @Test("an error carries the result code, SQLite's message and the SQL, and matches as a pattern")
    func errorsCarryCodeAndSQL() throws {
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE t (k TEXT UNIQUE)")
        try db.execute("INSERT INTO t VALUES (?)", "a")
        do {
            try db.execute("INSERT INTO t VALUES (?)", "a")
            Issue.record("a duplicate key was accepted")
        } catch DatabaseError.SQLITE_CONSTRAINT {
            // matched by primary code
        }
        let error = try #require(throws: DatabaseError.self) { try db.execute("INSERT INTO t VALUES (?)", "a") }
        #expect(error.resultCode == DatabaseError.SQLITE_CONSTRAINT)
        #expect(error.extendedCode == DatabaseError.SQLITE_CONSTRAINT_UNIQUE)
        #expect(error.message == "UNIQUE constraint failed: t.k")
        #expect(error.sql == "INSERT INTO t VALUES (?)")
        let syntax = try #require(throws: DatabaseError.self) { _ = try db.prepare("SELEC 1") }
        #expect(syntax.resultCode == DatabaseError.SQLITE_ERROR)
        #expect(syntax.sql == "SELEC 1")
        #expect(syntax.message.contains("syntax error"))
    }

    @Test("binding the wrong number of arguments throws SQLITE_RANGE instead of crashing")
    func wrongArgumentCount() throws {
        let db = try Database.inMemory()
        let error = try #require(throws: DatabaseError.self) { try db.prepare("SELECT ?, ?").execute([.integer(1)]) }
        #expect(error.resultCode == DatabaseError.SQLITE_RANGE)
    }

    @Test("the statement cache returns the same prepared statement for the same SQL, reset when it is executed")
    func statementCache() throws {
        let db = try Database.inMemory()
        let first = try db.cachedStatement("SELECT ?")
        #expect(try first.first([.integer(7)]) { $0.int(0) } == 7)
        let second = try db.cachedStatement("SELECT ?")
        #expect(first === second)
        #expect(try second.first([.integer(8)]) { $0.int(0) } == 8)
    }

    @Test("the same SQL used inside a loop over its own cached statement does not restart the loop")
    func nestedCachedStatement() throws {
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)")
        let sql = "SELECT v FROM t WHERE v >= ? ORDER BY v"
        var outer: [Int] = [], inner: [Int] = []
        try db.cachedStatement(sql).forEachRow([.integer(1)]) { row in
            outer.append(row.int(0))
            inner.append(try db.cachedStatement(sql).map([.integer(3)]) { $0.int(0) }.count)
        }
        #expect(outer == [1, 2, 3])
        #expect(inner == [1, 1, 1])
        // Once the loop is done, the cached statement serves again.
        #expect(try db.fetch(sql, [.integer(2)]) { $0.int(0) } == [2, 3])
    }

    @Test("a statement run after SQLite rolled the transaction back on its own fails instead of running in autocommit")
    func abortedTransaction() throws {
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE t (v INTEGER)")
        let error = try #require(throws: DatabaseError.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                // What SQLITE_FULL or SQLITE_IOERR can do behind the wrapper's back.
                sqlite3_exec(db.handle, "ROLLBACK", nil, nil, nil)
                try db.execute("INSERT INTO t VALUES (2)")
            }
        }
        #expect(error.resultCode == DatabaseError.SQLITE_ABORT)
        #expect(error.sql == "INSERT INTO t VALUES (2)")
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM t") == 0)
        #expect(db.isAutocommit)
        // A body that swallows the error still cannot commit what is gone.
        let swallowed = try #require(throws: DatabaseError.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (3)")
                sqlite3_exec(db.handle, "ROLLBACK", nil, nil, nil)
                _ = try? db.execute("INSERT INTO t VALUES (4)")
            }
        }
        #expect(swallowed.resultCode == DatabaseError.SQLITE_ABORT)
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM t") == 0)
    }

    @Test("extended result codes are derived from the primary ones and match sqlite3.h")
    func extendedCodes() {
        #expect(DatabaseError.SQLITE_CONSTRAINT_CHECK.rawValue == 275)
        #expect(DatabaseError.SQLITE_CONSTRAINT_FOREIGNKEY.rawValue == 787)
        #expect(DatabaseError.SQLITE_CONSTRAINT_NOTNULL.rawValue == 1299)
        #expect(DatabaseError.SQLITE_CONSTRAINT_UNIQUE.rawValue == 2067)
        #expect(DatabaseError.SQLITE_CONSTRAINT_UNIQUE.primary == DatabaseError.SQLITE_CONSTRAINT)
    }

    @Test("a transaction commits on return and rolls back everything on throw")
    func transactionRollsBack() throws {
        struct Boom: Error {}
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE t (v INTEGER)")
        try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try db.fetch("SELECT v FROM t") { $0.int(0) } == [1])
        #expect(db.isAutocommit)
    }

    @Test("nested transactions are savepoints: a caught inner failure undoes only the inner work")
    func nestedSavepoints() throws {
        struct Boom: Error {}
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE t (v INTEGER)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            try? db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
                throw Boom()
            }
            try db.transaction { try db.execute("INSERT INTO t VALUES (4)") }
        }
        #expect(try db.fetch("SELECT v FROM t ORDER BY v") { $0.int(0) } == [1, 4])
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.transaction { try db.execute("INSERT INTO t VALUES (5)") }
                throw Boom()
            }
        }
        #expect(try db.fetch("SELECT v FROM t ORDER BY v") { $0.int(0) } == [1, 4])
    }

    @Test("foreign keys are enforced on every connection")
    func foreignKeys() throws {
        let db = try Database.inMemory()
        try db.execute(script: "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p (id))")
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO c VALUES (9)") }
    }
}

@Suite("Store and migrations")
struct StoreTests {
    @Test("a new database is migrated to the latest version and marked as ours")
    func newDatabase() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.file("new/sub/c.db"))
        #expect(try Migrator.version(of: store.file!) == Migrator().latestVersion)
        #expect(try store.database.scalar(Int32.self, "PRAGMA application_id") == Store.applicationID)
        #expect(try store.database.scalar(String.self, "PRAGMA journal_mode") == "wal")
        #expect(try store.database.scalar(Int.self, "PRAGMA foreign_keys") == 1)
    }

    @Test("an existing database keeps its data and is not migrated again")
    func existingDatabase() throws {
        let dir = try TemporaryDirectory()
        do {
            let store = try Store(path: dir.file("c.db"))
            try store.learners.add(Learner(handle: "sarah", name: "Sarah Chen"))
        }
        let reopened = try Store(path: dir.file("c.db"))
        #expect(try reopened.learners.get("sarah").name == "Sarah Chen")
        #expect(try Migrator().migrate(reopened.file!).isEmpty)
    }

    @Test("a later migration applies on top of an existing database, in order")
    func laterMigration() throws {
        let db = try Database.inMemory()
        try Migrator().migrate(db)
        let latest = Migrator().latestVersion
        let next = Migrator(migrations: Migrator().migrations + [(latest + 1, "vNEXT_test", Array("CREATE TABLE extra (x);".utf8))])
        #expect(try next.migrate(db) == ["vNEXT_test"])
        #expect(try Migrator.version(of: db) == latest + 1)
        #expect(try db.scalar(Int.self, "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'") == 1)
    }

    @Test("a failing migration leaves the database exactly as it was")
    func failingMigration() throws {
        let db = try Database.inMemory()
        try Migrator().migrate(db)
        let before = try dump(db)
        let schemaBefore = try db.fetch("SELECT sql FROM sqlite_schema ORDER BY name") { $0.string(0) }
        let latest = Migrator().latestVersion
        let bad = Migrator(migrations: Migrator().migrations + [(latest + 1, "vNEXT_bad", Array("CREATE TABLE ok (x); CREATE TABLE ok (y);".utf8))])
        #expect(throws: DatabaseError.self) { try bad.migrate(db) }
        #expect(try Migrator.version(of: db) == latest)
        #expect(try dump(db) == before)
        #expect(try db.fetch("SELECT sql FROM sqlite_schema ORDER BY name") { $0.string(0) } == schemaBefore)
    }

    /// A migration that rebuilds `learner`, which awards, goals and emails refer to, the way SQLite's
    /// documentation describes: a new table, the rows copied, the old one dropped, the new one renamed.
    static let rebuildLearner = """
        CREATE TABLE learner_new (
            id          INTEGER PRIMARY KEY,
            handle      TEXT NOT NULL UNIQUE CHECK (length(handle) BETWEEN 1 AND 64),
            name        TEXT NOT NULL CHECK (length(name) > 0),
            email       TEXT UNIQUE,
            cohort      TEXT,
            notes       TEXT NOT NULL DEFAULT '',
            created_on  TEXT NOT NULL CHECK (date(created_on) IS created_on),
            pace        REAL,
            nickname    TEXT
        ) STRICT;
        INSERT INTO learner_new (id, handle, name, email, cohort, notes, created_on, pace)
            SELECT id, handle, name, email, cohort, notes, created_on, pace FROM learner;
        DROP TABLE learner;
        ALTER TABLE learner_new RENAME TO learner;
        CREATE INDEX learner_by_cohort ON learner (cohort, handle);
        """

    /// A database file with one learner, one credential and one award of it: references to migrate.
    static func storeWithAnAward(_ dir: TemporaryDirectory) throws -> Store {
        let store = try Store(path: dir.file("c.db"))
        try store.learners.add(Learner(handle: "ann", name: "Ann"))
        try store.credentials.add(Credential(code: "c1", title: "C1"))
        try store.awards.add(Award(learner: "ann", credential: "c1", status: .earned, earnedOn: day("2026-01-02")))
        return store
    }

    @Test("a migration may rebuild a table others refer to: foreign keys are off during it, checked before it commits, on after")
    func tableRebuildingMigration() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.storeWithAnAward(dir)
        let before = try dump(store.file!)
        let latest = Migrator().latestVersion
        let rebuild = Migrator(migrations: Migrator().migrations + [(latest + 1, "vNEXT_rebuild", Array(Self.rebuildLearner.utf8))])
        #expect(try rebuild.migrate(store.file!) == ["vNEXT_rebuild"])
        #expect(try Migrator.version(of: store.file!) == latest + 1)
        // Every row kept, the award still the learner's; the new column is there.
        let after = try dump(store.file!)
        #expect(after.filter { $0.hasPrefix("award:") } == before.filter { $0.hasPrefix("award:") })
        #expect(try store.database.scalar(Int.self, "SELECT count(*) FROM pragma_table_info('learner') WHERE name = 'nickname'") == 1)
        #expect(try store.file!.foreignKeyProblems().isEmpty)
        // Enforcement is back on.
        #expect(try store.database.scalar(Int.self, "PRAGMA foreign_keys") == 1)
        #expect(throws: DatabaseError.self) {
            try store.database.execute("INSERT INTO award (learner_id, credential_id, status) VALUES (999, 1, 'planned')")
        }
    }

    @Test("a migration that leaves a reference broken is rolled back whole, and foreign keys are on again")
    func migrationBreakingAReference() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.storeWithAnAward(dir)
        let before = try dump(store.file!)
        let latest = Migrator().latestVersion
        let breaking = Migrator(migrations: Migrator().migrations + [(latest + 1, "vNEXT_break", Array("DELETE FROM learner;".utf8))])
        let error = try #require(throws: CredfolioError.self) { try breaking.migrate(store.file!) }
        #expect(error.message.hasPrefix("migration vNEXT_break leaves a broken reference: award row"))
        #expect(try Migrator.version(of: store.file!) == latest)
        #expect(try dump(store.file!) == before)
        #expect(try store.database.scalar(Int.self, "PRAGMA foreign_keys") == 1)
    }

    @Test("a SQLite file that is not ours is refused, untouched")
    func foreignDatabase() throws {
        let dir = try TemporaryDirectory()
        do {
            let other = try Database(path: dir.file("other.db"))
            try other.execute(script: "CREATE TABLE notes (x)")
        }
        let error = try #require(throws: CredfolioError.self) { _ = try Store(path: dir.file("other.db")) }
        #expect(error.message == "\(dir.file("other.db")) is not a credfolio database (it holds other tables)")
        try dir.write("text.db", "this is not a database at all, just some text that is long enough to fill a header")
        let notDB = try #require(throws: CredfolioError.self) { _ = try Store(path: dir.file("text.db")) }
        #expect(notDB.message.hasPrefix("\(dir.file("text.db")) is not a credfolio database"))
    }

    @Test("a database from a newer credfolio is refused, not migrated down")
    func newerDatabase() throws {
        let dir = try TemporaryDirectory()
        do {
            let store = try Store(path: dir.file("c.db"))
            try store.database.execute(script: "PRAGMA user_version = 99")
        }
        let error = try #require(throws: CredfolioError.self) { _ = try Store(path: dir.file("c.db")) }
        #expect(error.message == "\(dir.file("c.db")) has schema version 99, newer than this credfolio knows (\(Migrator().latestVersion)): upgrade credfolio")
    }

    @Test("a database of the first release (schema 1) is migrated to the latest schema with its data kept")
    func firstReleaseDatabase() throws {
        let dir = try TemporaryDirectory()
        do {
            let first = try Database(path: dir.file("c.db"))
            try Migrator(migrations: [Migrator().migrations[0]]).migrate(first)
            try first.execute(script: "INSERT INTO learner (handle, name, created_on) VALUES ('sarah', 'Sarah Chen', '2026-01-05')")
            #expect(try Migrator.version(of: first) == 1)
        }
        let store = try Store(path: dir.file("c.db"))
        #expect(try Migrator.version(of: store.file!) == Migrator().latestVersion)
        #expect(try store.learners.get("sarah").name == "Sarah Chen")
        #expect(try store.learners.get("sarah").pace == nil)
        #expect(try store.database.scalar(Int.self, "SELECT count(*) FROM sqlite_schema WHERE name IN ('badge_source', 'learner_goal')") == 2)
    }

    @Test("schema 5 rebuilds the credential table: a badge's zeros become unknown, a typed 0 stays, awards and stacks keep their references")
    func unknownMeasuresMigration() throws {
        let dir = try TemporaryDirectory()
        do {
            let v4 = try Database(path: dir.file("c.db"))
            try Migrator(migrations: Array(Migrator().migrations.prefix(4))).migrate(v4)
            try v4.execute(script: """
                INSERT INTO learner (handle, name, created_on) VALUES ('ana', 'Ana', '2026-01-05');
                INSERT INTO credential (code, title, hours, cost_cents, weeks, achievement_id)
                    VALUES ('typed', 'Typed', 0, 0, 0, NULL), ('badge', 'Badge', 0, 0, 0, 'https://issuer.test/a'),
                           ('priced', 'Priced badge', 12, 0, 3, 'https://issuer.test/b');
                INSERT INTO award (learner_id, credential_id, status, earned_on)
                    SELECT 1, id, 'earned', '2026-02-01' FROM credential WHERE code = 'badge';
                """)
            #expect(try Migrator.version(of: v4) == 4)
        }
        let store = try Store(path: dir.file("c.db"))
        #expect(try Migrator.version(of: store.file!) == Migrator().latestVersion)
        let typed = try #require(try store.credentials.find("typed"))
        #expect(typed.hours == 0 && typed.costCents == 0 && typed.weeks == 0)
        let badge = try #require(try store.credentials.find("badge"))
        #expect(badge.hours == nil && badge.costCents == nil && badge.weeks == nil)
        let priced = try #require(try store.credentials.find("priced"))
        #expect(priced.hours == 12 && priced.costCents == nil && priced.weeks == 3)
        #expect(try store.database.scalar(Int.self, "SELECT count(*) FROM award JOIN credential ON credential.id = award.credential_id WHERE code = 'badge'") == 1)
        #expect(try store.file!.foreignKeyProblems().isEmpty)
        #expect(try store.database.scalar(Int.self, "PRAGMA foreign_keys") == 1)
        // The partial unique index on achievement ids is there again.
        #expect(throws: DatabaseError.self) {
            try store.database.execute(script: "INSERT INTO credential (code, title, achievement_id) VALUES ('again', 'Again', 'https://issuer.test/a')")
        }
    }

    @Test("schema 6 rebuilds the credential table for CTDL: a format and a never-lapsing validity are kept, references too")
    func ctdlCatalogMigration() throws {
        let dir = try TemporaryDirectory()
        do {
            let v5 = try Database(path: dir.file("c.db"))
            try Migrator(migrations: Array(Migrator().migrations.prefix(5))).migrate(v5)
            try v5.execute(script: """
                INSERT INTO learner (handle, name, created_on) VALUES ('ana', 'Ana', '2026-01-05');
                INSERT INTO skill (code, name) VALUES ('net', 'Networking');
                INSERT INTO credential (code, title, format, validity_months) VALUES ('lasting', 'Lasting', 'hybrid', NULL),
                    ('lapsing', 'Lapsing', 'in-person', 24);
                INSERT INTO credential_skill SELECT id, 1 FROM credential WHERE code = 'lasting';
                INSERT INTO award (learner_id, credential_id, status, earned_on) SELECT 1, id, 'earned', '2026-02-01' FROM credential;
                INSERT INTO stack (code, requires) VALUES ('s', '{"credential":"lasting"}');
                INSERT INTO stack_credential (stack_id, credential_id) SELECT 1, id FROM credential WHERE code = 'lasting';
                """)
        }
        let store = try Store(path: dir.file("c.db"))
        #expect(try Migrator.version(of: store.file!) == Migrator().latestVersion)
        let lasting = try #require(try store.credentials.find("lasting"))
        #expect(lasting.deliveries == [.hybrid] && lasting.validity == .never && lasting.skills == ["net"] && lasting.ctid == nil)
        let lapsing = try #require(try store.credentials.find("lapsing"))
        #expect(lapsing.deliveries == [.inPerson] && lapsing.validity == .months(24))
        #expect(try store.database.scalar(Int.self, "SELECT count(*) FROM award") == 2)
        #expect(try store.credentials.namingStacks("lasting") == ["s"])
        #expect(try store.file!.foreignKeyProblems().isEmpty)
        // The new kinds, several modes and an unknown validity are stored and read back.
        var program = Credential(code: "prog", title: "Program", kind: .learningProgram, deliveries: [.online, .inPerson],
                                 validity: .unknown, ctid: "ce-9882D889-B113-4DC7-B298-E7B5A179BC24", occupations: ["15-1232.00"])
        program = try store.credentials.add(program)
        let read = try #require(try store.credentials.find("prog"))
        #expect(read.kind == .learningProgram && read.deliveries == [.inPerson, .online] && read.validity == .unknown)
        #expect(read.ctid == "ce-9882d889-b113-4dc7-b298-e7b5a179bc24" && read.occupations == ["15-1232.00"])
        #expect(throws: DatabaseError.self) {
            try store.database.execute(script: "UPDATE credential SET format = 'online;in-person' WHERE code = 'prog'")
        }
    }

    @Test("a new database file and its new folder are readable by their owner only")
    func privateFiles() throws {
        let dir = try TemporaryDirectory()
        _ = try Store(path: dir.file("private/c.db"))
        let fileMode = try #require(try FileManager.default.attributesOfItem(atPath: dir.file("private/c.db"))[.posixPermissions] as? Int)
        let dirMode = try #require(try FileManager.default.attributesOfItem(atPath: dir.file("private"))[.posixPermissions] as? Int)
        #expect(fileMode == 0o600)
        #expect(dirMode == 0o700)
    }
}

import Foundation
import CredfolioCore
