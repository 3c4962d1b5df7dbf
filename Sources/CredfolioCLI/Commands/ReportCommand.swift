import ArgumentParser
import CredfolioCBC
import CredfolioCore
import CredfolioHTML
import CredfolioSystem
import CredfolioEngine
import CredfolioApp
import CredfolioStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports for coaches: a cohort's progress, and credentials about to lapse.",
        subcommands: [Cohort.self, Expiring.self, Site.self])
}

extension ReportCommand {
    struct Cohort: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cohort",
            abstract: "One row per learner and stack, in learner then stack order (--sort for another), with a summary per stack.",
            discussion: """
                last_earned_on is the learner's latest earned award; stalled is true when no award was earned in \
                the last --stalled-after days (the as-of date and the days before it) while the stack is incomplete. \
                Filters narrow the rows and the summary alike; --limit cuts the rows only.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only learners of this cohort.") var cohort: String?
        @Option(help: "Only this stack (of the rows the rest choose: with --all-stacks, every learner on it).") var stack: String?
        @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?
        @Flag(name: .customLong("all-stacks"), help: "Every stack, not only each learner's goals.") var allStacks = false
        @Option(parsing: .unconditional, help: "Study hours a week for every learner (default: each learner's own pace).",
                transform: { try Field.pace($0) })
        var pace: Double?
        @OptionGroup var query: CohortQueryOptions

        func run() throws {
            let day = try asOfDay(asOf)
            let store = try database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            let cohortQuery = try query.query()
            // One read transaction: every row from one state, and no writer waits for it.
            let count = try store.read { try write(store, day: day, query: cohortQuery) }
            if count == 0 && cohortQuery.isFiltered { note("no learner and stack match the filters") }
        }

        /// Writes the report; returns how many rows the filters admitted.
        private func write(_ store: Store, day: Day, query cohortQuery: CohortQuery) throws -> Int {
            let portfolio = try Portfolio(store, only: stack, fallback: CBCSolver())
            // The summary lists every stack shown, even one no row reaches.
            let stacks = portfolio.stacks.map(\.definition.code)
            let settings = try CohortRows.Settings(
                store: store, cohort: cohort, day: day, allStacks: allStacks, pace: pace, stalledAfter: query.stalledAfter,
                shortMissing: output.format == .table)
            let report = CohortReport(store: store, portfolio: portfolio, settings: settings, query: cohortQuery,
                                      style: .cohort(output.format, jsonIndent: output.format == .json ? "  " : ""), solver: CBCSolver())
            func summary(_ tally: CohortTally) -> Report {
                var summary = Report(columns: ["stack", "learners", "complete", "median_percent"])
                let inCodeOrder = stacks.sorted()
                for code in stacks {
                    let h = tally.histogram(at: inCodeOrder.firstIndex(of: code)!)
                    summary.append([.text(code), .integer(Int64(h.total)), .integer(Int64(h.complete)),
                                    .decimal(h.median.map(ProgressFormatting.percent))])
                }
                return summary
            }
            let out = OutputSink.standardOutput()
            let tally: CohortTally
            switch output.format {
            case .csv:
                CSVWriter(sink: out).row(CohortRows.columns)
                tally = try report.write(to: out, emptyMessage: "")
            case .json:
                out.write("{\n  \"as_of\": \"\(day)\",\n  \"cohort\": " + JSONValue.optional(cohort).serialized() + ",\n  \"rows\": [")
                tally = try report.write(to: out, emptyMessage: "")
                let shown = min(tally.count, cohortQuery.limit ?? Int.max)
                out.write(shown == 0 ? "]" : "\n  ]")
                out.write(",\n  \"summary\": " + indented(JSONValue.array(summary(tally).jsonObjects()).serialized(), by: "  ") + "\n}\n")
            case .table:
                out.write("cohort \(cohort ?? "(all learners)"), as of \(day)\n\n")
                tally = try report.write(to: out, emptyMessage: "no learners or no stacks")
                out.write("\n")
                summary(tally).render(.table, to: out)
            }
            try out.flush()
            return tally.count
        }
    }

    struct Site: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "html",
            abstract: "Write the cohort as a small static site: an overview, a page per learner and a page per stack.",
            discussion: """
                DIR/index.html has per stack the learners, the number complete, the median and a histogram of \
                percents, then the learners and their goal stacks (every stack for a learner without goals) with \
                bars and stalled and off-track flags, ordered by learner, 250 learners a page (index-2.html, …; \
                by-percent.html: the 1,000 rows not yet complete that are closest to done), and what lapses within \
                90 days. DIR/learners/HANDLE.html is each learner's \
                portfolio page; DIR/stacks/CODE.html each stack's requirements and where each learner stands. \
                The numbers are those of report cohort. Pages run no script and load nothing; the same database \
                and --as-of give the same bytes. DIR is made if missing; a folder that holds anything but an \
                earlier site is refused.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(name: .shortAndLong, help: "The folder to write the site into.", completion: .directory)
        var output: String
        @Option(help: "Only learners of this cohort.") var cohort: String?
        @Option(help: "Only this stack (of the rows the rest choose).") var stack: String?
        @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?
        @Flag(name: .customLong("all-stacks"), help: "Every stack, not only each learner's goals.") var allStacks = false
        @Option(parsing: .unconditional, help: "Study hours a week for every learner (default: each learner's own pace).",
                transform: { try Field.pace($0) })
        var pace: Double?

