import Foundation
import Testing
@testable import CredfolioHTML
@testable import CredfolioSQLite
public import CredfolioSQL
@testable public import CredfolioSystem
@testable public import CredfolioCore
@testable public import CredfolioStore
@testable public import CredfolioApp
@testable import CredfolioCLI
import CredfolioCBC

/// A folder under the system's temporary directory, removed when released.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "credfolio-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

public func day(_ text: String) -> Day { Day(iso: text)! }

/// A store with a small catalog: two skills, three credentials, two learners.
public func sampleStore() throws -> Store {
    let store = try testStore()
    try store.skills.add(Skill(code: "cloud", name: "Cloud computing", category: "Technology"))
    try store.skills.add(Skill(code: "python", name: "Python", category: "Technology", framework: "ESCO", frameworkID: "S1.2.3"))
    try store.credentials.add(Credential(code: "aws-ccp", title: "AWS Certified Cloud Practitioner", issuer: "AWS",
                                         kind: .certification, hours: 40, costCents: 10_000, weeks: 6, deliveries: [.online],
                                         validity: .months(36), skills: ["cloud"]))
    try store.credentials.add(Credential(code: "py-data", title: "Python for Data", hours: 60, costCents: 4_900,
                                         weeks: 8, deliveries: [.online], validity: .never, skills: ["python"]))
    try store.credentials.add(Credential(code: "sql-basics", title: "SQL Basics", kind: .badge, hours: 20, weeks: 3,
                                         deliveries: [.online], validity: .never))
    try store.learners.add(Learner(handle: "sarah", name: "Sarah Chen", email: "sarah@example.org", cohort: "spring-26"))
    try store.learners.add(Learner(handle: "omar", name: "Omar Haddad", cohort: "spring-26"))
    return store
}

/// Every row of every table, in a stable order: equal dumps mean equal data.
/// On either engine (PostgreSQL's migration log, with its times, left out).
public func dump(_ db: any SQLConnection) throws -> [String] {
    var lines: [String] = []
    let tables = db.engine == .sqlite
        ? try db.fetch("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") { $0.string(0) }
        : try db.fetch("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'credfolio_migration'
            ORDER BY table_name
            """) { $0.string(0) }
    for table in tables {
        let rows = try db.fetch("SELECT * FROM \(table)") { row in
            (0..<Int32(row.columnCount)).map { row.optionalString($0).map { "'\($0)'" } ?? "NULL" }.joined(separator: "|")
        }
        lines += rows.sorted().map { "\(table): \($0)" }
    }
    return lines
}

/// The rows of a table without their ids, for comparing two databases.
public func contents(_ store: Store) throws -> [String] {
    let db = store.database
    var lines: [String] = []
    lines += try db.fetch("SELECT handle, name, email, cohort, notes, created_on FROM learner ORDER BY handle") { row in
        "learner " + (0..<Int32(6)).map { row.optionalString($0) ?? "NULL" }.joined(separator: "|")
    }
    lines += try db.fetch("SELECT code, name, category, framework, framework_id FROM skill ORDER BY code") { row in
        "skill " + (0..<Int32(5)).map { row.optionalString($0) ?? "NULL" }.joined(separator: "|")
    }
    lines += try store.credentials.list().map { c in
        var c = c
        c.id = nil
        return "credential \(c)"
    }
    lines += try store.awards.list().map { r in
        var a = r.award
        a.id = nil
        return "award \(a)"
    }
    return lines
}

/// What `body` writes to a sink, read back from a file in `dir`.
public func captureOutput(in dir: TemporaryDirectory, _ body: (OutputSink) throws -> Void) throws -> String {
    let path = dir.file("out-\(UUID().uuidString)")
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let sink = OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true)
    try body(sink)
    try sink.flush()
    return try String(contentsOfFile: path, encoding: .utf8)
}

/// Every learner of `store` with their awards, as the one reader of a
/// parallel command hands them on.
public func everyLearner(_ store: Store, _ portfolio: Portfolio, details: Bool = false) throws -> [LearnerAwards] {
    var all: [LearnerAwards] = []
    try LearnerReader(store, portfolio).forEachChunk(cohort: nil, details: details, size: 100) { all += $0 }
    return all
}

/// `export progress` of `store`'s learners (of `cohort`) as of `asOf`, as
/// the command writes it, with worker threads from `threshold` learners.
public func exportProgress(_ store: Store, cohort: String? = nil, asOf: Day, threshold: Int = 1_000, in dir: TemporaryDirectory) throws -> String {
    try captureOutput(in: dir) { sink in
        var settings = CohortRows.Settings(cohort: cohort, day: asOf, goals: try store.learners.goalsByLearner(), allStacks: false,
                                           pace: nil, stalledAfter: Stall.defaultDays, shortMissing: false)
        settings.outlooks = false
        var report = CohortReport(store: store, portfolio: try Portfolio(store), settings: settings, query: CohortQuery(),
                                  style: .progress(asOf: asOf), solver: CBCSolver())
        report.parallelThreshold = threshold
        CSVWriter(sink: sink).row(ProgressFormatting.csvColumns)
        _ = try report.write(to: sink, emptyMessage: "")
    }
}
