public import CredfolioCore
public import CredfolioEngine
public import CredfolioStore

/// The rows of `report cohort`, produced one learner at a time, as `export
/// progress` produces its own: each stack compiled once, each learner's
/// awards read once, and a row's fields computed once per distinct
/// progress key (the memo is bounded, so memory stays flat).
public final class CohortRows {
    /// Which learners and stacks the rows cover, and by which rules: plain
    /// values, so that a second thread can build rows of its own.
    public struct Settings: Sendable {
        public var cohort: String?
        public var day: Day
        /// Each learner's goals, by id; a learner with goals is shown
        /// against them only, unless `allStacks`.
        public var goals: [Int64: [LearnerGoal]]
        public var allStacks: Bool
        /// Study hours a week for everyone; nil: each learner's own.
        public var pace: Double?
        public var stalledAfter: Int
        /// For people: the first three missing items and a count of the rest.
        public var shortMissing: Bool
        /// Whether goal rows get their outlook (a plan each); `export progress` has no such columns.
        public var outlooks = true

        public init(cohort: String?, day: Day, goals: [Int64: [LearnerGoal]], allStacks: Bool, pace: Double?, stalledAfter: Int,
                    shortMissing: Bool) {
            self.cohort = cohort
            self.day = day
            self.goals = goals
            self.allStacks = allStacks
            self.pace = pace
            self.stalledAfter = stalledAfter
            self.shortMissing = shortMissing
        }

        /// The rows of a cohort in `store`: each learner against their goal
        /// stacks (every stack, for a learner without goals), or with
        /// `allStacks` every learner against every stack. A report narrowed
        /// to one stack narrows its portfolio (``Portfolio/init(_:only:fallback:)``),
        /// not these rules: `--stack` never switches from one to the other.
        public init(store: Store, cohort: String?, day: Day, allStacks: Bool, pace: Double?, stalledAfter: Int,
                    shortMissing: Bool) throws {
            self.init(cohort: cohort, day: day, goals: allStacks ? [:] : try store.learners.goalsByLearner(), allStacks: allStacks,
                      pace: pace, stalledAfter: stalledAfter, shortMissing: shortMissing)
        }
    }

    let portfolio: Portfolio
    public let settings: Settings
    /// Plans the goal rows' outlooks.
    let solver: any MILPSolver
    var cohort: String? { settings.cohort }
    var day: Day { settings.day }
    var goals: [Int64: [LearnerGoal]] { settings.goals }
    var allStacks: Bool { settings.allStacks }
    var pace: Double? { settings.pace }
    var stalledAfter: Int { settings.stalledAfter }
    var shortMissing: Bool { settings.shortMissing }

    /// What a goal row adds: the target, the estimated finish, the status.
    public struct Outlook: Sendable {
        public var target: Day?
        public var finish: Day?
        public var status: GoalStatus
        /// What the learner holds that lapses before the estimated finish, in words
        /// ("sec lapses 2026-12-10: renew"): its renewal is in the finish (``LapsesBeforeFinish``).
        public var lapses: [String] = []
    }

    /// The parts of a row that its progress key decides.
    struct Computed {
        let percent: Double
        let projected: Double
        let complete: Bool
        let missing: String
        let percentText: String
        let projectedText: String
        let requirementsMet: Int
        let requirementsTotal: Int
        /// The least-hours plan's total (nil: no plan), computed on demand.
        var hours: Int64??
        /// Where the memo keeps it, once kept.
        var slot: Int?
    }

    /// Where a row stands, for a renderer that keeps what it has already
    /// rendered: rows with the same `learner` share the learner's cells,
    /// rows with the same `slot` share every cell from `stack` to `missing`.
    public struct Place: Sendable {
        /// The learner's ``LearnerAwards/serial``: rows of one learner share it.
        public let learner: Int
        /// The memo's number for the row's progress key (below
        /// ``memoCapacity``), or nil when the row's key is not memoised.
        public let slot: Int?
        /// The stack's position in code order.
        public let stack: Int

        /// The same place without its slot: for a row handed to another
        /// thread, whose writer does not know this thread's memo.
        public var unslotted: Place { Place(learner: learner, slot: nil, stack: stack) }
    }

    /// Distinct progress keys remembered across all stacks (per thread, for
    /// `export progress`): a memo stops growing there (about 20 MiB), so
    /// memory stays bounded however many learners there are; the first keys
    /// met are usually the most common.
    public static let memoLimit = 80_000
    /// This value's own limit: two threads each keep half.
    public var memoCapacity = CohortRows.memoLimit
    /// What the rows remember, kept across calls (one a chunk of learners).
    private struct Memory {
        var memo: [ProgressKeyTable<Computed>] = []
        var remembered = 0
        /// What is missing, by stack and the key's current part (``ProgressKey/current``):
        /// it follows from what the learner holds now, so learners who differ
        /// only in what they have under way share it. Bounded at half of
        /// ``memoCapacity``: current parts are fewer than whole keys.
        var missingMemo: [ProgressKeyTable<String>] = []
        var missingRemembered = 0
        /// The progress a learner visitor worked out, by position in the portfolio's stacks.
        var worked: [StackProgress?] = []
    }
    private var memory = Memory()

