import ArgumentParser
import CredfolioCBC
import CredfolioCore
import CredfolioEngine
import CredfolioStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports for coaches: a cohort's progress, and credentials about to lapse.",
        subcommands: [Cohort.self, Expiring.self])
}

extension ReportCommand {
    struct Cohort: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cohort",
            abstract: "One row per learner and stack, closest to done first, with a summary per stack.",
            discussion: "last_earned_on is the learner's latest earned award: an old date marks a learner who has stalled.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only learners of this cohort.") var cohort: String?
        @Option(help: "Only this stack.") var stack: String?
        @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?

        struct Row {
            let learner: Learner
            let progress: StackProgress
            let missing: [String]
            let lastEarned: Day?
        }

        func run() throws {
            let day = try asOfDay(asOf)
            let store = try database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            let portfolio = try Portfolio(store, only: stack, fallback: CBCSolver())
            let catalog = portfolio.catalog
            var rows: [Row] = []
            try portfolio.forEachLearner(cohort: cohort) { learner, facts in
                let held = catalog.holdings(facts, on: day)
                let projected = catalog.holdings(facts, on: day, projected: true)
                let last = facts.filter { catalog.isHeld($0, on: day) }.compactMap(\.earnedOn).max()
                for s in portfolio.stacks {
                    let p = s.progress(held: held, projected: projected, catalog: catalog)
                    rows.append(Row(learner: learner, progress: p, missing: p.missing(catalog: catalog), lastEarned: last))
                }
            }
            rows.sort {
                ($0.progress.percent, $0.progress.projectedPercent) != ($1.progress.percent, $1.progress.projectedPercent)
                    ? ($0.progress.percent, $0.progress.projectedPercent) > ($1.progress.percent, $1.progress.projectedPercent)
                    : ($0.learner.handle, $0.progress.code) < ($1.learner.handle, $1.progress.code)
            }
            var report = Report(columns: [
                "learner", "name", "cohort", "stack", "percent", "projected_percent", "complete", "missing", "last_earned_on",
            ])
            for r in rows {
                // People get the first few missing items; programs get them all.
                let missing = output.format == .table && r.missing.count > 3
                    ? r.missing.prefix(3).joined(separator: ";") + " (+\(r.missing.count - 3))"
                    : r.missing.joined(separator: ";")
                report.append([
                    .text(r.learner.handle), .text(r.learner.name), .text(r.learner.cohort), .text(r.progress.code),
                    .decimal(ProgressFormatting.percent(r.progress.percent)),
                    .decimal(ProgressFormatting.percent(r.progress.projectedPercent)), .bool(r.progress.complete),
                    .text(missing), .day(r.lastEarned),
                ])
            }
            var summary = Report(columns: ["stack", "learners", "complete", "median_percent"])
            for s in portfolio.stacks {
                let percents = rows.filter { $0.progress.code == s.definition.code }.map(\.progress.percent).sorted()
                let median: Double? = percents.isEmpty ? nil
                    : percents.count % 2 == 1 ? percents[percents.count / 2]
                    : (percents[percents.count / 2 - 1] + percents[percents.count / 2]) / 2
                summary.append([
                    .text(s.definition.code), .integer(Int64(percents.count)),
                    .integer(Int64(rows.filter { $0.progress.code == s.definition.code && $0.progress.complete }.count)),
                    .decimal(median.map(ProgressFormatting.percent)),
                ])
            }
            let out = OutputSink.standardOutput()
            switch output.format {
            case .csv: report.render(.csv, to: out)
            case .json:
                out.write(JSONValue.object([
                    ("as_of", .string(day.description)), ("cohort", .optional(cohort)),
                    ("rows", .array(report.jsonObjects())), ("summary", .array(summary.jsonObjects())),
                ]).serialized() + "\n")
            case .table:
                out.write("cohort \(cohort ?? "(all learners)"), as of \(day)\n\n")
                report.render(.table, to: out, emptyMessage: "no learners or no stacks")
                out.write("\n")
                summary.render(.table, to: out)
            }
        }
    }

    struct Expiring: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "expiring",
            abstract: "Held credentials that lapse within the coming days, soonest first, so nothing lapses unnoticed.",
            discussion: "A credential renewed by a later award that lasts longer is not listed.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(parsing: .unconditional, help: "How many days ahead to look (0 to 36,500).",
                transform: { try Field.days($0, "within") })
        var within: Int = 90
        @Option(help: "Only learners of this cohort.") var cohort: String?
        @Option(name: .customLong("as-of"), help: "The date to look from (default: today).") var asOf: String?

        func run() throws {
            let day = try asOfDay(asOf)
            // Past 9999-12-31 nothing can lapse: the calendar's end is the limit.
            let until = day.adding(days: within) ?? Day.last
            let store = try database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            let portfolio = try Portfolio(store, only: nil, fallback: CBCSolver())
            let catalog = portfolio.catalog
            var rows: [(learner: Learner, credential: Int, earned: Day, expires: Day)] = []
            try portfolio.forEachLearner(cohort: cohort) { learner, facts in
                // For each credential, the held award that lasts longest decides.
                var lasting: [Int: (earned: Day, expires: Day?)] = [:]
                for fact in facts where catalog.isHeld(fact, on: day) {
                    let expires = catalog.expiry(of: fact)
                    if let known = lasting[fact.credential] {
                        if known.expires == nil { continue }
                        if expires == nil || expires! > known.expires! { lasting[fact.credential] = (fact.earnedOn!, expires) }
                    } else {
                        lasting[fact.credential] = (fact.earnedOn!, expires)
                    }
                }
                for (credential, held) in lasting {
                    if let expires = held.expires, expires <= until {
                        rows.append((learner, credential, held.earned, expires))
                    }
                }
            }
            rows.sort { ($0.expires, $0.learner.handle, catalog[$0.credential].code) < ($1.expires, $1.learner.handle, catalog[$1.credential].code) }
            var report = Report(columns: ["learner", "name", "cohort", "credential", "title", "earned_on", "expires_on", "days_left"])
            for r in rows {
                let c = catalog[r.credential]
                report.append([.text(r.learner.handle), .text(r.learner.name), .text(r.learner.cohort), .text(c.code),
                               .text(c.title), .day(r.earned), .day(r.expires), .integer(Int64(day.days(until: r.expires)))])
            }
            report.render(output.format, to: OutputSink.standardOutput(),
                          emptyMessage: "nothing held expires by \(until) (within \(within) days of \(day))")
        }
    }
}
