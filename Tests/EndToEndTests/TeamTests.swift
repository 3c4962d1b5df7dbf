import Foundation
import Testing
@testable import CredfolioTestSupport
import CredfolioStore
import CredfolioPostgres
import CredfolioCore

/// A team's PostgreSQL database: two coaches and a viewer over three
/// cohorts, held to their cohorts by the server's row-level security,
/// through credfolio and through psql alike.
@Suite("Team: each coach sees and changes only their cohorts, enforced by the server", .serialized, .postgresServer)
struct TeamTests {
    /// The database, its roles (named for this test: roles belong to the
    /// whole server) and the learners: n1 in north, s1 in south, e1 in east.
    final class Team {
        let server: PostgresTestDatabase
        let cli: CLI
        let suffix = String(UUID().uuidString.prefix(8)).lowercased()
        var alice: String { "alice_" + suffix }
        var bob: String { "bob_" + suffix }
        var vera: String { "vera_" + suffix }
        /// A role in none of the team's groups.
        var carl: String { "carl_" + suffix }

        init() throws {
            server = try PostgresTestDatabase()
            cli = try CLI(engine: .postgres)
            let admin = try server.connect()
            try admin.query("CREATE ROLE \(alice) LOGIN")
            try admin.query("CREATE ROLE \(bob) LOGIN")
            try admin.query("CREATE ROLE \(vera) LOGIN")
            try admin.query("CREATE ROLE \(carl) LOGIN")
            try ok(as: nil, "team", "init")
            try admin.query("GRANT credfolio_coach TO \(alice), \(bob)")
            try admin.query("GRANT credfolio_viewer TO \(vera)")
            try ok(as: nil, "team", "grant", alice, "--cohort", "north")
            try ok(as: nil, "team", "grant", bob, "--cohort", "south")
            try ok(as: nil, "team", "grant", vera, "--cohort", "north")
            try ok(as: nil, "credential", "add", "c", "--title", "C")
            try ok(as: nil, "import", "stacks", try cli.directory.write("s.json", #"[{"code":"s","requires":{"credential":"c"}}]"#))
            for (handle, cohort) in [("n1", "north"), ("s1", "south"), ("e1", "east")] {
                try ok(as: nil, "learner", "add", handle, "--name", handle.uppercased(), "--cohort", cohort, "--email", handle + "@example.org")
                try ok(as: nil, "award", "add", handle, "c", "--earned", "2026-01-0\(cohort.count)")
                try ok(as: nil, "learner", "goal", "add", handle, "s")
                try ok(as: nil, "learner", "email", "add", handle, handle + "@work.example")
            }
        }

        deinit {
            let admin = try? PostgresConnection(server.server)
            for role in [alice, bob, vera, carl] { _ = try? admin?.query("DROP ROLE IF EXISTS \(role)") }
        }

        /// The database's URL as `role` (nil: the server's superuser, who set the team up).
        func url(_ role: String?) -> String {
            PostgresTestDatabase.url(server: server.server, database: server.name, user: role)
        }

        func run(as role: String?, _ arguments: [String]) throws -> CommandResult {
            try cli.run(arguments + ["--db", url(role)], useDatabase: false)
        }

        @discardableResult
        func ok(as role: String?, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let result = try run(as: role, arguments)
            #expect(result.status == 0, "\(role ?? "admin"): credfolio \(arguments.joined(separator: " ")): \(result.stderr)",
                    sourceLocation: sourceLocation)
            return result.stdout
        }

        func fails(as role: String?, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let result = try run(as: role, arguments)
            #expect(result.status == 1, "\(role ?? "admin"): credfolio \(arguments.joined(separator: " ")) exited \(result.status)",
                    sourceLocation: sourceLocation)
            return result.stderr
        }

