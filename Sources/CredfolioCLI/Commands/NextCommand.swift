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
            estimated_weeks is ceil(total_hours / pace) at the learner's own pace (learner edit --pace), or \
            --pace, which overrides it; with neither, the credentials' weeks taken one after another. The \
            output says which pace it used. optimal is true only when the solver proved that no cheaper plan exists; otherwise \
            bound is the proven least total any plan can have.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The learner's handle.") var learner: String
    @Argument(help: "The stack to finish (default: rank them all).") var stack: String?
    @Option(help: "What to minimise: hours, cost or weeks.") var by: Measure = .hours
    @Option(parsing: .unconditional, help: "Study hours per week (0.01 to 168), to estimate the weeks from the hours (default: the learner's pace).",
            transform: { try Field.pace($0) })
    var pace: Double?
    @Option(name: .customLong("max-cost"), parsing: .unconditional, help: "Spend at most this much (currency units).",
            transform: { try Field.cents($0, "max-cost") })
    var maxCost: Int64?
    @Option(name: .customLong("max-hours"), parsing: .unconditional, help: "Study at most this many hours.",
            transform: { try Field.wholeNumber($0, "max-hours", max: Int64(Limits.maxHours) * 1_000) })
    var maxHours: Int64?
    @Option(name: .customLong("within-weeks"), parsing: .unconditional,
            help: "Finish within this many weeks (with a pace: ceil(hours / pace); without: the weeks one after another).",
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

    /// Where the pace came from, in words: `--pace`, or the learner's own.
    var paceSource: String { pace != nil ? "--pace" : "the learner's pace" }

    func run() throws {
        let context = try LearnerPortfolio(database, learner: self.learner, stack: stack, asOf: asOf)
        let (day, learner, catalog) = (context.day, context.learner, context.catalog)
        let held = context.held()
        // The learner's own pace unless --pace overrides it: as report cohort and the portfolio estimate.
        let pace = self.pace ?? learner.pace
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
        let results = try PlanResult.next(context, held: held, options: options, measure: by, solver: CBCSolver())
        let out = OutputSink.standardOutput()
        switch output.format {
        case .json:
            let objects = results.map { $0.json(learner: learner.handle, by: by, paceSource: paceSource) }
            out.write((stack == nil ? JSONValue.array(objects) : objects[0]).serialized() + "\n")
        case .csv:
            var report = Report(columns: [
                "learner", "stack", "by", "completable", "credentials", "total_hours", "total_cost", "total_weeks",
                "estimated_weeks", "pace", "fits_six_months", "optimal", "bound", "limits_met",
                "unknown_hours", "unknown_cost", "unknown_weeks",
            ])
            for r in results {
                report.append([
                    .text(learner.handle), .text(r.stack.definition.code), .text(by.rawValue), r.plan.completable.map(Cell.bool) ?? .text(nil),
                    .text(r.codes.joined(separator: ";")), .known(r.totalHours.value), .knownCost(r.totalCents.value), .known(r.totalWeeks.value),
                    .integer(r.estimatedWeeks), .decimal(r.pace.map(NumberText.plain)), r.fitsCell, .bool(r.plan.optimal), r.boundCell,
                    .bool(r.plan.limitsMet)] + [r.totalHours, r.totalCents, r.totalWeeks].map { .integer(Int64($0.unknown)) })
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
                        .decimal(done ? r.totalHours.brief() : nil), .decimal(done ? r.totalCents.brief { Money.format(cents: $0) } : nil),
                        done && r.estimatedWeeks == nil ? .unknown : .integer(r.estimatedWeeks),
                        .text(done ? (r.unknownWeeksReason != nil ? "unknown" : r.fitsSixMonths ? "yes" : "no") : ""),
                        .text(done ? (r.plan.optimal ? "yes" : "not proven") : ""),
                    ])
                }
                out.write("\(learner.name) (\(learner.handle)), as of \(day): stacks by least remaining \(by.rawValue); "
                          + "weeks \(PlanResult.paceWords(pace, source: paceSource))\n\n")
                report.render(.table, to: out)
                if results.contains(where: { $0.plan.completable == true && !$0.plan.optimal }) {
                    out.write("\nnot proven: the solver's time limit ran out first; a cheaper plan may exist (see --time-limit)\n")
                }
            } else if let r = results.first {
                r.writeTable(to: out, learner: learner, by: by, day: day, paceSource: paceSource)
            }
        }
        try out.flush()
    }
}
