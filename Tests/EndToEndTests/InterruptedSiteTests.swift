import Foundation
import Testing
@testable import CredfolioTestSupport

@Suite("13: a site interrupted while it is rewritten", .serialized)
struct InterruptedSiteTests {
    /// Every page under `root`, by its path there (not the marker, nor the
    /// spares the stack pages are written over: ``RewrittenFile``).
    func files(_ root: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for file in try GoldenTests.files(under: root) where !(file.name.split(separator: "/").last ?? "").hasPrefix(".") {
            out[file.name] = file.data
        }
        return out
    }

    @Test("Ctrl-C during report html over an existing site leaves every page whole, old or new, and the overview says so")
    func interrupted() throws {
        let cli = try GoldenTests.population()
        let (old, new) = (cli.directory.file("old"), cli.directory.file("new"))
        try cli.ok("report", "html", "-o", old, "--as-of", "2026-01-15")
        try cli.ok("report", "html", "-o", new, "--as-of", "2026-11-29")
        let (before, after) = (try files(old), try files(new))
        let site = cli.directory.file("site")
        // Rewrite it as of the later day, and press Ctrl-C as soon as its first learner page has changed: the
        // process is stopped first (SIGSTOP), so that it cannot finish between the look and the key. On a busy
        // machine it may still have finished: then again, a few times.
        var stderr = "", status: (Process.TerminationReason, Int32) = (.exit, 0)
        for _ in 0..<5 {
            try cli.ok("report", "html", "-o", site, "--as-of", "2026-01-15")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.executable)
            process.arguments = ["report", "html", "-o", site, "--as-of", "2026-11-29", "--db", cli.database]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let watched = site + "/learners/l0000.html"
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline, FileManager.default.contents(atPath: watched) == before["learners/l0000.html"] {
                usleep(100)
            }
            kill(process.processIdentifier, SIGSTOP)
            kill(process.processIdentifier, SIGINT)
            kill(process.processIdentifier, SIGCONT)
            process.waitUntilExit()
            stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            status = (process.terminationReason, process.terminationStatus)
            if status.0 == .uncaughtSignal { break }
        }
        #expect(status.0 == .uncaughtSignal && status.1 == SIGINT, "\(stderr)")
        #expect(stderr == "note: interrupted: every file written so far is whole; run the command again to finish\n")
        let now = try files(site)
        var newer = 0
        for (name, data) in now where name != "index.html" {
            #expect(data == before[name] || data == after[name], "\(name) is neither the old page nor the new one")
            if data == after[name] && data != before[name] { newer += 1 }
        }
        #expect(newer > 0 && newer < after.count - 1, "the run was interrupted midway (\(newer) new pages)")
        let overview = String(decoding: try #require(now["index.html"]), as: UTF8.self)
        #expect(overview.contains("If this notice stays, the writing was interrupted"))
        #expect(!overview.contains("href="), "the notice links to no page")
        // Written again, the site is the new one, whole.
        try cli.ok("report", "html", "-o", site, "--as-of", "2026-11-29")
        #expect(try files(site) == after)
    }
}
