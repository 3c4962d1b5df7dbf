import ArgumentParser
import CredfolioCBC
import CredfolioCore
import CredfolioEngine
import CredfolioReports
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
            discussion: """
                last_earned_on is the learner's latest earned award; stalled is true when no award was earned in \
                the last --stalled-after days (the as-of date and the days before it) while the stack is incomplete. \
                Filters narrow the rows and the summary alike; --limit cuts the rows only.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only learners of this cohort.") var cohort: String?
        @Option(help: "Only this stack.") var stack: String?
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
            let portfolio = try Portfolio(store, only: stack, fallback: CBCSolver())
            let catalog = portfolio.catalog
            let cohortQuery = try query.query()
            let goals = try store.learners.goalsByLearner()
            let solver = CBCSolver()
            var rows: [CohortRow] = []
            var outlook: [Int: (target: Day?, finish: Day?, status: GoalStatus)] = [:]
            var histograms = [String: PercentHistogram]()
            var plans: [Int: [ProgressKey: Int64?]] = [:]
            try portfolio.forEachLearner(cohort: cohort) { learner, facts in
                let held = catalog.holdings(facts, on: day)
                let projected = catalog.holdings(facts, on: day, projected: true)
                let last = facts.filter { catalog.isHeld($0, on: day) }.compactMap(\.earnedOn).max()
                // A learner with goals is shown against them, unless --all-stacks or --stack.
                let learnerGoals = goals[learner.id!] ?? []
                let targets = Dictionary(learnerGoals.map { ($0.stack, $0.target) }, uniquingKeysWith: { a, _ in a })
                for (index, s) in portfolio.stacks.enumerated() {
                    if !allStacks && stack == nil && !learnerGoals.isEmpty && targets[s.definition.code] == nil { continue }
                    let p = s.progress(held: held, projected: projected, catalog: catalog)
                    let missing = p.missing(catalog: catalog)
                    let shownMissing = output.format == .table && missing.count > 3
                        ? missing.prefix(3).joined(separator: ";") + " (+\(missing.count - 3))" : missing.joined(separator: ";")
                    let row = CohortRow(handle: learner.handle, name: learner.name, cohort: learner.cohort, stack: p.code,
                                        percent: p.percent, projectedPercent: p.projectedPercent, complete: p.complete,
                                        missing: shownMissing, lastEarned: last,
                                        stalled: Stall.isStalled(lastEarned: last, complete: p.complete, on: day, after: query.stalledAfter))
                    guard cohortQuery.admits(row) else { continue }
                    histograms[row.stack, default: PercentHistogram()].add(row.percent, complete: row.complete)
                    if let target = targets[s.definition.code] {
                        // The least-hours plan, once per stack and distinct holdings.
                        var hours: Int64?
                        if !p.complete {
                            // The key decides the plan only when every requirement names its credentials.
                            let key = s.countsAnyCredential ? nil : s.progressKey(held: held.members, projected: projected.members, catalog: catalog)
                            if let key, let known = plans[index]?[key] {
                                hours = known
                            } else {
                                let plan = try s.plan(held: held, catalog: catalog, options: PlanOptions(measure: .hours), solver: solver)
                                hours = plan.completable == true ? plan.total : nil
                                if let key { plans[index, default: [:]][key] = .some(hours) }
                            }
                        }
                        let assessed = GoalStatus.assess(complete: p.complete, remainingHours: hours, pace: pace ?? learner.pace,
                                                         target: target, on: day)
                        outlook[rows.count] = (target, assessed.finish, assessed.status)
                    }
                    rows.append(row)
                }
            }
            var order = Array(rows.indices)
            order.sort { cohortQuery.precedes(rows[$0], rows[$1]) }
            if let limit = cohortQuery.limit, order.count > limit { order.removeLast(order.count - limit) }
            var report = Report(columns: [
                "learner", "name", "cohort", "stack", "percent", "projected_percent", "complete", "missing", "last_earned_on", "stalled",
                "target_date", "estimated_finish", "goal_status",
            ])
            for i in order {
                let r = rows[i], o = outlook[i]
                report.append([
                    .text(r.handle), .text(r.name), .text(r.cohort), .text(r.stack),
                    .decimal(ProgressFormatting.percent(r.percent)), .decimal(ProgressFormatting.percent(r.projectedPercent)),
                    .bool(r.complete), .text(r.missing), .day(r.lastEarned), .bool(r.stalled),
                    .day(o?.target ?? nil), .day(o?.finish ?? nil), .text(o?.status.rawValue),
                ])
            }
            var summary = Report(columns: ["stack", "learners", "complete", "median_percent"])
            for s in portfolio.stacks {
                let h = histograms[s.definition.code] ?? PercentHistogram()
                summary.append([.text(s.definition.code), .integer(Int64(h.total)), .integer(Int64(h.complete)),
                                .decimal(h.median.map(ProgressFormatting.percent))])
            }
            if order.isEmpty && cohortQuery.isFiltered { note("no learner and stack match the filters") }
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
            try out.flush()
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
            let portfolio = try Portfolio(store, only: nil, fallback: CBCSolver())
            let catalog = portfolio.catalog
            let counting = portfolio.stacks.reduce(into: Set<Int>()) { $0.formUnion($1.counting(catalog)) }
            var rows: [(learner: Learner, credential: Int, earned: Day, expires: Day)] = []
            try portfolio.forEachLearner(cohort: cohort) { learner, facts in
                let standing = Standing(facts, catalog: catalog, on: day)
                if lapsed {
                    for (credential, lapse) in standing.lapsed where counting.contains(credential) && from.map({ lapse.expired >= $0 }) ?? true {
                        rows.append((learner, credential, lapse.earned, lapse.expired))
                    }
                } else {
                    for (credential, held) in standing.held {
                        if let expires = held.expires, expires <= until { rows.append((learner, credential, held.earned, expires)) }
                    }
                }
            }
            func key(_ r: (learner: Learner, credential: Int, earned: Day, expires: Day)) -> (Int32, String, String) {
                (lapsed ? -r.expires.daysSinceEpoch : r.expires.daysSinceEpoch, r.learner.handle, catalog[r.credential].code)
            }
            rows.sort { key($0) < key($1) }
            var report = Report(columns: ["learner", "name", "cohort", "credential", "title", "earned_on",
                                          lapsed ? "expired_on" : "expires_on", lapsed ? "days_since" : "days_left"])
            for r in rows {
                let c = catalog[r.credential]
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
