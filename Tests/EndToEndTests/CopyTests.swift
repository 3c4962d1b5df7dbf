import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioCore
import CredfolioStore

/// `copy` between the engines, and `backup` from PostgreSQL: a SQLite file
/// moved to a team's server and back is the same database.
@Suite("Copy: a SQLite file to PostgreSQL and back, byte for byte", .serialized, .postgresServer)
struct CopyTests {
    static let asOf = "2026-11-29"

    /// Every kind of thing a database holds: the demo's catalog, stacks,
    /// learners and awards; a CTDL catalog with prerequisites and occupations;
    /// other addresses, goals with and without dates, a badge's original file,
    /// and a trusted issuer key.
    static func richFile() throws -> CLI {
        let cli = try GoldenTests.demo(engine: .sqlite)
        let file = try cli.directory.write("catalog.json", CTDLFixture.graph([
            CTDLFixture.record(1, "Cert X", price: 100, weeks: 4, hours: 20, delivery: ["OnlineOnly"], requires: [[2], [3]]),
            CTDLFixture.record(2, "Prep A", type: "Course", price: 300, weeks: 8, hours: 60, delivery: ["InPerson"]),
            CTDLFixture.record(3, "Exam B", type: "AssessmentProfile", price: 50, weeks: 1, hours: 4, delivery: ["OnlineOnly"]),
        ] + CTDLFixture.pathway(10, "X Pathway", destination: 1)))
        try cli.ok("import", "ctdl", file)
        try cli.ok("learner", "email", "add", "sarah", "S.Chen@Work.example")
        try cli.ok("learner", "goal", "add", "sarah", "x-pathway", "--by", "2027-03-31")
        try cli.ok("learner", "add", "ana", "--name", "Ana 'Quote' Ñúñez", "--email", "ana@example.org", "--notes", "line; \"two\"")
        let badge = try cli.directory.write("b.json", BadgeFixtures.credential(email: "ana@example.org").serialized(pretty: false))
        try cli.ok("import", "badges", badge, "--learner", "ana")
        try cli.ok("issuer", "key", "add", "https://issuer.test/",
                   try cli.directory.write("k.jwk", #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#))
        return cli
    }

    /// Runs a command that names its databases itself; expects success.
    @discardableResult
    static func ok(_ cli: CLI, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try cli.run(arguments, useDatabase: false)
        #expect(result.status == 0, "credfolio \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs a command that names its databases itself; expects exit 1 and returns standard error.
    static func fails(_ cli: CLI, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try cli.run(arguments, useDatabase: false)
        #expect(result.status == 1, "credfolio \(arguments.joined(separator: " ")) exited \(result.status)", sourceLocation: sourceLocation)
        return result.stderr
    }

    /// What every export of `database` writes, by name.
    static func exports(_ cli: CLI, _ database: String) throws -> [(String, String)] {
        var out: [(String, String)] = []
        func take(_ name: String, _ arguments: String...) throws {
            out.append((name, try cli.ok(Array(arguments) + ["--db", database])))
        }
        for kind in ["learners", "skills", "credentials", "awards", "stacks"] { try take(kind, "export", kind) }
        try take("progress", "export", "progress", "--as-of", asOf)
        try take("progress-all", "export", "progress", "--all-stacks", "--as-of", asOf)
        try take("badge", "export", "badge", "ana", "cloud-ess")
        try take("clr", "export", "clr", "sarah", "--as-of", asOf)
        try take("report", "report", "cohort", "--as-of", asOf, "--format", "csv")
        try take("keys", "issuer", "key", "list", "--format", "csv")
        return out
    }

    @Test("a SQLite file copied to PostgreSQL and back exports the same bytes, every kind; the counts say what went")
    func roundTrip() throws {
        let cli = try Self.richFile()
        let server = try PostgresTestDatabase()
        let back = cli.directory.file("back.db")
        let there = try Self.ok(cli, "copy", "--from", cli.database, "--to", server.url, "--format", "csv")
        #expect(there.hasPrefix("table,rows\nlearner,7\nskill,"))
        #expect(there.contains("\nbadge_source,1\n") && there.contains("\nlearner_email,1\n") && there.contains("\nissuer_key,1\n"))
        #expect(try Self.ok(cli, "copy", "--from", server.url, "--to", back, "--format", "csv") == there)
        let original = try Self.exports(cli, cli.database)
        #expect(original.allSatisfy { !$0.1.isEmpty })
        for database in [server.url, back] {
            for ((name, expected), (_, actual)) in zip(original, try Self.exports(cli, database)) {
                #expect(actual == expected, "export \(name) differs in \(database)")
            }
        }
        // Numbering goes on past the copied ids on both engines.
        try cli.ok("learner", "add", "new", "--name", "New", "--db", server.url)
        try cli.ok("award", "add", "new", "cert-x", "--earned", "2026-01-01", "--db", server.url)
    }

    @Test("copy writes only into a new file or an empty database, and leaves the target as it was when refused")
    func refusals() throws {
        let cli = try Self.richFile()
        let server = try PostgresTestDatabase()
        try Self.ok(cli, "copy", "--from", cli.database, "--to", server.url)
        let before = try dump(Store.open(server.url, access: .read).database)
        #expect(try Self.fails(cli, "copy", "--from", cli.database, "--to", server.url)
                == "error: \(server.url) is not empty (its learner table has rows): copy writes into a new, empty database\n")
        #expect(try dump(Store.open(server.url, access: .read).database) == before)
        #expect(try Self.fails(cli, "copy", "--from", server.url, "--to", cli.database)
                == "error: \(cli.database) already exists: copy writes into a new file\n")
        #expect(try Self.fails(cli, "copy", "--from", cli.database, "--to", cli.database)
                == "error: --from and --to are the same database\n")
        let missing = cli.directory.file("missing.db")
        #expect(try Self.fails(cli, "copy", "--from", missing, "--to", cli.directory.file("x.db"))
                == "error: no database at \(missing)\n")
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("x.db")))
    }

    @Test("backup on PostgreSQL writes a private SQLite file of one snapshot, which copy takes back to a server")
    func backupFromServer() throws {
        let cli = try Self.richFile()
        let server = try PostgresTestDatabase()
        try Self.ok(cli, "copy", "--from", cli.database, "--to", server.url)
        let snapshot = cli.directory.file("snapshot.db")
        #expect(try Self.ok(cli, "backup", snapshot, "--db", server.url) == "backed up \(server.url) to \(snapshot)\n")
        let mode = try FileManager.default.attributesOfItem(atPath: snapshot)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!FileManager.default.fileExists(atPath: snapshot + "-wal"))
        let again = try PostgresTestDatabase()
        try Self.ok(cli, "copy", "--from", snapshot, "--to", again.url)
        for ((name, expected), (_, actual)) in zip(try Self.exports(cli, server.url), try Self.exports(cli, again.url)) {
            #expect(actual == expected, "export \(name) differs after backup and copy")
        }
    }
}