    public init(portfolio: Portfolio, settings: Settings, solver: any MILPSolver) {
        self.portfolio = portfolio
        self.settings = settings
        self.solver = solver
    }

    /// What a learner holds, worked out once for their rows and handed to
    /// `forEach`'s learner visitor too (a page needs the same).
    public struct Holdings {
        /// What the learner holds on the day, and in projection.
        public let held: HeldSet, projected: HeldSet
        /// Each stack's progress key, by position in the portfolio's stacks;
        /// empty for a learner with goals (whose rows are goal stacks only).
        public let keys: [ProgressKey?]
    }

    /// Calls `body` for every row of `learners`, in their order, stacks in
    /// code order. `learner`, when given, is called with
    /// each learner, their awards (as facts, and as a page lists them,
    /// read in the same pass) and their holdings, before that learner's rows;
    /// what it puts in its last argument (empty, one place per position in
    /// the portfolio's stacks) is the progress it worked out from those
    /// holdings, which those rows then take instead of working it out again.
    public func forEach(_ learners: [LearnerAwards],
                        learner visit: (LearnerAwards, [AwardFact], LearnerReader.AwardDetails, Holdings, inout [StackProgress?]) throws -> Void,
                        _ body: (CohortRow, Outlook?, Place) throws -> Void) throws {
        try forEach(learners, visiting: true, learner: visit, body)
    }

    /// The same, with no learner visitor.
    public func forEach(_ learners: [LearnerAwards], _ body: (CohortRow, Outlook?, Place) throws -> Void) throws {
        try forEach(learners, visiting: false, learner: { _, _, _, _, _ in }, body)
    }

