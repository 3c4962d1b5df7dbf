import Crypto
import Foundation
import Testing
@testable import CredfolioTestSupport

/// Outputs for programs and pages, pinned byte for byte against files in
/// `Tests/Golden`. A change to any of them shows as a diff of those files,
/// to be reviewed like code. After an intended change, write them anew:
///
///     CREDFOLIO_UPDATE_GOLDEN=1 Scripts/test --filter GoldenTests
///
/// and read `git diff Tests/Golden` before committing.
@Suite(.serialized) struct GoldenTests {
    static let asOf = "2026-11-29"
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden").path
    static let demoData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/demo-data").path
    static var updating: Bool { ProcessInfo.processInfo.environment["CREDFOLIO_UPDATE_GOLDEN"] == "1" }

    /// The demo's database: its catalog, stacks, six learners and their awards.
    static func demo(engine: TestEngine = .current) throws -> CLI {
        let cli = try CLI(engine: engine)
        for (kind, file) in [("skills", "skills.csv"), ("credentials", "credentials.csv"), ("stacks", "stacks.json"),
                             ("learners", "learners.csv"), ("awards", "awards.csv")] {
            try cli.ok("import", kind, demoData + "/" + file)
        }
        return cli
    }

    /// The demo's catalog with 1,200 generated learners: enough for every
    /// command's parallel path, and for chunks of learners to matter.
    static func population() throws -> CLI {
        let cli = try CLI()
        for (kind, file) in [("skills", "skills.csv"), ("credentials", "credentials.csv"), ("stacks", "stacks.json")] {
            try cli.ok("import", kind, demoData + "/" + file)
        }
        var random = SeededRandom(seed: 2026)
        let codes = ["sql-basics", "tableau-specialist", "pl-300", "excel-expert", "python-data", "google-data-analytics", "aws-ccp",
                     "aws-saa", "security-plus", "network-plus", "google-cybersecurity", "linux-essentials", "psm-1", "capm",
                     "google-project-management", "medical-terminology", "icd-10-cm", "hipaa-compliance", "cpc", "anatomy-physiology",
                     "meta-front-end", "responsive-web", "js-algorithms", "google-digital-marketing", "hubspot-inbound", "google-ads-search"]
        let stacks = ["data-analyst", "business-foundations", "cloud-security", "agile-leader", "medical-coding", "web-developer",
                      "digital-marketer"]
        var learners = "handle,name,email,cohort,notes,pace,goals\n"
        var awards = "learner,credential,status,earned_on,expires_on,evidence_url,started_on,notes\n"
        for n in 0..<1_200 {
            let handle = String(format: "l%04d", (n * 7_919) % 1_200)
            let pace = random.below(3) == 0 ? "" : String(random.below(12) + 1)
            var goals: [String] = []
            for _ in 0..<random.below(3) {
                let stack = stacks[random.below(stacks.count)]
                if !goals.contains(where: { $0.hasPrefix(stack) }) {
                    goals.append(random.below(2) == 0 ? stack : stack + "@2027-0\(random.below(9) + 1)-15")
                }
            }
            learners += "\(handle),Learner \(n),,cohort-\(random.below(4)),,\(pace),\(goals.joined(separator: ";"))\n"
            var taken = Set<String>()
            for _ in 0..<random.below(9) {
                let code = codes[random.below(codes.count)]
                guard taken.insert(code).inserted else { continue }
                let month = random.below(12) + 1, year = 2022 + random.below(5)
                let date = String(format: "%04d-%02d-%02d", year, month, random.below(28) + 1)
                switch random.below(6) {
                case 0: awards += "\(handle),\(code),in-progress,,,,\(date),\n"
                case 1: awards += "\(handle),\(code),planned,,,,,\n"
                default: awards += "\(handle),\(code),earned,\(date),,,,\n"
                }
            }
        }
        try cli.ok("import", "learners", try cli.directory.write("learners.csv", learners))
        try cli.ok("import", "awards", try cli.directory.write("awards.csv", awards))
        return cli
    }

    /// Compares `actual` with the golden file `name`, or writes it when updating.
    static func check(_ name: String, _ actual: Data, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = folder + "/" + name
        if updating {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try actual.write(to: URL(fileURLWithPath: path))
            return
        }
        guard let expected = FileManager.default.contents(atPath: path) else {
            Issue.record("no golden file \(name): write it with CREDFOLIO_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let firstDifference = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(expected.count, actual.count)
            Issue.record("\(name) differs from its golden file at byte \(firstDifference) (\(actual.count) bytes, golden \(expected.count))",
                         sourceLocation: sourceLocation)
        }
    }

    static func check(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try check(name, Data(text.utf8), sourceLocation: sourceLocation)
    }

    /// Every regular file under `root`, by path relative to it, in order.
    static func files(under root: String) throws -> [(name: String, data: Data)] {
        let names = try FileManager.default.subpathsOfDirectory(atPath: root).sorted()
        return names.compactMap { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isFolder)
            guard !isFolder.boolValue else { return nil }
            return (name, FileManager.default.contents(atPath: root + "/" + name) ?? Data())
        }
    }

    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    @Test func demoReportsAndExports() throws {
        let cli = try Self.demo()
        try Self.check("demo/report-cohort.txt", cli.ok("report", "cohort", "--as-of", Self.asOf))
        try Self.check("demo/report-cohort.csv", cli.ok("report", "cohort", "--as-of", Self.asOf, "--format", "csv"))
        try Self.check("demo/report-cohort.json", cli.ok("report", "cohort", "--as-of", Self.asOf, "--format", "json"))
        try Self.check("demo/report-cohort-all-stacks.csv", cli.ok("report", "cohort", "--all-stacks", "--as-of", Self.asOf, "--format", "csv"))
        try Self.check("demo/export-progress.csv", cli.ok("export", "progress", "--as-of", Self.asOf))
        try Self.check("demo/next-sarah-data-analyst.json",
                       cli.ok("next", "sarah", "data-analyst", "--pace", "8", "--as-of", Self.asOf, "--format", "json"))
        try Self.check("demo/next-omar.json", cli.ok("next", "omar", "--by", "cost", "--as-of", Self.asOf, "--format", "json"))
        for learner in ["sarah", "maria", "aisha", "lee"] {
            try Self.check("demo/progress-\(learner).json", cli.ok("progress", learner, "--all-stacks", "--as-of", Self.asOf, "--format", "json"))
        }
    }

