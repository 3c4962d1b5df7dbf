public import ArgumentParser
import CredfolioCBC
public import CredfolioCore
public import CredfolioEngine
import CredfolioStore
import CredfolioSystem
public import CredfolioApp
#if canImport(Glibc)
import Glibc
#endif

extension OutputFormat: ExpressibleByArgument {}
extension CredentialKind: ExpressibleByArgument {}
extension DeliveryFormat: ExpressibleByArgument {}
extension AwardStatus: ExpressibleByArgument {}
extension Measure: ExpressibleByArgument {}
extension EffectiveStatus: ExpressibleByArgument {}

/// Where the database is: `--db`, else `$CREDFOLIO_DB`, else
/// `$XDG_DATA_HOME/credfolio/credfolio.db` (`$HOME/.local/share/…` when
/// `XDG_DATA_HOME` is not set; with neither, there is no default).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: a file, or a postgresql:// URL (default: $CREDFOLIO_DB, else $XDG_DATA_HOME/credfolio/credfolio.db).",
        valueName: "path|url"))
    var db: String?

    func validate() throws {
        if db?.isEmpty == true { throw ValidationError("--db is empty: give the database file's path") }
    }

    /// Opens the database for a command that writes: created and migrated
    /// on first use. A database this opening created is removed again if
    /// the command then fails (``NewDatabase``).
    func open() throws -> Store {
        let (path, isDefault) = try Store.location(given: db, environment: environment)
        let store = try Store.open(path, access: .write, makingFolders: isDefault, busyTimeoutMilliseconds: try Self.busyTimeout())
        if store.created { NewDatabase.note(path) }
        return store
    }

    /// Opens the database for a command that writes, and runs `body` as the
    /// command's one transaction: all of it is stored, or nothing. On
    /// PostgreSQL it is SERIALIZABLE; one the server fails for running beside
    /// another is run again from the start while the busy timeout allows
    /// (with `retrying`: `body` must then not consume input it cannot read
    /// again), then reported as busy. Its output is printed after it, by the
    /// caller, so a retried command prints once.
    func write<T>(retrying: Bool = true, _ body: (Store) throws -> T) throws -> T {
        let store = try open()
        return try store.database.transaction(retrying: retrying) { try body(store) }
    }

    /// `$CREDFOLIO_BUSY_TIMEOUT`: milliseconds a write waits for another
    /// process's lock (0 to 600,000; default 10,000).
    static func busyTimeout() throws -> Int32 {
        guard let text = environment("CREDFOLIO_BUSY_TIMEOUT"), !text.isEmpty else { return 10_000 }
        return Int32(try Field.wholeNumber(text, "CREDFOLIO_BUSY_TIMEOUT", max: 600_000))
    }

    /// Opens the database for a command that only reads: a missing file is
    /// an error (a typo must not leave a new database behind), and a
    /// read-only file or folder is fine.
    func openForReading() throws -> Store {
        try Store.open(try Store.location(given: db, environment: environment).path, access: .read, busyTimeoutMilliseconds: try Self.busyTimeout())
    }
}

func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table (for people), csv or json (for programs).")
    var format: OutputFormat = .table
}

/// Parses a date argument, or fails with the usual one-line error.
func parseDay(_ text: String?, _ name: String) throws -> Day? {
    guard let text else { return nil }
    return try Field.day(text, name)
}


/// One line on standard error that is not an error: the command goes on
/// and exits 0 (a filter that matched nothing, say).
func note(_ message: String) {
    var line = Array(("note: " + message.asOneLine() + "\n").utf8)
    _ = line.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// Notes when `cohort` names no learner's cohort, listing those there are.
func noteUnknownCohort(_ cohort: String?, in store: Store) throws {
    guard let cohort else { return }
    let cohorts = try store.learners.cohorts()
    guard !cohorts.contains(cohort) else { return }
    let similar = cohorts.first { $0.lowercased() == cohort.lowercased() }
    note("no learner is in cohort \(Field.quoted(cohort))"
         + (similar.map { "; did you mean \($0)?" } ?? "")
         + (cohorts.isEmpty ? "; no learner has a cohort yet" : "; cohorts: " + cohorts.joined(separator: ", ")))
}

extension CohortQuery.Sort: ExpressibleByArgument {}

/// The filters, order and limit of `report cohort` and `export progress`.
struct CohortQueryOptions: ParsableArguments {
    @Flag(help: "Only stacks the learner has not completed.") var incomplete = false
    @Flag(help: "Only stacks the learner has completed.") var complete = false
    @Option(name: .customLong("min-percent"), parsing: .unconditional, help: "Only rows at or above this percent.",
            transform: { try Field.decimal($0, "min-percent", max: 100) })
    var minPercent: Double?
    @Option(name: .customLong("max-percent"), parsing: .unconditional, help: "Only rows at or below this percent.",
            transform: { try Field.decimal($0, "max-percent", max: 100) })
    var maxPercent: Double?
    @Flag(help: "Only learners who have stalled on the stack (see --stalled-after).") var stalled = false
    @Option(name: .customLong("stalled-after"), parsing: .unconditional,
            help: "Days without an earned award after which an incomplete stack counts as stalled (default 90).",
            transform: { try Field.days($0, "stalled-after") })
    var stalledAfter: Int = Stall.defaultDays
    @Option(help: "Order by percent, projected, last-earned, name or target (ascending; --desc for descending; rows without a target last).")
    var sort: CohortQuery.Sort?
    @Flag(help: "With --sort: descending.") var desc = false
    @Option(parsing: .unconditional, help: "At most this many rows.", transform: { try Field.count($0, "limit") })
    var limit: Int?

    func query() throws -> CohortQuery {
        if incomplete && complete { throw ValidationError("--incomplete and --complete exclude each other") }
        if let minPercent, let maxPercent, minPercent > maxPercent {
            throw ValidationError("--min-percent \(NumberText.plain(minPercent)) is above --max-percent \(NumberText.plain(maxPercent))")
        }
        if desc && sort == nil { throw ValidationError("--desc goes with --sort") }
        var q = CohortQuery()
        q.incompleteOnly = incomplete
        q.completeOnly = complete
        q.minPercent = minPercent
        q.maxPercent = maxPercent
        q.stalledOnly = stalled
        q.sort = sort
        q.descending = desc
        q.limit = limit
        return q
    }
}

/// The as-of date: `--as-of`, else today.
func asOfDay(_ text: String?) throws -> Day {
    try parseDay(text, "as_of") ?? Day.today()
}

extension LearnerPortfolio {
    /// The learner `handle` of the database `database` names, as of `--as-of`.
    init(_ database: DatabaseOptions, learner handle: String, stack: String?, asOf: String?) throws {
        let day = try asOfDay(asOf)
        let store = try database.openForReading()
        self = try store.read { try LearnerPortfolio(store: store, learner: handle, stack: stack, day: day, solver: CBCSolver()) }
    }
}