        func run() throws {
            let day = try asOfDay(asOf)
            let store = try database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            let settings = try CohortRows.Settings(
                store: store, cohort: cohort, day: day, allStacks: allStacks, pace: pace, stalledAfter: Stall.defaultDays,
                shortMissing: false)
            // Ctrl-C stops the site between pages, each page whole (SiteReport), then ends as Ctrl-C does.
            Interruption.deferSignals()
            // One read transaction: every page from one state, and no writer waits for it.
            let learners = try store.read {
                try SiteReport(store: store, folder: output, settings: settings, stack: stack, solver: CBCSolver()).write().learners
            }
            note("wrote \(output)/index.html and \(learners) learner page\(learners == 1 ? "" : "s")")
        }
    }

    struct Expiring: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "expiring",
            abstract: "Held credentials that lapse within the coming days, soonest first; with --lapsed, those that already have.",
            discussion: """
                A credential renewed by a later award that lasts longer is not listed. --lapsed lists credentials \
                earned, expired by the as-of date and not renewed, that count toward some stack, most recent first.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(parsing: .unconditional, help: "How many days ahead to look (0 to 36,500).",
                transform: { try Field.days($0, "within") })
        var within: Int = 90
        @Flag(help: "List what has already lapsed instead.") var lapsed = false
        @Option(help: "With --lapsed: only lapses on or after this date.") var since: String?
        @Option(help: "Only learners of this cohort.") var cohort: String?
        @Option(name: .customLong("as-of"), help: "The date to look from (default: today).") var asOf: String?

        func validate() throws {
            if since != nil && !lapsed { throw ValidationError("--since goes with --lapsed") }
        }

        func run() throws {
            let day = try asOfDay(asOf)
            let from = try parseDay(since, "since")
            // Past 9999-12-31 nothing can lapse: the calendar's end is the limit.
            let until = day.adding(days: within) ?? Day.last
            let store = try database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            let rows = try Expirations.rows(store, try Portfolio(store, only: nil, fallback: CBCSolver()), cohort: cohort, on: day,
                                            until: until, lapsed: lapsed, since: from)
            var report = Report(columns: ["learner", "name", "cohort", "credential", "title", "earned_on",
                                          lapsed ? "expired_on" : "expires_on", lapsed ? "days_since" : "days_left"])
            for r in rows {
                let c = r.credential
                let days = lapsed ? r.expires.days(until: day) : day.days(until: r.expires)
                report.append([.text(r.learner.handle), .text(r.learner.name), .text(r.learner.cohort), .text(c.code),
                               .text(c.title), .day(r.earned), .day(r.expires), .integer(Int64(days))])
            }
            let empty = lapsed ? "nothing that counts toward a stack has lapsed by \(day)" + (from.map { " since \($0)" } ?? "")
                : "nothing held expires by \(until) (within \(within) days of \(day))"
            report.render(output.format, to: OutputSink.standardOutput(), emptyMessage: empty)
        }
    }
}
