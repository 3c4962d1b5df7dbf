public import CredfolioCore
public import CredfolioEngine

/// What an award is on a given day, whatever was stored: the rule every
/// list and report shows as `effective_status`.
public enum EffectiveStatus: String, CaseIterable, Sendable {
    case earned, expired, revoked
    case inProgress = "in-progress"
    case planned

    /// On `day`: a revoked award is revoked; an unfinished one is what it
    /// says; an earned one is `earned` from its earned-on date until the day
    /// before it lapses, `expired` from the day it lapses on (the same rule
    /// as holding, ``Catalog/isHeld(_:on:)``), and `planned` before it was earned.
    public init(status: AwardStatus, earnedOn: Day?, expiry: Day?, on day: Day) {
        switch status {
        case .revoked: self = .revoked
        case .inProgress: self = .inProgress
        case .planned: self = .planned
        case .earned:
            guard let earnedOn, earnedOn <= day else { self = .planned; return }
            if let expiry, !(day < expiry) { self = .expired } else { self = .earned }
        }
    }
}

/// What a learner's record says of each credential on a day: held, lapsed
/// (held once, not renewed), or under way. One home for the "longest-lasting
/// award decides" rule.
public struct Standing: Sendable {
    public struct Held: Sendable, Equatable {
        public var earned: Day
        /// nil: it never lapses.
        public var expires: Day?
    }

    public struct Lapse: Sendable, Equatable {
        public var earned: Day
        public var expired: Day
    }

    /// Per catalog index, the held award that lasts longest.
    public private(set) var held: [Int: Held] = [:]
    /// Per catalog index, the latest lapse of a credential earned before and
    /// expired by the day, with no award of it held now.
    public private(set) var lapsed: [Int: Lapse] = [:]
    /// Per catalog index, the day work started (nil when not given):
    /// in-progress or planned awards of credentials not held, and awards
    /// recorded as earned after the day (planned, as of the day).
    public private(set) var underWay: [Int: Day?] = [:]
    /// Per catalog index, the day an award recorded as earned after the
    /// standing's day says it will be earned.
    public private(set) var earnedLater: [Int: Day] = [:]
    /// The day the standing is of.
    public let day: Day

    public init(_ facts: [AwardFact], catalog: Catalog, on day: Day, startedOn: [Int: Day] = [:]) {
        self.day = day
        held = Self.held(facts, catalog: catalog, on: day)
        for fact in facts where fact.status == .earned && held[fact.credential] == nil {
            guard let earned = fact.earnedOn, earned <= day, let expiry = catalog.expiry(of: fact), expiry <= day else { continue }
            if lapsed[fact.credential].map({ expiry > $0.expired }) ?? true {
                lapsed[fact.credential] = Lapse(earned: earned, expired: expiry)
            }
        }
        for fact in facts where (fact.status == .inProgress || fact.status == .planned) && held[fact.credential] == nil {
            underWay[fact.credential] = startedOn[fact.credential]
        }
        // Earned after the day: planned as of the day (award list says so too), the earliest such award.
        for fact in facts where fact.status == .earned && held[fact.credential] == nil {
            guard let earned = fact.earnedOn, earned > day, earnedLater[fact.credential].map({ earned < $0 }) ?? true else { continue }
            earnedLater[fact.credential] = earned
            if underWay[fact.credential] == nil { underWay[fact.credential] = .some(nil) }
        }
    }

    /// Per catalog index, the award held on `day` that lasts longest: the
    /// rule of ``held``, for one who needs only that.
    public static func held(_ facts: [AwardFact], catalog: Catalog, on day: Day) -> [Int: Held] {
        // Room for every award at once: grown one insert at a time, the table is allocated again about
        // three times a learner (callgrind, report html at 20,000 learners: 51 M instructions, 0.6%).
        var held = [Int: Held](minimumCapacity: facts.count)
        for fact in facts where catalog.isHeld(fact, on: day) {
            guard let earned = fact.earnedOn else { continue }
            let candidate = Held(earned: earned, expires: catalog.expiry(of: fact))
            if let known = held[fact.credential] {
                // The award that lasts longest decides.
                if let current = known.expires, candidate.expires.map({ $0 > current }) ?? true { held[fact.credential] = candidate }
            } else {
                held[fact.credential] = candidate
            }
        }
        return held
    }

    /// How a leaf of credential `i`, not met now, could be met by what the
    /// learner already did: `expired 2026-09-15: renew` or
    /// `in progress since 2026-10-01`; nil otherwise.
    public func mark(_ i: Int) -> String? {
        var text = ""
        return writeMark(i, to: &text) ? text : nil
    }

    /// Whether credential `i` has a ``mark(_:)``.
    public func hasMark(_ i: Int) -> Bool {
        lapsed[i] != nil || underWay[i] != nil
    }

    /// Writes ``mark(_:)``'s text to `out` in pieces (a page escapes them as
    /// it writes); false, with nothing written, when `i` has no mark.
    @discardableResult
    public func writeMark(_ i: Int, to out: inout some TextOutputStream) -> Bool {
        if let lapse = lapsed[i] {
            out.write("expired ")
            out.write(lapse.expired.description)
            out.write(": renew")
            return true
        }
        guard let started = underWay[i] else { return false }
        if let earned = earnedLater[i], started == nil {
            out.write("to be earned ")
            out.write(earned.description)
        } else if let started, started > day {
            // Work that starts after the day is not in progress on it.
            out.write("planned, from ")
            out.write(started.description)
        } else if let started {
            out.write("in progress since ")
            out.write(started.description)
        } else {
            out.write("in progress")
        }
        return true
    }
}

extension CompiledStack {
    /// Every catalog credential whose holding can change this stack's value.
    public func counting(_ catalog: Catalog) -> Set<Int> {
        var out = Set(relevant)
        for node in nodes {
            switch node.kind {
            case .hours(_, nil):
                out.formUnion((0..<catalog.count).filter { catalog.hours[$0] > 0 })
            case .credits(_, let unit, nil):
                out.formUnion((0..<catalog.count).filter { catalog.creditUnits[$0] == unit && catalog.credits[$0] > 0 })
            default:
                break
            }
        }
        return out
    }
}
