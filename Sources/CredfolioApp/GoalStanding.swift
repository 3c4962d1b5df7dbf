public import CredfolioCore
public import CredfolioEngine
public import CredfolioStore

/// Where a learner stands on one of their goals, by the rules of
/// `report cohort`'s goal columns (``CohortRows``): the same percent,
/// estimated finish and status.
public struct GoalStanding: Sendable, Equatable {
    public let stack: String
    public let target: Day?
    public let percent: Double
    public let finish: Day?
    public let status: GoalStatus
}

extension Store {
    /// The learner's goals, in stack code order, each with where the
    /// learner stands on `day`; the outlook planned by `solver`.
    public func goalStandings(of learner: Learner, on day: Day, solver: any MILPSolver) throws -> [GoalStanding] {
        let goals = try learners.goals(of: learner)
        guard !goals.isEmpty, let id = learner.id else { return [] }
        let portfolio = try Portfolio(self, fallback: solver)
        let entry = LearnerAwards(serial: 0, learner: learner, awards: try learners.awards(of: id).map(\.award), details: [])
        let settings = CohortRows.Settings(cohort: nil, day: day, goals: [id: goals], allStacks: false, pace: nil,
                                           stalledAfter: Stall.defaultDays, shortMissing: false)
        var standings: [GoalStanding] = []
        try CohortRows(portfolio: portfolio, settings: settings, solver: solver).forEach([entry]) { row, outlook, _ in
            standings.append(GoalStanding(stack: row.stack, target: outlook?.target ?? row.target, percent: row.percent,
                                          finish: outlook?.finish, status: outlook?.status ?? (row.complete ? .done : .unknown)))
        }
        return standings
    }
}
