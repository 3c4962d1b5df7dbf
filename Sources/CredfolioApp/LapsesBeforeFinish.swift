public import CredfolioCore
public import CredfolioEngine

/// The one rule for what lapses before a goal is finished, for a goal's
/// outlook (``CohortRows``) and for `next`: a credential the learner holds
/// now, that the stack counts, and whose every award lapses on or before
/// the day the plan would be finished, is not there at the finish. Its
/// renewal joins the plan, with its hours, and the finish moves; that may
/// bring more lapses into reach, so the plan is made again until none is
/// left. (Each round drops at least one credential: it ends.)
public enum LapsesBeforeFinish {
    /// A plan that counts the lapses before its finish.
    public struct Outcome: Sendable {
        public var plan: Plan
        /// The day the plan would be finished (nil: no plan, or no way to estimate it).
        public var finish: Day?
        /// What lapses on or before the finish, by catalog index, with the day it lapses.
        public var lapsing: [Int: Day]
    }

    /// The credentials held on `day` whose longest-lasting award lapses on
    /// or before `until`, with the day each lapses.
    public static func lapsing(_ facts: [AwardFact], catalog: Catalog, on day: Day, until: Day) -> [Int: Day] {
        var out: [Int: Day] = [:]
        for (credential, held) in Standing.held(facts, catalog: catalog, on: day) {
            if let expires = held.expires, expires <= until { out[credential] = expires }
        }
        return out
    }

    /// The day a plan of `credentials` would be finished from `day`: ceil(hours / pace) weeks at a pace,
    /// else the credentials' weeks one after another; nil when a total it needs is unknown.
    public static func finish(of credentials: [Int], catalog: Catalog, from day: Day, pace: Double?) -> Day? {
        let hours = Total(credentials.map { catalog[$0].hours })?.value
        let weeks = Total(credentials.map { catalog[$0].weeks })?.value
        guard let total = Schedule.weeks(hours: hours, weeks: weeks, pace: pace), total <= Int64(Limits.maxDays / 7) else { return nil }
        return day.adding(days: Int(total) * 7)
    }

    /// Plans `stack` from `held` (the learner's holdings on `day`, `facts` their awards), counting the lapses
    /// before the finish as the type says.
    public static func plan(_ stack: CompiledStack, held: HeldSet, facts: [AwardFact], catalog: Catalog, on day: Day, pace: Double?,
                            options: PlanOptions, solver: any MILPSolver) throws -> Outcome {
        let counting = stack.counting(catalog)
        var current = held
        var lapsing: [Int: Day] = [:]
        while true {
            let plan = try stack.plan(held: current, catalog: catalog, options: options, solver: solver)
            guard plan.completable == true, let finish = finish(of: plan.credentials, catalog: catalog, from: day, pace: pace) else {
                return Outcome(plan: plan, finish: nil, lapsing: lapsing)
            }
            let more = Self.lapsing(facts, catalog: catalog, on: day, until: finish).filter { current.contains($0.key) && counting.contains($0.key) }
            if more.isEmpty { return Outcome(plan: plan, finish: finish, lapsing: lapsing) }
            for (credential, expiry) in more {
                current.remove(credential)
                lapsing[credential] = expiry
            }
        }
    }

    /// "sec lapses 2026-12-10: renew", for each of `lapsing`, in code order.
    public static func words(_ lapsing: [Int: Day], catalog: Catalog) -> [String] {
        lapsing.sorted { catalog.codes[$0.key] < catalog.codes[$1.key] }.map { "\(catalog.codes[$0.key]) lapses \($0.value): renew" }
    }
}
