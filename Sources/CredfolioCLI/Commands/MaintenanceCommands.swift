import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database to a new file, while others may be using it.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The new backup file.") var file: String

    func run() throws {
        let store = try database.openForReading()
        try store.backup(to: file)
        OutputSink.standardOutput().write("backed up \(store.path) to \(file)\n")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a backup, after checking it; the replaced database is kept as a backup.",
        discussion: """
            The backup must be a credfolio database that passes SQLite's integrity and foreign-key checks, \
            with a schema version this credfolio knows. The database it replaces is first copied to \
            DB.before-restore-YYYYMMDD-HHMMSS beside it.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The backup to restore.") var file: String

    func run() throws {
        try Store.verify(file)
        let store = try database.open()
        if Store.sameFile(file, store.path) {
            throw CredfolioError.invalid("\(file) is the database itself: restore needs a backup made with credfolio backup")
        }
        let kept = try store.restoreKeepingCopy(from: file)
        OutputSink.standardOutput().write("restored \(store.path) from \(file); the replaced database is kept as \(kept)\n")
    }
}

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the database: integrity, foreign keys, and credfolio's own invariants. Exits 1 when something is wrong.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOptions
    @Option(name: .customLong("as-of"), help: "The date for the expiry count (default: today).") var asOf: String?

    func run() throws {
        let store = try database.openForReading()
        let findings = try store.diagnose(on: try asOfDay(asOf))
        var report = Report(columns: ["check", "status", "detail"])
        for f in findings { report.append([.text(f.check), .text(f.severity.rawValue), .text(f.detail)]) }
        let out = OutputSink.standardOutput()
        report.render(output.format, to: out)
        try out.flush()
        let problems = findings.filter { $0.severity == .problem }.count
        if problems > 0 {
            throw CredfolioError(.database, "doctor found \(problems) problem\(problems == 1 ? "" : "s") in \(store.path)")
        }
    }
}
