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

struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole database into a new, empty one: a SQLite file to PostgreSQL, or back.",
        discussion: """
            Every table and row is copied in one transaction on the target, and checked before it commits: \
            each table's rows are counted and the exports of both databases compared byte for byte. \
            A file is created; a PostgreSQL database must exist (createdb) and hold no rows.
            """)
    @Option(help: ArgumentHelp("The database to copy: a file or a postgresql:// URL.", valueName: "path|url")) var from: String
    @Option(help: ArgumentHelp("The new database: a file that does not exist yet, or an empty PostgreSQL database.",
                               valueName: "path|url")) var to: String
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if from.isEmpty || to.isEmpty { throw ValidationError("--from and --to each name a database") }
    }

    func run() throws {
        if from == to || Store.sameFile(from, to) { throw CredfolioError.invalid("--from and --to are the same database") }
        if !Store.isPostgres(to) && access(to, F_OK) == 0 {
            throw CredfolioError.conflict("\(to) already exists: copy writes into a new file")
        }
        let timeout = try DatabaseOptions.busyTimeout()
        let source = try Store.open(from, access: .read, busyTimeoutMilliseconds: timeout)
        let target = try Store.open(to, access: .write, makingFolders: false, busyTimeoutMilliseconds: timeout)
        if target.created { NewDatabase.note(to) }
        let counts = try DatabaseCopy.run(from: source, to: target)
        var report = Report(columns: ["table", "rows"])
        for (table, rows) in counts { report.append([.text(table), .integer(Int64(rows))]) }
        report.render(output.format, to: OutputSink.standardOutput(), emptyMessage: "no tables")
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
