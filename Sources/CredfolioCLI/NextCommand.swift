import ArgumentParser
import CredfolioCBC
import CredfolioCore
import CredfolioSystem
import CredfolioEngine
import CredfolioApp
import CredfolioStore

struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "The cheapest way to finish a stack: the credentials to earn next, and whether it fits in six months.",
        discussion: """
            With a stack: the set of catalog credentials, not yet held, with the least total hours (or cost, \
            or weeks) whose addition completes it, found by COIN-OR CBC as a 0-1 program. Without one: every \
            stack ranked by the least remaining effort, to answer "which qualification am I closest to?". \
            estimated_weeks is ceil(total_hours / pace) with --pace, else the credentials' weeks taken one \
            after another. optimal is true only when the solver proved that no cheaper plan exists; otherwise \
            bound is the proven least total any plan can have.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The learner's handle.") var learner: String
    @Argument(help: "The stack to finish (default: rank them all).") var stack: String?
    @Option(help: "What to minimise: hours, cost or weeks.") var by: Measure = .hours
    @Option(parsing: .unconditional, help: "Study hours per week (0.01 to 168), to estimate the weeks from the hours.",
            transform: { try Field.pace($0) })
    var pace: Double?
    @Option(name: .customLong("max-cost"), parsing: .unconditional, help: "Spend at most this much (currency units).",
            transform: { try Field.cents($0, "max-cost") })
    var maxCost: Int64?
    @Option(name: .customLong("max-hours"), parsing: .unconditional, help: "Study at most this many hours.",
            transform: { try Field.wholeNumber($0, "max-hours", max: Int64(Limits.maxHours) * 1_000) })
    var maxHours: Int64?
    @Option(name: .customLong("within-weeks"), parsing: .unconditional,
            help: "Finish within this many weeks (with --pace: ceil(hours / pace); without: the weeks one after another).",
            transform: { try Field.wholeNumber($0, "within-weeks", max: Limits.maxWeeks * 100) })
    var withinWeeks: Int64?
    @Option(parsing: .upToNextOption, help: "Never suggest these credentials.") var exclude: [String] = []
    @Option(parsing: .upToNextOption, help: "Only suggest credentials delivered online, hybrid or in-person.")
    var delivery: [DeliveryFormat] = []
    @Option(name: .customLong("time-limit"), parsing: .unconditional,
            help: "Seconds the solver may search each stack (0.1 to 3,600; default 10).",
            transform: { try Field.seconds($0, "time-limit") })
    var timeLimit: Double = 10
    @Option(name: .customLong("write-model"), help: "Write the 0-1 program of the stack in CPLEX LP format to this file.",
            completion: .file())
    var writeModel: String?
    @Option(name: .customLong("as-of"), help: "The date to plan from (default: today).") var asOf: String?
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if writeModel != nil && stack == nil { throw ValidationError("--write-model needs a stack: one model per stack") }
    }

    func run() throws {
        let context = try LearnerPortfolio(database, learner: self.learner, stack: stack, asOf: asOf)
        let (day, learner, catalog) = (context.day, context.learner, context.catalog)
        let held = context.held()
        var options = PlanOptions(measure: by)
        options.pace = pace
        options.maxCostCents = maxCost
        options.maxHours = maxHours
        options.withinWeeks = withinWeeks
        options.excluded = Set(try context.portfolio.indices(exclude))
        options.formats = delivery.isEmpty ? nil : Set(delivery)
        options.timeLimit = timeLimit
        if let writeModel, let compiled = context.portfolio.stacks.first {
            let model = compiled.planningModel(held: held, catalog: catalog, options: options, withLimits: true)
            try writeOutput(to: writeModel) { $0.write(model.program.lpText) }
        }
        let marks = PlanMarks(context: context)
        let solver = CBCSolver()
        var results = try context.portfolio.stacks.map { stack in
            try PlanResult(stack: stack, progress: stack.evaluate(held, catalog: catalog),
                           plan: stack.plan(held: held, catalog: catalog, options: options, solver: solver),
                           catalog: catalog, pace: pace, measure: by, marks: marks)
        }
        // Completable first, least remaining effort first; on a tie, the
        // one further along first.
        func order(_ r: PlanResult) -> Int { r.plan.completable == true ? 0 : r.plan.completable == nil ? 1 : 2 }
        results.sort {
            (order($0), $0.plan.total, -$0.progress.value, $0.stack.definition.code)
                < (order($1), $1.plan.total, -$1.progress.value, $1.stack.definition.code)
        }
        let out = OutputSink.standardOutput()
        switch output.format {
        case .json:
            let objects = results.map { $0.json(learner: learner.handle, by: by) }
            out.write((stack == nil ? JSONValue.array(objects) : objects[0]).serialized() + "\n")
        case .csv:
            var report = Report(columns: [
                "learner", "stack", "by", "completable", "credentials", "total_hours", "total_cost", "total_weeks",
                "estimated_weeks", "fits_six_months", "optimal", "bound", "limits_met",
            ])
            for r in results {
                report.append([
                    .text(learner.handle), .text(r.stack.definition.code), .text(by.rawValue),
                    r.plan.completable.map(Cell.bool) ?? .text(nil),
                    .text(r.codes.joined(separator: ";")), .integer(r.totalHours),
                    .decimal(Money.format(cents: r.totalCents)), .integer(r.totalWeeks), .integer(r.estimatedWeeks),
                    .bool(r.fitsSixMonths), .bool(r.plan.optimal), r.boundCell, .bool(r.plan.limitsMet),
                ])
            }
            report.render(.csv, to: out)
        case .table:
            if results.isEmpty { out.write("no stacks: import some with credfolio import stacks FILE\n") }
            if stack == nil {
                var report = Report(columns: ["stack", "percent", "to earn", "hours", "cost", "weeks", "fits 6 months", "optimal"])
                for r in results {
                    let done = r.plan.completable == true
                    report.append([
                        .text(r.stack.definition.code), .decimal(ProgressFormatting.percent(r.progress.percent)),
                        .text(done ? (r.codes.isEmpty ? "(complete)" : r.labels.joined(separator: ", "))
                                : r.plan.completable == false ? "cannot complete" : "no plan within the time limit"),
                        .integer(done ? r.totalHours : nil),
                        .decimal(done ? Money.format(cents: r.totalCents) : nil),
                        .integer(r.estimatedWeeks), .text(done ? (r.fitsSixMonths ? "yes" : "no") : ""),
                        .text(done ? (r.plan.optimal ? "yes" : "not proven") : ""),
                    ])
                }
                out.write("\(learner.name) (\(learner.handle)), as of \(day): stacks by least remaining \(by.rawValue)\n\n")
                report.render(.table, to: out)
                if results.contains(where: { $0.plan.completable == true && !$0.plan.optimal }) {
                    out.write("\nnot proven: the solver's time limit ran out first; a cheaper plan may exist (see --time-limit)\n")
                }
            } else if let r = results.first {
                r.writeTable(to: out, learner: learner, by: by, day: day)
            }
        }
        try out.flush()
    }
}

/// Which credentials the learner has already started (an in-progress or
/// planned award), and which they once held but let lapse.
struct PlanMarks {
    var started: Set<Int> = []
    var lapsed: Set<Int> = []

    init(context: LearnerPortfolio) {
        for fact in context.facts {
            switch fact.status {
            case .inProgress, .planned:
                started.insert(fact.credential)
            case .earned:
                if let expiry = context.catalog.expiry(of: fact), expiry <= context.day { lapsed.insert(fact.credential) }
            case .revoked:
                break
            }
        }
        // Held again (renewed) is not lapsed.
        let held = context.held()
        lapsed = lapsed.filter { !held.contains($0) }
    }
}

/// A plan with its totals, as every format shows it.
struct PlanResult {
    let stack: CompiledStack
    let progress: Evaluation
    let plan: Plan
    let credentials: [Credential]
    let started: [Bool]
    let renewal: [Bool]
    let pace: Double?
    let measure: Measure
    let totalHours: Int64
    let totalCents: Int64
    let totalWeeks: Int64

    init(stack: CompiledStack, progress: Evaluation, plan: Plan, catalog: Catalog, pace: Double?, measure: Measure,
         marks: PlanMarks) throws {
        self.stack = stack
        self.measure = measure
        self.progress = progress
        self.plan = plan
        let credentials = plan.credentials.map { catalog[$0] }
        self.credentials = credentials
        started = plan.credentials.map(marks.started.contains)
        renewal = plan.credentials.map(marks.lapsed.contains)
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

    /// Codes with what the learner already has under way: `meta-react
    /// (started)`, `aws-ccp (renewal)`.
    var labels: [String] {
        credentials.indices.map { i in
            codes[i] + (started[i] ? " (started)" : "") + (renewal[i] ? " (renewal)" : "")
        }
    }

    /// ceil(hours / pace) with a pace, else the weeks one after another;
    /// nil unless a plan was found.
    var estimatedWeeks: Int64? {
        guard plan.completable == true else { return nil }
        return Schedule.weeks(hours: totalHours, weeks: totalWeeks, pace: pace)
    }

    var fitsSixMonths: Bool { estimatedWeeks.map(Schedule.fitsSixMonths) ?? false }

    /// The bound in the measure's own unit: cost in currency units.
    var boundCell: Cell {
        guard let bound = plan.bound else { return .integer(nil) }
        return measure == .cost ? .decimal(Money.format(cents: bound)) : .integer(bound)
    }

    func json(learner: String, by: Measure) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("learner", .string(learner)), ("stack", .string(stack.definition.code)), ("by", .string(by.rawValue)),
            ("completable", plan.completable.map(JSONValue.bool) ?? .null),
            ("credentials", .array(credentials.indices.map { i in
                let c = credentials[i]
                return .object([("code", .string(c.code)), ("title", .string(c.title)), ("hours", .integer(c.hours)),
                                ("cost", .number(Double(c.costCents) / 100)), ("weeks", .integer(c.weeks)),
                                ("format", .string(c.format.rawValue)), ("started", .bool(started[i])),
                                ("renewal", .bool(renewal[i]))])
            })),
            ("total_hours", .integer(totalHours)), ("total_cost", .number(Double(totalCents) / 100)),
            ("total_weeks", .integer(totalWeeks)), ("estimated_weeks", estimatedWeeks.map(JSONValue.integer) ?? .null),
            ("fits_six_months", .bool(fitsSixMonths)), ("optimal", .bool(plan.optimal)),
            ("bound", plan.bound.map { by == .cost ? JSONValue.number(Double($0) / 100) : .integer($0) } ?? .null),
            ("limits_met", .bool(plan.limitsMet)),
        ]
        if let reason = plan.reason { members.append(("reason", .string(reason))) }
        return .object(members)
    }

    func writeTable(to out: OutputSink, learner: Learner, by: Measure, day: Day) {
        let title = stack.definition.title.map { " (\($0))" } ?? ""
        out.write("\(learner.name) (\(learner.handle)) toward \(stack.definition.code)\(title), as of \(day)\n")
        out.write("now \(ProgressFormatting.percent(progress.percent))%; least \(by.rawValue) to finish:\n\n")
        switch plan.completable {
        case false?:
            out.write("cannot be completed from the catalog: \(plan.reason ?? "no combination of credentials completes it")\n")
            return
        case nil:
            out.write("no plan found: \(plan.reason ?? "the solver's time limit ran out") (see --time-limit)\n")
            return
        case true?:
            break
        }
        if !plan.limitsMet, let reason = plan.reason { out.write("note: \(reason)\n\n") }
        if credentials.isEmpty {
            out.write("already complete: nothing left to earn\n")
            return
        }
        var report = Report(columns: ["code", "title", "hours", "cost", "weeks", "note"])
        for (i, c) in credentials.enumerated() {
            let note = [started[i] ? "started" : nil, renewal[i] ? "renewal: held before, lapsed" : nil].compactMap { $0 }
            report.append([.text(c.code), .text(c.title), .integer(c.hours), .decimal(Money.format(cents: c.costCents)),
                           .integer(c.weeks), .text(note.joined(separator: "; "))])
        }
        report.append([.text("total"), .text(""), .integer(totalHours), .decimal(Money.format(cents: totalCents)),
                       .integer(totalWeeks), .text("")])
        report.render(.table, to: out)
        let how = pace.map { "at \(NumberText.plain($0)) hours a week" } ?? "one after another"
        let weeks = estimatedWeeks ?? 0
        out.write("\nabout \(weeks) week\(weeks == 1 ? "" : "s") \(how): "
                  + (fitsSixMonths ? "fits in six months" : "longer than six months (26 weeks)") + "\n")
        if plan.optimal {
            out.write("optimal: no plan has a smaller total \(by.rawValue)\n")
        } else {
            let bound = plan.bound.map { by == .cost ? Money.format(cents: $0) : String($0) } ?? "unknown"
            out.write("not proven optimal: the solver's time limit ran out first; no plan can total less than \(bound) (see --time-limit)\n")
        }
    }
}
