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
    /// The plan's hours, cost and weeks: known parts and unknown counts.
    public let totalHours: Total
    public let totalCents: Total
    public let totalWeeks: Total
    /// Per credential of the plan, the day it lapses when it is held now
    /// but lapses before the plan's finish (its renewal is in the plan:
    /// ``LapsesBeforeFinish``); nil otherwise.
    public let lapsesOn: [Day?]
    /// Per credential of the plan, the code of another credential of the
    /// plan one of whose prerequisite routes needs it; nil otherwise.
    public let prerequisiteOf: [String?]

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
        prerequisiteOf = plan.credentials.map { i in
            plan.credentials.first { j in catalog.routes[j]?.contains { $0.contains(i) } == true }.map { catalog.codes[$0] }
        }
        self.pace = pace
        func sum(_ name: String, _ value: (Credential) -> Int64?) throws -> Total {
            guard let total = Total(credentials.map(value)) else {
                throw CredfolioError.invalid("stack \(stack.definition.code): the plan's total \(name) is too large to add up")
            }
            return total
        }
        totalHours = try sum("hours", \.hours)
        totalCents = try sum("cost", \.costCents)
        totalWeeks = try sum("weeks", \.weeks)
    }

    public var codes: [String] { credentials.map(\.code) }

    /// What a person should know of the plan's credential `i`, in words:
    /// `started`, `renewal: lapses 2026-12-10, before the finish`,
    /// `prerequisite of cert-x`; the table's and the page's note.
    public func note(_ i: Int) -> String {
        let renewalNote = lapsesOn[i].map { "renewal: lapses \($0), before the finish" } ?? "renewal: held before, lapsed"
        return [started[i] ? "started" : nil, renewal[i] ? renewalNote : nil, prerequisiteOf[i].map { "prerequisite of \($0)" }]
            .compactMap { $0 }.joined(separator: "; ")
    }

    /// Codes with what the learner already has under way: `meta-react
    /// (started)`, `aws-ccp (renewal)`.
    public var labels: [String] {
        credentials.indices.map { i in
            codes[i] + (started[i] ? " (started)" : "") + (renewal[i] ? " (renewal)" : "")
        }
    }

    /// ceil(hours / pace) with a pace, else the weeks one after another;
    /// nil unless a plan was found, and nil when a credential it needs
    /// has its hours (with a pace) or weeks (without) unknown.
    public var estimatedWeeks: Int64? {
        guard plan.completable == true else { return nil }
        return Schedule.weeks(hours: totalHours.value, weeks: totalWeeks.value, pace: pace)
    }

    /// Why ``estimatedWeeks`` is nil for a plan that was found: "1
    /// credential of unknown hours"; nil when it is known.
    public var unknownWeeksReason: String? {
        guard plan.completable == true, estimatedWeeks == nil else { return nil }
        return pace == nil ? totalWeeks.unknownWords("weeks") : totalHours.unknownWords("hours")
    }

    /// The total of the measure planned on, in words (``Total/words(_:unknown:)``).
    public func totalWords(_ measure: Measure) -> String {
        switch measure {
        case .hours: return totalHours.words({ "\($0) hours" }, unknown: "hours")
        case .cost: return totalCents.words({ Money.format(cents: $0) }, unknown: "cost")
        case .weeks: return totalWeeks.words({ "\($0) weeks" }, unknown: "weeks")
        }
    }

    public var fitsSixMonths: Bool { estimatedWeeks.map(Schedule.fitsSixMonths) ?? false }
}

extension PlanResult {
    /// `next`'s plans: one for each of the context's stacks, counting what
    /// lapses before each finish (``LapsesBeforeFinish``), completable
    /// first, then fewest credentials of unknown measure, then least remaining effort, then the one further along, then
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
            (order($0), $0.plan.unknown, $0.plan.total, -$0.progress.value, $0.stack.definition.code)
                < (order($1), $1.plan.unknown, $1.plan.total, -$1.progress.value, $1.stack.definition.code)
        }
    }
}
