import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioSystem
@testable import CredfolioCore
@testable import CredfolioStore

@Suite("CSV import and export")
struct ImportExportTests {
    func run(_ store: Store, _ kind: Importer.Kind, _ text: String, file: String = "in.csv") throws -> ImportSummary {
        try Importer(store.database).run(kind, reader: CSVReader(text: text), file: file)
    }

    func export(_ store: Store, _ kind: Importer.Kind) throws -> String {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.csv")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try Exporter(store.database).run(kind, to: CSVWriter(sink: OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true)))
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static let awardsCSV = """
        Learner,CREDENTIAL,status,earned_on,expires_on,evidence_url
        sarah,aws-ccp,earned,2026-03-14,,https://example.org/badge/1
        sarah,py-data,in-progress,,,
        omar,sql-basics,,2026-01-10,,

        """

    @Test("award rows in any learner order reach the right learner (ids looked up per run of rows); an unknown one mid-file rolls back all")
    func awardsInterleaved() throws {
        let store = try sampleStore()
        let summary = try run(store, .awards, """
            learner,credential,earned_on
            sarah,aws-ccp,2026-03-14
            omar,aws-ccp,2026-03-15
            sarah,sql-basics,2026-03-16
            omar,sql-basics,2026-03-17
            omar,py-data,2026-03-18

            """)
        #expect(summary.inserted == 5)
        let held = try store.awards.list().map { "\($0.award.learner) \($0.award.credential) \($0.award.earnedOn!)" }
        #expect(held == ["omar aws-ccp 2026-03-15", "omar py-data 2026-03-18", "omar sql-basics 2026-03-17",
                         "sarah aws-ccp 2026-03-14", "sarah sql-basics 2026-03-16"])
        #expect(throws: CredfolioError.self) {
            try run(store, .awards, "learner,credential,earned_on\nsarah,py-data,2026-04-01\nzed,py-data,2026-04-01\nomar,py-data,2026-04-02\n")
        }
        #expect(try store.awards.list().count == 5)
    }

    @Test("a large load drops and rebuilds the secondary indexes from their own definitions; a failed one leaves them as they were", .sqliteFile("SQLite's index rebuild"))
    func indexesRebuilt() throws {
        let store = try sampleStore()
        func indexes() throws -> [String] {
            try store.file!.prepare("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                .map { $0.string(0) }
        }
        let before = try indexes()
        #expect(before.contains { $0.hasPrefix("learner_by_cohort: CREATE INDEX") } && before.contains { $0.hasPrefix("award_by_credential: ") })
        let big = Importer(store.database, expectedRows: 60_000)
        _ = try big.run(.learners, reader: CSVReader(text: "handle,name,cohort\nzed,Zed,k\n"), file: "l.csv")
        _ = try big.run(.awards, reader: CSVReader(text: "learner,credential,earned_on\nzed,aws-ccp,2026-01-01\n"), file: "a.csv")
        #expect(try indexes() == before)
        #expect(throws: CredfolioError.self) {
            try big.run(.awards, reader: CSVReader(text: "learner,credential,earned_on\nzed,py-data,2026-01-01\nnobody,py-data,2026-01-01\n"),
                        file: "a.csv")
        }
        #expect(try indexes() == before)
        #expect(try store.database.scalar(Int.self, "SELECT count(*) FROM learner WHERE cohort = 'k'") == 1)
    }

    @Test("imports with headers in any case and order, and reports new, updated and unchanged")
    func importsAndReports() throws {
        let store = try sampleStore()
        let summary = try run(store, .awards, Self.awardsCSV)
        #expect(summary == ImportSummary(kind: "awards", inserted: 3))
        #expect(summary.description == "imported 3 awards: 3 new, 0 updated, 0 unchanged")
        #expect(try store.awards.list(learner: "omar").map(\.award.status) == [.earned])
    }

    @Test("importing the same file twice changes nothing the second time")
    func idempotent() throws {
        let store = try sampleStore()
        _ = try run(store, .awards, Self.awardsCSV)
        let before = try dump(store.database)
        #expect(try run(store, .awards, Self.awardsCSV) == ImportSummary(kind: "awards", unchanged: 3))
        #expect(try dump(store.database) == before)
        let changed = Self.awardsCSV.replacingOccurrences(of: "badge/1", with: "badge/2")
        #expect(try run(store, .awards, changed) == ImportSummary(kind: "awards", updated: 1, unchanged: 2))
    }

    @Test("a bad row stores nothing from the file and names file, line, column and reason")
    func allOrNothing() throws {
        let store = try sampleStore()
        var lines = ["learner,credential,status,earned_on"]
        for i in 0..<810 { lines.append("sarah,aws-ccp,earned,\(day("2000-01-01").adding(days: i)!)") }
        lines.append("sarah,aws-ccp,earned,2026-13-01")
        let before = try dump(store.database)
        #expect(throws: CredfolioError.invalid(#"awards.csv:812: earned_on "2026-13-01" is not a date (YYYY-MM-DD)"#)) {
            try run(store, .awards, lines.joined(separator: "\n") + "\n", file: "awards.csv")
        }
        #expect(try dump(store.database) == before)
    }

    @Test("header and row errors name what is wrong", arguments: [
        ("handle,name,shoe_size\nx,X,9\n", Importer.Kind.learners, #"in.csv:1: unknown column "shoe_size" (columns are handle,name,email,cohort,notes,created_on,emails,pace,goals)"#),
        ("handle,email\nx,x@y.z\n", .learners, "in.csv:1: missing column name (columns are handle,name,email,cohort,notes,created_on,emails,pace,goals)"),
        ("handle,name\nx,X,extra\n", .learners, "in.csv:2: 3 fields, but the header has 2"),
        ("handle,name\nx\n", .learners, "in.csv:2: 1 field, but the header has 2"),
        ("handle,name\nx,X\nx,Y\n", .learners, "in.csv:3: learner x appears twice in this file"),
        ("", .learners, "in.csv: empty file; the first line must be a header such as handle,name,email,cohort,notes,created_on,emails,pace,goals"),
        ("handle,name,,\nx,X,,9\n", .learners, "in.csv:2: column 4 has no name in the header but holds a value; name it or remove it"),
        ("code,title,cost\nc,C,\"49,99\"\n", .credentials,
         #"in.csv:2: cost "49,99" has a comma: write decimals with a dot and no thousands separators (such as 1299.99)"#),
        ("code,title,hours\nc,C,1000001\n", .credentials, #"in.csv:2: hours "1000001" is more than 1,000,000"#),
        ("code,title,validity_months\nc,C,99999999999\n", .credentials, #"in.csv:2: validity_months "99999999999" is more than 1,200"#),
        ("handle,name\nx,\"open\n", .learners, "in.csv:2: name: unterminated quoted field"),
        ("code,title,hours\nc,C,-4\n", .credentials, #"in.csv:2: hours "-4" is negative"#),
        ("code,title,cost\nc,C,ten\n", .credentials, #"in.csv:2: cost "ten" is not an amount (such as 49 or 49.99)"#),
        ("code,title,skills\nc,C,cloud;nope\n", .credentials, #"in.csv:2: skill "nope" does not exist"#),
        ("learner,credential,earned_on\nzed,aws-ccp,2026-01-01\n", .awards, #"in.csv:2: learner "zed" is not a known learner"#),
        ("learner,credential,earned_on\nsarah,nope,2026-01-01\n", .awards, #"in.csv:2: credential "nope" is not a known credential"#),
        ("learner,credential,earned_on\nsarah,aws-ccp,2026-02-30\n", .awards, #"in.csv:2: earned_on "2026-02-30" is not a date (YYYY-MM-DD)"#),
        ("learner,credential,earned_on\nsarah,aws-ccp,26-1-1\n", .awards, #"in.csv:2: earned_on "26-1-1" is not a date (YYYY-MM-DD)"#),
        ("learner,credential,status\nsarah,aws-ccp,done\n", .awards, #"in.csv:2: status "done" is not one of earned, in-progress, planned, revoked"#),
        ("learner,credential,earned_on\nsarah,aws-ccp,2026-01-01\nsarah,aws-ccp,2026-01-01\n", .awards,
         "in.csv:3: award of aws-ccp to sarah earned on 2026-01-01 appears twice in this file"),
    ])
    func errors(text: String, kind: Importer.Kind, message: String) throws {
        let store = try sampleStore()
        let before = try dump(store.database)
        #expect(throws: CredfolioError.invalid(message)) { try run(store, kind, text) }
        #expect(try dump(store.database) == before)
    }

    @Test("a key that was in the database before and appears twice in the file is caught too")
    func duplicateOfExisting() throws {
        let store = try sampleStore()
        #expect(throws: CredfolioError.invalid("in.csv:3: learner sarah appears twice in this file")) {
            try run(store, .learners, "handle,name\nsarah,Sarah A\nsarah,Sarah B\n")
        }
        #expect(try store.learners.get("sarah").name == "Sarah Chen")
    }

    @Test("a column left out keeps existing values; a column present but empty clears them")
    func partialColumns() throws {
        let store = try sampleStore()
        _ = try run(store, .learners, "handle,name\nsarah,Sarah C. Chen\n")
        #expect(try store.learners.get("sarah").email == "sarah@example.org")
        _ = try run(store, .learners, "handle,name,email\nsarah,Sarah C. Chen,\n")
        #expect(try store.learners.get("sarah").email == nil)
    }

    @Test("export then import into a new database reproduces every record exactly")
    func roundTrip() throws {
        let store = try sampleStore()
        try store.learners.add(Learner(handle: "eve", name: "=HYPERLINK(\"http://evil\")", email: "e@x.org",
                                       cohort: "+cohort", notes: "line1\nline2, \"quoted\"\n'-tricky", createdOn: day("2025-05-05")))
        try store.credentials.add(Credential(code: "odd", title: "@Title, with comma", issuer: "-Issuer", kind: .course,
                                             hours: 7, credits: 1.5, creditUnit: "ECTS", costCents: 1_999, currency: "GBP",
                                             weeks: 2, deliveries: [.inPerson], level: "'=level", validity: .months(12),
                                             employerValidated: true, accreditation: "\tTabbed", url: "https://x.org/a?b=c,d",
                                             skills: ["cloud", "python"]))
        try store.awards.add(Award(learner: "eve", credential: "odd", status: .revoked, startedOn: day("2025-01-01"),
                                   earnedOn: day("2025-02-01"), expiresOn: day("2025-08-01"), evidenceURL: "=cmd", notes: "@note"))
        try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2026-03-14")))
        try store.awards.add(Award(learner: "sarah", credential: "py-data", status: .planned, notes: "next"))

        let copy = try testStore()
        for kind in Importer.Kind.allCases {
            let text = try export(store, kind)
            _ = try run(copy, kind, text)
            #expect(try export(copy, kind) == text)
        }
        #expect(try contents(copy) == contents(store))
        let learners = try export(store, .learners)
        #expect(learners.contains("eve,\"'=HYPERLINK(\"\"http://evil\"\")\",e@x.org,'+cohort,"))
    }
}
