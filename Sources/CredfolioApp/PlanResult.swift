public import CredfolioCore
public import CredfolioEngine

/// Which credentials the learner has already started (an in-progress or
/// planned award), and which they once held but let lapse.
public struct PlanMarks {
    public var started: Set<Int> = []
    public var lapsed: Set<Int> = []

    /// What the learner's standing says: what is under way, and what lapsed and was not renewed.
    public init(context: LearnerPortfolio) {
        started = Set(context.standing.underWay.keys)
        lapsed = Set(context.standing.lapsed.keys)
    }
}

/// A plan with its totals, as every format shows it.
public struct PlanResult {
    public let stack: CompiledStack
    public let progress: Evaluation
    public let plan: Plan
    public let credentials: [Credential]
    public let started: [Bool]
    public let renewal: [Bool]
    public let pace: Double?
    public let measure: Measure
    public let totalHours: Int64
    public let totalCents: Int64
    public let totalWeeks: Int64
    /// Per credential of the plan, the day it lapses when it is held now
    /// but lapses before the plan's finish (its renewal is in the plan:
    /// ``LapsesBeforeFinish``); nil otherwise.
    public let lapsesOn: [Day?]

    public init(stack: CompiledStack, progress: Evaluation, plan: Plan, catalog: Catalog, pace: Double?, measure: Measure,
         marks: PlanMarks, lapsing: [Int: Day] = [:]) throws {
        self.stack = stack
        self.measure = measure
        self.progress = progress
        self.plan = plan
        let credentials = plan.credentials.map { catalog[$0] }
        self.credentials = credentials
        started = plan.credentials.map(marks.started.contains)
        renewal = plan.credentials.map { marks.lapsed.contains($0) || lapsing[$0] != nil }
        lapsesOn = plan.credentials.map { lapsing[$0] }
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

    public var codes: [String] { credentials.map(\.code) }

    /// Codes with what the learner already has under way: `meta-react
    /// (started)`, `aws-ccp (renewal)`.
    public var labels: [String] {
        credentials.indices.map { i in
            codes[i] + (started[i] ? " (started)" : "") + (renewal[i] ? " (renewal)" : "")
        }
    }

    /// ceil(hours / pace) with a pace, else the weeks one after another;
    /// nil unless a plan was found.
    public var estimatedWeeks: Int64? {
        guard plan.completable == true else { return nil }
        return Schedule.weeks(hours: totalHours, weeks: totalWeeks, pace: pace)
    }

    public var fitsSixMonths: Bool { estimatedWeeks.map(Schedule.fitsSixMonths) ?? false }
}

extension PlanResult {
    /// `next`'s plans: one for each of the context's stacks, counting what
    /// lapses before each finish (``LapsesBeforeFinish``), completable
    /// first, then least remaining effort, then the one further along, then
    /// by code.
    public static func next(_ context: LearnerPortfolio, held: HeldSet, options: PlanOptions, measure: Measure,
                            solver: any MILPSolver) throws -> [PlanResult] {
        let catalog = context.catalog
        let marks = PlanMarks(context: context)
        let results = try context.portfolio.stacks.map { stack in
            let outcome = try LapsesBeforeFinish.plan(stack, held: held, facts: context.facts, catalog: catalog, on: context.day,
                                                      pace: options.pace, options: options, solver: solver)
            return try PlanResult(stack: stack, progress: stack.evaluate(held, catalog: catalog), plan: outcome.plan,
                                  catalog: catalog, pace: options.pace, measure: measure, marks: marks, lapsing: outcome.lapsing)
        }
        func order(_ r: PlanResult) -> Int { r.plan.completable == true ? 0 : r.plan.completable == nil ? 1 : 2 }
        return results.sorted {
            (order($0), $0.plan.total, -$0.progress.value, $0.stack.definition.code)
                < (order($1), $1.plan.total, -$1.progress.value, $1.stack.definition.code)
        }
    }
}
