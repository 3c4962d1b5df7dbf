import Foundation
import Testing
@testable import CredfolioTestSupport

@Suite("Command line, end to end", .serialized)
struct CLITests {
    func seeded() throws -> CLI {
        let cli = try CLI()
        try cli.ok("learner", "add", "sarah", "--name", "Sarah Chen", "--cohort", "spring-26", "--email", "sarah@example.org",
                   "--created-on", "2026-01-05")
        try cli.ok("skill", "add", "cloud", "--name", "Cloud computing", "--category", "Technology")
        try cli.ok("credential", "add", "aws-ccp", "--title", "AWS Certified Cloud Practitioner", "--hours", "40",
                   "--cost", "100", "--validity-months", "36", "--skill", "cloud", "--kind", "certification")
        return cli
    }

    @Test("add, list and show in all three formats")
    func addListShow() throws {
        let cli = try seeded()
        #expect(try cli.ok("award", "add", "sarah", "aws-ccp", "--earned", "2026-03-14")
                == "recorded earned award of aws-ccp to sarah on 2026-03-14, expires 2029-03-14\n")
        #expect(try cli.ok("learner", "list") == """
            HANDLE  NAME        EMAIL              COHORT     NOTES  CREATED_ON
            sarah   Sarah Chen  sarah@example.org  spring-26         2026-01-05

            """)
        #expect(try cli.ok("learner", "list", "--format", "csv")
                == "handle,name,email,cohort,notes,created_on\nsarah,Sarah Chen,sarah@example.org,spring-26,,2026-01-05\n")
        let json = try cli.ok("award", "list", "--learner", "sarah", "--format", "json")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 1)
        #expect(parsed?.first?["expires_on"] as? String == "2029-03-14")
        #expect(parsed?.first?["id"] as? Int == 1)
        #expect(try cli.ok("credential", "show", "aws-ccp").contains("validity_months:    36\n"))
        let shown = try cli.ok("credential", "show", "aws-ccp", "--format", "json")
        #expect(shown.contains("\"skills\": [\n    \"cloud\"\n  ]"))
    }

    @Test("a learner added without --created-on joined today (read before and after, so midnight cannot break it)")
    func createdToday() throws {
        let cli = try CLI()
        let before = todayText()
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        let after = todayText()
        let created = try cli.ok("learner", "list", "--format", "csv").split(separator: "\n")[1].split(separator: ",").last.map(String.init)
        #expect(created == before || created == after)
    }

    @Test("bad input: one error line, a non-zero exit, and an unchanged database")
    func badInput() throws {
        let cli = try seeded()
        let before = try cli.fingerprint()
        #expect(try cli.fails("award", "add", "sarah", "aws-ccp", "--earned", "2026-13-01")
                == "error: earned_on \"2026-13-01\" is not a date (YYYY-MM-DD)\n")
        #expect(try cli.fails("learner", "add", "sarah", "--name", "Again") == "error: learner sarah already exists\n")
        #expect(try cli.fails("award", "add", "nobody", "aws-ccp", "--earned", "2026-01-01") == "error: no learner \"nobody\"\n")
        #expect(try cli.fails("credential", "add", "x", "--title", "X", "--cost=-3") == "error: cost \"-3\" is negative\n")
        let bad = try cli.directory.write("awards.csv", "learner,credential,earned_on\nsarah,aws-ccp,2026-01-01\nsarah,aws-ccp,2026-13-01\n")
        #expect(try cli.fails("import", "awards", bad) == "error: \(bad):3: earned_on \"2026-13-01\" is not a date (YYYY-MM-DD)\n")
        #expect(try cli.fingerprint() == before)
    }

    @Test("usage errors exit 64")
    func usage() throws {
        let cli = try seeded()
        let stderr = try cli.fails("award", "add", "sarah", "aws-ccp", status: 64)
        #expect(stderr.contains("give --earned DATE for an earned award, or --status in-progress|planned"))
    }

    @Test("removing what others refer to is refused unless --force")
    func removeRefused() throws {
        let cli = try seeded()
        try cli.ok("award", "add", "sarah", "aws-ccp", "--earned", "2026-03-14")
        #expect(try cli.fails("credential", "remove", "aws-ccp")
                == "error: credential aws-ccp has 1 award (1 learner); use --force to remove them too\n")
        #expect(try cli.ok("credential", "remove", "aws-ccp", "--force") == "removed credential aws-ccp and 1 award\n")
        #expect(try cli.ok("award", "list") == "no awards\n")
    }

    @Test("revoke keeps the award on record with status revoked")
    func revoke() throws {
        let cli = try seeded()
        try cli.ok("award", "add", "sarah", "aws-ccp", "--earned", "2026-03-14")
        #expect(try cli.ok("award", "revoke", "sarah", "aws-ccp") == "revoked award of aws-ccp to sarah earned on 2026-03-14\n")
        #expect(try cli.ok("award", "list", "--format", "csv").contains(",sarah,aws-ccp,AWS Certified Cloud Practitioner,revoked,"))
    }

    @Test("import, then export to a file, then import into a new database: the same data")
    func importExportRoundTrip() throws {
        let cli = try seeded()
        let learners = try cli.directory.write("learners.csv", "handle,name,cohort\nomar,\"Haddad, Omar\",fall-26\nlin,Lin Wu,\n")
        #expect(try cli.ok("import", "learners", learners) == "imported 2 learners: 2 new, 0 updated, 0 unchanged\n")
        #expect(try cli.ok("import", "learners", learners) == "imported 2 learners: 0 new, 0 updated, 2 unchanged\n")
        try cli.ok("award", "add", "omar", "aws-ccp", "--status", "in-progress", "--started", "2026-09-01")
        let target = try CLI()
        for kind in ["learners", "skills", "credentials", "awards"] {
            let file = cli.directory.file("\(kind).out.csv")
            #expect(try cli.ok("export", kind, "-o", file) == "")
            try target.ok("import", kind, file)
        }
        #expect(try target.fingerprint() == cli.fingerprint())
    }

    @Test("the database comes from --db, else CREDFOLIO_DB, else XDG_DATA_HOME")
    func databaseLocation() throws {
        let cli = try CLI()
        let env = cli.directory.file("env.db")
        var result = try cli.run(["learner", "add", "a", "--name", "A"], environment: ["CREDFOLIO_DB": env], useDatabase: false)
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: env))
        let xdg = cli.directory.file("xdg")
        result = try cli.run(["learner", "add", "b", "--name", "B"], environment: ["XDG_DATA_HOME": xdg], useDatabase: false)
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/credfolio/credfolio.db"))
    }

    @Test("the executable works when copied out of the build folder: the schema is inside it")
    func selfContained() throws {
        let cli = try CLI()
        let copy = cli.directory.file("credfolio-copy")
        try FileManager.default.copyItem(atPath: CLI.executable, toPath: copy)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: copy)
        process.arguments = ["learner", "add", "x", "--name", "X", "--db", cli.directory.file("copy.db")]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try cli.run(["learner", "list", "--format", "csv", "--db", cli.directory.file("copy.db")]).stdout.contains("\nx,X,"))
    }
}

func todayText() -> String {
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
}

