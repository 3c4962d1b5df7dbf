public import CredfolioCore
import CredfolioEngine
public import CredfolioStore

/// The rows of `report expiring`: held credentials that lapse by a day,
/// soonest first; or, `lapsed`, those that counted toward some stack and
/// lapsed without being renewed, most recent first. The standing's rule
/// decides: a credential renewed by a later award that lasts longer is
/// not listed.
public struct Expirations {
    public struct Row: Sendable {
        public let learner: Learner
        public let credential: Credential
        public let earned: Day
        /// The day it lapses (or lapsed).
        public let expires: Day
    }

    public static func rows(_ store: Store, _ portfolio: Portfolio, cohort: String?, on day: Day, until: Day, lapsed: Bool,
                            since: Day?) throws -> [Row] {
        let catalog = portfolio.catalog
        let counting = portfolio.stacks.reduce(into: Set<Int>()) { $0.formUnion($1.counting(catalog)) }
        var rows: [(learner: Learner, credential: Int, earned: Day, expires: Day)] = []
        try LearnerReader(store, portfolio).forEachLearner(cohort: cohort) { learner, facts in
            let standing = Standing(facts, catalog: catalog, on: day)
            if lapsed {
                for (credential, lapse) in standing.lapsed where counting.contains(credential) && since.map({ lapse.expired >= $0 }) ?? true {
                    rows.append((learner, credential, lapse.earned, lapse.expired))
                }
            } else {
                for (credential, held) in standing.held {
                    if let expires = held.expires, expires <= until { rows.append((learner, credential, held.earned, expires)) }
                }
            }
        }
        func key(_ r: (learner: Learner, credential: Int, earned: Day, expires: Day)) -> (Int32, String, String) {
            (lapsed ? -r.expires.daysSinceEpoch : r.expires.daysSinceEpoch, r.learner.handle, catalog.codes[r.credential])
        }
        return rows.sorted { key($0) < key($1) }.map { Row(learner: $0.learner, credential: catalog[$0.credential], earned: $0.earned, expires: $0.expires) }
    }
}
