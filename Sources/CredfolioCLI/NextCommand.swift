import ArgumentParser
import CredfolioCore
import CredfolioEngine
import CredfolioStore


struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "The cheapest way to finish a stack: the credentials to earn next, and whether it fits in six months.",
        discussion: """
            With a stack: the set of catalog credentials, not yet held, with the least total hours (or cost, \
            or weeks) whose addition completes it. Without one: every stack ranked by the least remaining \
            effort, to answer "which qualification am I closest to?". estimated_weeks is \
            ceil(total_hours / pace) with --pace, else the credentials' weeks taken one after another.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The learner's handle.") var learner: String
    @Argument(help: "The stack to finish (default: rank them all).") var stack: String?
    @Option(help: "What to minimise: hours, cost or weeks.") var by: Measure = .hours
    @Option(parsing: .unconditional, help: "Study hours per week (0.01 to 168), to estimate the weeks from the hours.",
            transform: { try Field.pace($0) })
    var pace: Double?
    @Option(name: .customLong("as-of"), help: "The date to plan from (default: today).") var asOf: String?
    @OptionGroup var output: FormatOptions

    func run() throws {
        let context = try LearnerPortfolio(database, learner: self.learner, stack: stack, asOf: asOf)
        let (day, learner, catalog) = (context.day, context.learner, context.catalog)
        let held = context.held()
        var results = try context.portfolio.stacks.map { stack in
            try PlanResult(stack: stack, progress: stack.evaluate(held, catalog: catalog),
                       plan: stack.plan(held: held, catalog: catalog, by: by), catalog: catalog, pace: pace)
        }
        // Completable first, least remaining effort first; on a tie, the
        // one further along first.
        results.sort {
            ($0.plan.completable ? 0 : 1, $0.plan.total, -$0.progress.value, $0.stack.definition.code)
                < ($1.plan.completable ? 0 : 1, $1.plan.total, -$1.progress.value, $1.stack.definition.code)
        }
        let out = OutputSink.standardOutput()
        switch output.format {
        case .json:
            let objects = results.map { $0.json(learner: learner.handle, by: by) }
            out.write((stack == nil ? JSONValue.array(objects) : objects[0]).serialized() + "\n")
        case .csv:
            var report = Report(columns: [
                "learner", "stack", "by", "completable", "credentials", "total_hours", "total_cost", "total_weeks",
                "estimated_weeks", "fits_six_months", "optimal",
            ])
            for r in results {
                report.append([
                    .text(learner.handle), .text(r.stack.definition.code), .text(by.rawValue), .bool(r.plan.completable),
                    .text(r.codes.joined(separator: ";")), .integer(r.totalHours),
                    .decimal(Money.format(cents: r.totalCents)), .integer(r.totalWeeks), .integer(r.estimatedWeeks),
                    .bool(r.fitsSixMonths), .bool(r.plan.optimal),
                ])
            }
            report.render(.csv, to: out)
        case .table:
            if results.isEmpty { out.write("no stacks: import some with credfolio import stacks FILE\n") }
            if stack == nil {
                var report = Report(columns: ["stack", "percent", "to earn", "hours", "cost", "weeks", "fits 6 months"])
                for r in results {
                    report.append([
                        .text(r.stack.definition.code), .decimal(ProgressFormatting.percent(r.progress.percent)),
                        .text(r.plan.completable ? (r.codes.isEmpty ? "(complete)" : r.codes.joined(separator: ", ")) : "cannot complete"),
                        .integer(r.plan.completable ? r.totalHours : nil),
                        .decimal(r.plan.completable ? Money.format(cents: r.totalCents) : nil),
                        .integer(r.estimatedWeeks), .text(r.plan.completable ? (r.fitsSixMonths ? "yes" : "no") : ""),
                    ])
                }
                out.write("\(learner.name) (\(learner.handle)), as of \(day): stacks by least remaining \(by.rawValue)\n\n")
                report.render(.table, to: out)
            } else if let r = results.first {
                r.writeTable(to: out, learner: learner, by: by, day: day)
            }
        }
    }
}

/// A plan with its totals, as every format shows it.
struct PlanResult {
    let stack: CompiledStack
    let progress: Evaluation
    let plan: Plan
    let credentials: [Credential]
    let pace: Double?

    let totalHours: Int64
    let totalCents: Int64
    let totalWeeks: Int64

    init(stack: CompiledStack, progress: Evaluation, plan: Plan, catalog: Catalog, pace: Double?) throws {
        self.stack = stack
        self.progress = progress
        self.plan = plan
        let credentials = plan.credentials.map { catalog[$0] }
        self.credentials = credentials
        self.pace = pace
        func sum(_ name: String, _ value: (Credential) -> Int64) throws -> Int64 {
            var total: Int64 = 0
            for c in credentials {
                guard let next = total.adding(checked: value(c)) else {
                    throw CredfolioError.invalid("stack \(stack.definition.code): the plan's total \(name) is too large to add up")
                }
                total = next
            }
            return total
        }
        totalHours = try sum("hours", \.hours)
        totalCents = try sum("cost", \.costCents)
        totalWeeks = try sum("weeks", \.weeks)
    }

    var codes: [String] { credentials.map(\.code) }

    /// ceil(hours / pace) with a pace, else the weeks one after another;
    /// nil when the stack cannot be completed.
    var estimatedWeeks: Int64? {
        guard plan.completable else { return nil }
        if let pace { return Int64(clampingUp: Double(totalHours) / pace - 1e-9) }
        return totalWeeks
    }

    var fitsSixMonths: Bool { estimatedWeeks.map { $0 <= 26 } ?? false }

    func json(learner: String, by: Measure) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("learner", .string(learner)), ("stack", .string(stack.definition.code)), ("by", .string(by.rawValue)),
            ("completable", .bool(plan.completable)),
            ("credentials", .array(credentials.map { c in
                .object([("code", .string(c.code)), ("title", .string(c.title)), ("hours", .integer(c.hours)),
                         ("cost", .number(Double(c.costCents) / 100)), ("weeks", .integer(c.weeks))])
            })),
            ("total_hours", .integer(totalHours)), ("total_cost", .number(Double(totalCents) / 100)),
            ("total_weeks", .integer(totalWeeks)), ("estimated_weeks", estimatedWeeks.map(JSONValue.integer) ?? .null),
            ("fits_six_months", .bool(fitsSixMonths)), ("optimal", .bool(plan.optimal)),
        ]
        if let reason = plan.reason { members.append(("reason", .string(reason))) }
        return .object(members)
    }

    func writeTable(to out: OutputSink, learner: Learner, by: Measure, day: Day) {
        let title = stack.definition.title.map { " (\($0))" } ?? ""
        out.write("\(learner.name) (\(learner.handle)) toward \(stack.definition.code)\(title), as of \(day)\n")
        out.write("now \(ProgressFormatting.percent(progress.percent))%; least \(by.rawValue) to finish:\n\n")
        guard plan.completable else {
            out.write("cannot be completed from the catalog: \(plan.reason ?? "no combination of credentials completes it")\n")
            return
        }
        if credentials.isEmpty {
            out.write("already complete: nothing left to earn\n")
            return
        }
        var report = Report(columns: ["code", "title", "hours", "cost", "weeks"])
        for c in credentials {
            report.append([.text(c.code), .text(c.title), .integer(c.hours), .decimal(Money.format(cents: c.costCents)), .integer(c.weeks)])
        }
        report.append([.text("total"), .text(""), .integer(totalHours), .decimal(Money.format(cents: totalCents)), .integer(totalWeeks)])
        report.render(.table, to: out)
        let how = pace.map { "at \(NumberText.plain($0)) hours a week" } ?? "one after another"
        let weeks = estimatedWeeks ?? 0
        out.write("\nabout \(weeks) week\(weeks == 1 ? "" : "s") \(how): "
                  + (fitsSixMonths ? "fits in six months" : "longer than six months (26 weeks)") + "\n")
        if !plan.optimal { out.write("note: the search stopped at its budget; a cheaper plan may exist\n") }
    }
}