    /// Both closures are non-escaping (a visitor is not optional, `visiting`
    /// says whether there is one), so what a caller's closures share is
    /// checked for exclusive access when compiled, not at every access:
    /// an optional closure escapes, and the variables it captured with the
    /// row closure cost two runtime calls an access, millions a site.
    private func forEach(_ learners: [LearnerAwards], visiting: Bool,
                         learner visit: (LearnerAwards, [AwardFact], LearnerReader.AwardDetails, Holdings, inout [StackProgress?]) throws -> Void,
                         _ body: (CohortRow, Outlook?, Place) throws -> Void) throws {
        let catalog = portfolio.catalog
        let stacks = portfolio.stacks.sorted { $0.definition.code < $1.definition.code }
        // Row order (code order, as Swift compares) to the portfolio's order, for the keys handed to the visitor.
        let positions = stacks.map { stack in portfolio.stacks.firstIndex { $0 === stack } ?? 0 }
        let capacity = memoCapacity
        if memory.memo.count != stacks.count { memory.memo = Array(repeating: ProgressKeyTable<Computed>(), count: stacks.count) }
        if memory.missingMemo.count != stacks.count { memory.missingMemo = Array(repeating: ProgressKeyTable<String>(), count: stacks.count) }
        if visiting && memory.worked.count != portfolio.stacks.count { memory.worked = Array(repeating: nil, count: portfolio.stacks.count) }
        for entry in learners {
            let learner = entry.learner
            let facts = try portfolio.facts(entry.awards)
            let serial = entry.serial
            let held = portfolio.holdings(facts, on: day)
            let projected = portfolio.holdings(facts, on: day, projected: true)
            let heldMembers = held.members
            let projectedMembers = projected == held ? heldMembers : projected.members
            let learnerGoals = allStacks ? [] : goals[learner.id!] ?? []
            // For a visitor (a page), and a learner without goals (every stack has a row), the keys are
            // worked out here, once for the rows and the visitor; otherwise each row works out its own.
            let keys = visiting && learnerGoals.isEmpty
                ? portfolio.stacks.map { $0.progressKey(held: heldMembers, projected: projectedMembers, catalog: catalog) } : []
            if visiting {
                for i in memory.worked.indices where memory.worked[i] != nil { memory.worked[i] = nil }
                let details = portfolio.details(of: learner, entry.details, facts: facts)
                try visit(entry, facts, details, Holdings(held: held, projected: projected, keys: keys), &memory.worked)
            }
            let last = catalog.lastEarned(facts, on: day)
            // One row a learner, its stack's fields set for each stack: the learner's strings are retained
            // once, not once a row (a row built anew copied and destroyed seven strings).
            var row = CohortRow(handle: learner.handle, name: learner.name, cohort: learner.cohort, stack: "", percent: 0,
                                projectedPercent: 0, complete: false, missing: "", lastEarned: last, stalled: false,
                                percentText: "", projectedText: "")
            for (s, stack) in stacks.enumerated() {
                let goal = learnerGoals.first { $0.stack == stack.definition.code }
                guard Goals.shows(stack.definition.code, to: learnerGoals.lazy.map(\.stack)) else { continue }
                let key = keys.isEmpty ? stack.progressKey(held: heldMembers, projected: projectedMembers, catalog: catalog) : keys[positions[s]]
                var computed: Computed
                // Whether the memo should keep (again) what this row computed.
                var learned = false
                if let key, let known = memory.memo[s][key] {
                    computed = known
                } else {
                    learned = true
                    let p = (visiting ? memory.worked[positions[s]] : nil) ?? stack.progress(held: held, projected: projected, catalog: catalog)
                    let current = key?.current
                    let missing: String
                    if let current, let known = memory.missingMemo[s][current] {
                        missing = known
                    } else {
                        let items = p.missingText(catalog: catalog, separator: ";", limit: shortMissing ? 3 : .max)
                        missing = shortMissing && items.items > 3 ? items.text + " (+\(items.items - 3))" : items.text
                        if let current, memory.missingRemembered < capacity / 2 {
                            memory.missingMemo[s][current] = missing
                            memory.missingRemembered += 1
                        }
                    }
                    computed = Computed(
                        percent: p.percent, projected: p.projectedPercent, complete: p.complete,
                        missing: missing,
                        percentText: NumberText.fixed(p.percent, decimals: 1), projectedText: NumberText.fixed(p.projectedPercent, decimals: 1),
                        requirementsMet: p.requirementsMet, requirementsTotal: p.requirementsTotal, hours: nil, slot: nil)
                }
                var outlook: Outlook?
                if let goal, settings.outlooks {
                    if computed.hours == nil && !computed.complete {
                        let plan = try stack.plan(held: held, catalog: catalog, options: PlanOptions(measure: .hours), solver: solver)
                        computed.hours = .some(plan.knownTotal)
                        if !stack.countsAnyCredential { learned = true }
                    }
                    let pace = pace ?? learner.pace
                    var assessed = GoalStatus.assess(complete: computed.complete, remainingHours: computed.hours ?? nil,
                                                     pace: pace, target: goal.target, on: day)
                    var lapses: [String] = []
                    // What lapses before the finish is the learner's own, not the key's: planned again, not remembered.
                    if !computed.complete, let finish = assessed.finish,
                       !LapsesBeforeFinish.lapsing(facts, catalog: catalog, on: day, until: finish).isEmpty {
                        let outcome = try LapsesBeforeFinish.plan(stack, held: held, facts: facts, catalog: catalog, on: day, pace: pace,
                                                                  options: PlanOptions(measure: .hours), solver: solver)
                        if !outcome.lapsing.isEmpty {
                            assessed = GoalStatus.assess(complete: false, remainingHours: outcome.plan.knownTotal,
                                                         pace: pace, target: goal.target, on: day)
                            lapses = LapsesBeforeFinish.words(outcome.lapsing, catalog: catalog)
                        }
                    }
                    outlook = Outlook(target: goal.target, finish: assessed.finish, status: assessed.status, lapses: lapses)
                }
                // A plan depends on more than the key says when a requirement counts any credential.
                if learned, let key, computed.slot != nil || memory.remembered < capacity {
                    if computed.slot == nil {
                        computed.slot = memory.remembered
                        memory.remembered += 1
                    }
                    var kept = computed
                    if stack.countsAnyCredential { kept.hours = nil }
                    memory.memo[s][key] = kept
                }
                row.stack = stack.definition.code
                row.percent = computed.percent
                row.projectedPercent = computed.projected
                row.complete = computed.complete
                row.missing = computed.missing
                row.stalled = Stall.isStalled(lastEarned: last, complete: computed.complete, on: day, after: stalledAfter)
                row.target = goal?.target
                row.percentText = computed.percentText
                row.projectedText = computed.projectedText
                row.requirementsMet = computed.requirementsMet
                row.requirementsTotal = computed.requirementsTotal
                try body(row, outlook, Place(learner: serial, slot: computed.slot, stack: s))
            }
        }
    }
}

/// The rule of goal stacks: a learner with goals is shown against those
/// stacks only; a learner without goals, against every stack.
public enum Goals {
    public static func shows(_ stack: String, to goals: some Collection<String>) -> Bool {
        goals.isEmpty || goals.contains(stack)
    }
}
