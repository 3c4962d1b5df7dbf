import Foundation
import Testing
@testable import CredfolioTestSupport

/// Readers never block writers: a command that only reads runs in one read
/// transaction (a WAL snapshot), so a writer goes ahead at once, and the
/// reader's output is the state at its start, whatever was written meanwhile.
@Suite("readers never block writers", .serialized)
struct ReaderWriterTests {
    /// A writer that would wait for a lock fails at once: busy, exit 75.
    static let noWaiting = ["CREDFOLIO_BUSY_TIMEOUT": "0"]

    /// Starts `arguments` with its standard output a pipe nobody reads yet.
    static func start(_ cli: CLI, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = arguments.withDatabase(cli.database)
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory.path)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    /// While `arguments` is stalled on a full pipe (as `| less` leaves it),
    /// another process adds an award; it must succeed at once, and the
    /// reader's output must equal what it wrote before the change.
    func readerOnAFullPipe(_ cli: CLI, _ arguments: [String], change: [String]) throws {
        let before = try cli.ok(arguments)
        #expect(before.utf8.count > 256 << 10, "the output must be larger than a pipe holds")
        let (reader, out) = try Self.start(cli, arguments)
        // Its first bytes say it is reading; then it fills the pipe and waits.
        let first = out.fileHandleForReading.readData(ofLength: 1)
        #expect(first.count == 1)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(reader.isRunning, "the reader must still be mid-stream")
        let started = Date()
        let write = try cli.run(change, environment: Self.noWaiting)
        #expect(write.status == 0, "\(change) while \(arguments) reads: \(write.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(reader.terminationStatus == 0)
        #expect(String(decoding: first + rest, as: UTF8.self) == before, "\(arguments) must show the state at its start")
        // Undo, for the next reader.
        try cli.ok(["award", "remove", change[2], change[3]])
    }

    @Test("export progress, report cohort and award list, stalled on a full pipe, let an award be added at once")
    func pipedReaders() throws {
        let cli = try GoldenTests.population()
        let change = ["award", "add", "l0001", "sql-basics", "--earned", "2026-11-20"]
        let asOf = ["--as-of", GoldenTests.asOf]
        try readerOnAFullPipe(cli, ["export", "progress", "--all-stacks"] + asOf, change: change)
        try readerOnAFullPipe(cli, ["report", "cohort", "--all-stacks", "--format", "csv"] + asOf, change: change)
        try readerOnAFullPipe(cli, ["award", "list", "--format", "json"] + asOf, change: change)
    }

    @Test("report html, stopped mid-site, lets an award be added at once, and shows the state at its start")
    func siteReader() throws {
        let cli = try GoldenTests.population()
        try cli.ok("report", "html", "-o", cli.directory.file("before"), "--as-of", GoldenTests.asOf)
        let (reader, _) = try Self.start(cli, ["report", "html", "-o", cli.directory.file("during"), "--as-of", GoldenTests.asOf])
        // Stopped once it has written its first learner pages: it is inside its read transaction.
        let learners = cli.directory.file("during/learners")
        while reader.isRunning && ((try? FileManager.default.contentsOfDirectory(atPath: learners))?.count ?? 0) < 20 {
            Thread.sleep(forTimeInterval: 0.005)
        }
        kill(reader.processIdentifier, SIGSTOP)
        #expect(reader.isRunning, "the site must still be being written")
        let started = Date()
        let write = try cli.run(["award", "add", "l0001", "sql-basics", "--earned", "2026-11-20"], environment: Self.noWaiting)
        #expect(write.status == 0, "award add while report html reads: \(write.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
        kill(reader.processIdentifier, SIGCONT)
        reader.waitUntilExit()
        #expect(reader.terminationStatus == 0)
        let before = try GoldenTests.files(under: cli.directory.file("before"))
        let during = try GoldenTests.files(under: cli.directory.file("during"))
        #expect(before.map(\.name) == during.map(\.name))
        for (a, b) in zip(before, during) where a.data != b.data { Issue.record("\(a.name) differs from the site written before the change") }
        // And the change is there for the next reader.
        #expect(try cli.ok("award", "list", "--learner", "l0001").contains("2026-11-20"))
    }
}