    /// A CTDL import's report, the catalog it makes and a plan through a prerequisite, for programs.
    @Test func catalogImport() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ann", "--name", "Ann")
        let outside = "https://registry.test/resources/" + CTDLFixture.ctid(99)
        let file = try cli.directory.write("catalog.json", CTDLFixture.graph([
            CTDLFixture.record(1, "Cert X", price: 100, weeks: 4, hours: 20, delivery: ["OnlineOnly"], requires: [[2], [3, 4]],
                               extra: #""ceterms:ownedBy": ["\#(outside)"], "ceterms:renewalFrequency": "P2Y""#),
            CTDLFixture.record(2, "Prep A", type: "Course", price: 300, weeks: 8, hours: 60, delivery: ["InPerson"]),
            CTDLFixture.record(3, "Exam B", type: "AssessmentProfile", price: 50, weeks: 1, hours: 4, delivery: ["OnlineOnly"]),
            CTDLFixture.record(4, "Lab C", type: "LearningOpportunityProfile", delivery: ["InPerson", "BlendedDelivery"]),
        ] + CTDLFixture.pathway(10, "X Pathway", destination: 1)
          + [#"{"@id": "\#(CTDLFixture.id(20))", "@type": "ceterms:Pathway", "ceterms:ctid": "\#(CTDLFixture.ctid(20))", "ceterms:name": "Broken", "ceterms:hasDestinationComponent": ["\#(CTDLFixture.id(21))"]}"#]))
        try Self.check("ctdl/import-dry-run.csv", cli.ok("import", "ctdl", file, "--dry-run", "--format", "csv"))
        try Self.check("ctdl/import.json", cli.ok("import", "ctdl", file, "--format", "json"))
        try Self.check("ctdl/credentials.json", cli.ok("credential", "list", "--format", "json"))
        try Self.check("ctdl/export-credentials.csv", cli.ok("export", "credentials"))
        try Self.check("ctdl/show-cert-x.json", cli.ok("credential", "show", "cert-x", "--format", "json"))
        try Self.check("ctdl/next-ann.json", cli.ok("next", "ann", "x-pathway", "--by", "hours", "--as-of", Self.asOf, "--format", "json"))
    }

    @Test func demoPages() throws {
        let cli = try Self.demo()
        try cli.ok("portfolio", "sarah", "--html", "-o", cli.directory.file("sarah.html"), "--as-of", Self.asOf)
        try Self.check("demo/portfolio-sarah.html", FileManager.default.contents(atPath: cli.directory.file("sarah.html")) ?? Data())
        try cli.ok("report", "html", "-o", cli.directory.file("site"), "--as-of", Self.asOf)
        let site = try Self.files(under: cli.directory.file("site"))
        #expect(site.count > 10)
        for file in site { try Self.check("demo/site/" + file.name, file.data) }
    }

    /// At 1,200 learners the outputs are too large to keep whole: their
    /// SHA-256 digests are pinned instead, one line a file.
    @Test func populationDigests() throws {
        let cli = try Self.population()
        var lines: [String] = []
        func pin(_ name: String, _ text: String) { lines.append(Self.digest(Data(text.utf8)) + "  " + name) }
        pin("report-cohort.txt", try cli.ok("report", "cohort", "--as-of", Self.asOf))
        pin("report-cohort.csv", try cli.ok("report", "cohort", "--as-of", Self.asOf, "--format", "csv"))
        pin("report-cohort.json", try cli.ok("report", "cohort", "--as-of", Self.asOf, "--format", "json"))
        pin("report-cohort-cohort-1.csv", try cli.ok("report", "cohort", "--cohort", "cohort-1", "--as-of", Self.asOf, "--format", "csv"))
        pin("export-progress.csv", try cli.ok("export", "progress", "--as-of", Self.asOf))
        pin("export-progress-all-stacks.csv", try cli.ok("export", "progress", "--all-stacks", "--as-of", Self.asOf))
        try cli.ok("report", "html", "-o", cli.directory.file("site"), "--as-of", Self.asOf)
        for file in try Self.files(under: cli.directory.file("site")) { lines.append(Self.digest(file.data) + "  site/" + file.name) }
        try Self.check("population.sha256", lines.joined(separator: "\n") + "\n")
    }
}
