public import CredfolioCore
public import CredfolioEngine
public import CredfolioStore

/// What `progress`, `next` and `gap` start from: one learner, their awards,
/// and the catalog with the stacks compiled (all, or the one named).
public struct LearnerPortfolio {
    public let day: Day
    public let learner: Learner
    public let portfolio: Portfolio
    public let facts: [AwardFact]
    /// What the learner's record says of each credential: held, lapsed, under way.
    public let standing: Standing
    /// The learner's goal stacks.
    public let goals: [LearnerGoal]

    /// The learner `handle`, read from `store`.
    /// - Parameter solver: evaluates exactly where the evaluator's search runs out of states.
    public init(store: Store, learner handle: String, stack: String?, day: Day, solver: any MILPSolver) throws {
        let learner = try store.learners.get(handle)
        let portfolio = try Portfolio(store, only: stack, fallback: solver)
        let reader = LearnerReader(store, portfolio)
        try self.init(portfolio: portfolio, learner: learner, facts: try reader.facts(of: learner), day: day,
                      goals: try store.learners.goals(of: learner), startedOn: try reader.startedOn(of: learner))
    }

    /// The same for a learner already read, in a portfolio already compiled
    /// (the pages of a site, one learner after another, with the started-on
    /// dates read with the awards).
    public init(portfolio: Portfolio, learner: Learner, facts: [AwardFact], day: Day, goals: [LearnerGoal], startedOn: [Int: Day]) throws {
        self.day = day
        self.learner = learner
        self.portfolio = portfolio
        self.facts = facts
        standing = Standing(facts, catalog: portfolio.catalog, on: day, startedOn: startedOn)
        self.goals = goals
    }

    /// The stacks to show: the learner's goals when they have some (and no
    /// stack was named), else every stack compiled.
    public func shownStacks(allStacks: Bool) -> [CompiledStack] {
        shownStackPositions(allStacks: allStacks).map { portfolio.stacks[$0] }
    }

    /// The same stacks, as positions in the portfolio's stacks (code order).
    public func shownStackPositions(allStacks: Bool) -> [Int] {
        // A stack named on the command line (the one compiled) is shown whatever the goals.
        guard !allStacks, portfolio.stacks.count > 1 else { return Array(portfolio.stacks.indices) }
        let goalStacks = goals.map(\.stack)
        return portfolio.stacks.indices.filter { Goals.shows(portfolio.stacks[$0].definition.code, to: goalStacks) }
    }

    public var catalog: Catalog { portfolio.catalog }

    /// What the learner holds on the day; projected counts their unfinished
    /// awards; `assume` adds credentials as if earned that day.
    public func held(projected: Bool = false, assume: [Int] = []) -> HeldSet {
        portfolio.holdings(facts, on: day, projected: projected, assume: assume)
    }
}