        /// psql as `role`: one statement a call, unaligned, tuples only; the exit status, output and errors.
        func psql(as role: String, _ sql: String) throws -> (status: Int32, out: String, err: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url(role), "-c", sql]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output, errors)
        }

        /// Every row of the database, as the superuser sees it.
        func everything() throws -> [String] {
            try dump(Store.open(url(nil), access: .read).database)
        }
    }

    @Test("through credfolio: each coach lists, reports and exports only their cohort; others' learners do not exist for them")
    func coachesSeeTheirOwn() throws {
        let team = try Team()
        for (coach, mine) in [(team.alice, "n1"), (team.bob, "s1")] {
            #expect(try team.ok(as: coach, "learner", "list", "--format", "csv").split(separator: "\n").dropFirst().map { String($0.prefix(2)) } == [mine])
            #expect(try team.ok(as: coach, "award", "list", "--format", "csv").split(separator: "\n").count == 2)
            let report = try team.ok(as: coach, "report", "cohort", "--as-of", "2026-11-29", "--format", "csv")
            #expect(report.split(separator: "\n").count == 2 && report.contains("\n\(mine),"))
            let exported = try team.ok(as: coach, "export", "learners")
            #expect(exported.split(separator: "\n").count == 2 && exported.contains("\n\(mine),"))
            #expect(try team.ok(as: coach, "export", "progress", "--as-of", "2026-11-29").split(separator: "\n").count == 2)
        }
        // Someone else's learner, and one that exists nowhere: the same answer, naming only what the coach may see.
        #expect(try team.fails(as: team.alice, "learner", "show", "s1") == "error: no learner \"s1\"; did you mean n1?\n")
        #expect(try team.fails(as: team.alice, "learner", "show", "x1") == "error: no learner \"x1\"; did you mean n1?\n")
        #expect(try team.fails(as: team.alice, "progress", "e1") == "error: no learner \"e1\"; did you mean n1?\n")
        #expect(try team.fails(as: team.alice, "award", "add", "s1", "c", "--earned", "2026-05-01") == "error: no learner \"s1\"; did you mean n1?\n")
    }

    @Test("through credfolio: a coach changes only their cohort, and cannot move a learner out of it or add one elsewhere")
    func coachesChangeTheirOwn() throws {
        let team = try Team()
        let before = try team.everything().filter { !$0.contains("'north'") }
        try team.ok(as: team.alice, "learner", "add", "n2", "--name", "N2", "--cohort", "north")
        try team.ok(as: team.alice, "award", "add", "n2", "c", "--earned", "2026-06-01")
        try team.ok(as: team.alice, "learner", "edit", "n1", "--notes", "seen 2026-11-30")
        try team.ok(as: team.alice, "learner", "goal", "remove", "n1", "s")
        let refused = "new row violates row-level security policy for table \"learner\": your role may not do this (see credfolio team)"
        #expect(try team.fails(as: team.alice, "learner", "add", "x", "--name", "X", "--cohort", "south") == "error: \(refused)\n")
        #expect(try team.fails(as: team.alice, "learner", "add", "y", "--name", "Y") == "error: \(refused)\n")
        #expect(try team.fails(as: team.alice, "learner", "edit", "n1", "--cohort", "south") == "error: \(refused)\n")
        #expect(try team.fails(as: team.alice, "learner", "remove", "s1", "--force") == "error: no learner \"s1\"; did you mean n1?\n")
        #expect(try team.fails(as: team.alice, "credential", "add", "d", "--title", "D")
                == "error: permission denied for table credential: your role may not do this (see credfolio team)\n")
        #expect(try team.fails(as: team.alice, "team", "grant", team.alice, "--cohort", "south")
                == "error: permission denied for table credfolio_cohort_grant: your role may not do this (see credfolio team)\n")
        // Nothing outside north changed; north did.
        #expect(try team.everything().filter { !$0.contains("'north'") && !$0.hasPrefix("award:") && !$0.hasPrefix("learner_goal:") }
                == before.filter { !$0.hasPrefix("award:") && !$0.hasPrefix("learner_goal:") })
        #expect(try team.ok(as: nil, "award", "list", "--format", "csv").split(separator: "\n").count == 5)
        #expect(try team.ok(as: team.bob, "learner", "list", "--format", "csv").contains("\ns1,S1,s1@example.org,south,"))
    }

    @Test("a viewer reads their cohort and writes nothing")
    func viewerReads() throws {
        let team = try Team()
        #expect(try team.ok(as: team.vera, "learner", "list", "--format", "csv").split(separator: "\n").dropFirst().map { String($0.prefix(2)) } == ["n1"])
        let before = try team.everything()
        #expect(try team.fails(as: team.vera, "learner", "add", "v", "--name", "V", "--cohort", "north")
                == "error: permission denied for table learner: your role may not do this (see credfolio team)\n")
        #expect(try team.fails(as: team.vera, "award", "add", "n1", "c", "--earned", "2026-05-01")
                == "error: permission denied for table award: your role may not do this (see credfolio team)\n")
        #expect(try team.psql(as: team.vera, "DELETE FROM award").err.contains("permission denied for table award"))
        #expect(try team.everything() == before)
    }

    @Test("through psql: the same rules hold for a coach's own SQL, and nothing turns them off")
    func psqlHeldToTheRules() throws {
        let team = try Team()
        let alice = team.alice
        #expect(try team.psql(as: alice, "SELECT handle FROM learner ORDER BY 1").out == "n1\n")
        #expect(try team.psql(as: alice, "SELECT count(*) FROM award").out == "1\n")
        #expect(try team.psql(as: alice, "SELECT count(*) FROM learner_email").out == "1\n")
        #expect(try team.psql(as: alice, "SELECT count(*) FROM learner_goal").out == "1\n")
        #expect(try team.psql(as: alice, "UPDATE learner SET name = 'taken' WHERE handle = 's1'").out == "")
        #expect(try team.psql(as: alice, "DELETE FROM award RETURNING learner_id").out.split(separator: "\n").count == 1)
        let insert = try team.psql(as: alice, "INSERT INTO learner (handle, name, created_on, cohort) VALUES ('z', 'Z', '2026-01-01', 'south')")
        #expect(insert.status != 0 && insert.err.contains("new row violates row-level security policy"))
        let off = try team.psql(as: alice, "SET row_security = off; SELECT count(*) FROM learner")
        #expect(off.status != 0 && off.err.contains("row-level security"))
        for sql in ["ALTER TABLE learner DISABLE ROW LEVEL SECURITY", "DROP POLICY credfolio_granted_cohorts ON learner",
                    "ALTER TABLE learner OWNER TO \(alice)"] {
            let result = try team.psql(as: alice, sql)
            #expect(result.status != 0 && result.err.contains("must be owner"), "\(sql): \(result.err)")
        }
        #expect(try team.psql(as: alice, "SET ROLE credfolio_owner").err.contains("permission denied to set role"))
        #expect(try team.psql(as: alice, "SET ROLE credfolio_admin").err.contains("permission denied to set role"))
        #expect(try team.psql(as: alice, "INSERT INTO credfolio_cohort_grant VALUES (current_user, 'south')").err.contains("permission denied"))
        // No role of the team may bypass row-level security, and none but the owner role owns a table.
        #expect(try team.psql(as: alice, """
            SELECT count(*) FROM pg_roles WHERE rolbypassrls AND rolname IN
            ('credfolio_owner', 'credfolio_admin', 'credfolio_coach', 'credfolio_viewer', '\(alice)', '\(team.bob)', '\(team.vera)')
            """).out == "0\n")
        #expect(try team.psql(as: alice, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'").out == "credfolio_owner\n")
        #expect(try team.psql(as: alice, "SELECT pg_has_role(current_user, 'credfolio_owner', 'MEMBER')").out == "f\n")
        // Bob's and the east cohort's rows are all still there.
        #expect(try team.ok(as: nil, "award", "list", "--format", "csv").split(separator: "\n").count == 3)
        #expect(try team.ok(as: nil, "learner", "show", "s1", "--format", "csv").contains("S1"))
    }

    @Test("grants: listed in three formats, revoked, and refused for roles that are not coaches or viewers; SQLite has no team")
    func grants() throws {
        let team = try Team()
        #expect(try team.ok(as: nil, "team", "list", "--format", "csv")
                == "role,kind,cohort\n\(team.alice),coach,north\n\(team.bob),coach,south\n\(team.vera),viewer,north\n")
        #expect(try team.ok(as: nil, "team", "grant", team.alice, "--cohort", "north") == "\(team.alice) already has cohort north\n")
        #expect(try team.ok(as: nil, "team", "revoke", team.alice, "--cohort", "north") == "revoked cohort north from \(team.alice)\n")
        #expect(try team.ok(as: team.alice, "learner", "list", "--format", "csv") == "handle,name,email,cohort,notes,created_on\n")
        #expect(try team.fails(as: nil, "team", "revoke", team.alice, "--cohort", "north") == "error: \(team.alice) has no grant of cohort \"north\"\n")
        #expect(try team.fails(as: nil, "team", "grant", "nobody_here_\(team.suffix)", "--cohort", "east")
                .hasPrefix("error: no role \"nobody_here_\(team.suffix)\" on the server"))
        #expect(try team.fails(as: nil, "team", "grant", team.carl, "--cohort", "east")
                == "error: \(team.carl) is neither a coach nor a viewer: GRANT credfolio_coach (or credfolio_viewer) TO \(team.carl) first\n")
        // A role outside the team reads nothing, not even which schema the database has.
        #expect(try team.fails(as: team.carl, "learner", "list")
                == "error: permission denied for table credfolio_migration: your role may not do this (see credfolio team)\n")
        let json = try team.ok(as: nil, "team", "list", "--format", "json")
        #expect(json.contains("\"role\": \"\(team.bob)\",\n    \"kind\": \"coach\",\n    \"cohort\": \"south\""))
        #expect(try team.ok(as: nil, "team", "init").hasPrefix("team ready in "))
        let file = try CLI(engine: .sqlite)
        try file.ok("learner", "add", "a", "--name", "A")
        #expect(try file.fails("team", "list")
                == "error: team works on a PostgreSQL database (--db postgresql://…); a SQLite file has one user, whoever may open it\n")
    }
}

/// The README's team session, run as written against the test server:
/// `postgresql:///credfolio`, `createdb` and `psql` find it through
/// `$PGHOST`, as they would find a local server through its default socket.
@Suite("Team: the README's session", .serialized, .postgresServer)
struct TeamReadmeTests {
    @Test("the README's team session runs as written: a file's learners copied to a server, and a coach who sees her cohort")
    func readmeSession() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let block = try #require(text.components(separatedBy: "## A team's database (PostgreSQL)").dropFirst().first?
            .components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let server = try #require(ProcessInfo.processInfo.environment["CREDFOLIO_TEST_POSTGRES"])
        let settings = PostgresTestDatabase.settings(of: server)
        let admin = try PostgresConnection(server)
        // The names the README uses: a database and a role of the whole (throwaway) server.
        func clean() throws {
            try admin.query("DROP DATABASE IF EXISTS credfolio WITH (FORCE)")
            try admin.query("DROP ROLE IF EXISTS alice")
        }
        try clean()
        defer { try? clean() }
        let cli = try CLI(engine: .sqlite)
        let home = cli.directory.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let environment = "export HOME='\(home)' PGHOST='\(settings["host"] ?? "")' PGUSER='\(settings["user"] ?? "")'; unset CREDFOLIO_DB\n"
        let setup = try cli.shell(environment + """
            set -e
            credfolio learner add sarah --name "Sarah Chen" --cohort spring-26
            credfolio learner add omar --name "Omar Haddad" --cohort fall-26
            """)
        #expect(setup.status == 0, "\(setup.stderr)")
        let result = try cli.shell(environment + "set -e\n" + block)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("""
            HANDLE  NAME        EMAIL  COHORT     NOTES  CREATED_ON
            sarah   Sarah Chen         spring-26         \(Day.today())

            """), "\(result.stdout)")
    }
}

/// What only PostgreSQL has: its doctor, and a password kept off the command line.
@Suite("PostgreSQL: doctor, and passwords", .serialized, .postgresServer)
struct PostgresCommandTests {
    @Test("doctor on PostgreSQL checks the schema and the constraints, then credfolio's own rules")
    func doctor() throws {
        let cli = try CLI(engine: .postgres)
        try cli.ok("credential", "add", "c", "--title", "C", "--validity-months", "12")
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("award", "add", "ana", "c", "--earned", "2024-01-01")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code":"s","requires":{"credential":"c"}}"#))
        #expect(try cli.ok("doctor", "--format", "csv", "--as-of", "2026-01-01") == """
            check,status,detail
            schema,ok,"PostgreSQL, version 1"
            foreign keys,ok,every constraint is enforced by the server
            awards,ok,every award names a known learner and credential
            ranges,ok,every number and derived date is within its range
            stacks,ok,1 stack resolves
            expiry,info,1 earned award has expired by 2026-01-01

            """)
    }

    @Test("a URL with a password in it is refused, with where the password goes instead")
    func password() throws {
        let cli = try CLI(engine: .sqlite)
        for url in ["postgresql://ana:secret@localhost/credfolio", "postgresql:///credfolio?user=ana&password=secret"] {
            let error = try cli.fails("learner", "list", "--db", url)
            #expect(error.hasSuffix(" has a password in it: give it in ~/.pgpass or $PGPASSWORD, where other users cannot see it, never on the command line\n"))
            #expect(!error.contains("secret"))
        }
    }
}
