public import CredfolioCore

/// The credentials one can earn, numbered 0..<count so that the engine
/// works on integer indices and bit sets instead of strings. Immutable and
/// shared by reference.
public final class Catalog: Sendable {
    public let credentials: [Credential]
    public let index: [String: Int]
    /// For each skill code, the credentials that teach it (ascending index).
    public let teachers: [String: [Int]]
    /// Per index, the fields evaluation reads on every learner, unpacked so
    /// that the hot path never copies a whole ``Credential``.
    ///
    /// `hours` is what an hours requirement counts: a credential of unknown
    /// hours counts none toward it, as one without credits counts none
    /// toward a credits requirement (a requirement is met only by what is
    /// known). Plans say which credentials have unknown hours.
    public let hours: [Double]
    public let credits: [Double]
    public let creditUnits: [String?]
    public let codes: [String]
    public let validityMonths: [Int64?]
    /// Prerequisites the planner honours, by catalog index: each element is
    /// one route, the credentials all needed on it. A credential without an
    /// entry has none; one whose entry is empty has routes, none of which
    /// can be met (each names something not in the catalog).
    public let routes: [Int: [[Int]]]

    /// `routes` gives, by code, each credential's routes as the codes each
    /// needs, or nil for a route that names something not in the catalog
    /// (it can never be met). A credential with one route that needs
    /// nothing (text a person checks) has no prerequisite the plan can hold
    /// it to, so it gets no entry.
    public init(_ credentials: [Credential], routes named: [String: [[String]?]] = [:]) {
        self.credentials = credentials
        var index: [String: Int] = [:]
        var teachers: [String: [Int]] = [:]
        for (i, credential) in credentials.enumerated() {
            index[credential.code] = i
            for skill in credential.skills { teachers[skill, default: []].append(i) }
        }
        self.index = index
        self.teachers = teachers
        hours = credentials.map { Double($0.hours ?? 0) }
        credits = credentials.map { $0.credits ?? 0 }
        creditUnits = credentials.map(\.creditUnit)
        codes = credentials.map(\.code)
        validityMonths = credentials.map(\.validityMonths)
        var routes: [Int: [[Int]]] = [:]
        for (code, list) in named {
            guard let i = index[code] else { continue }
            let resolved = list.compactMap { route in route.flatMap { codes in
                codes.allSatisfy { index[$0] != nil } ? Array(Set(codes.map { index[$0]! })).sorted() : nil } }
            if resolved.contains(where: \.isEmpty) { continue }
            routes[i] = resolved
        }
        self.routes = routes
    }

    /// The credentials `i` needs directly or through their own routes,
    /// with `i`: every column a plan that may take `i` must have.
    public func withPrerequisites(_ start: some Sequence<Int>) -> Set<Int> {
        var found = Set(start)
        var pending = Array(found)
        while let i = pending.popLast() {
            for route in routes[i] ?? [] { for t in route where found.insert(t).inserted { pending.append(t) } }
        }
        return found
    }

    public var count: Int { credentials.count }

    public subscript(_ i: Int) -> Credential { credentials[i] }
}

/// A set of catalog indices, as bits.
public struct HeldSet: Equatable, Sendable {
    private var words: [UInt64]

    public init(capacity: Int) {
        words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    public init(capacity: Int, _ members: some Sequence<Int>) {
        self.init(capacity: capacity)
        for m in members { insert(m) }
    }

    public func contains(_ i: Int) -> Bool {
        words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    public mutating func insert(_ i: Int) {
        words[i >> 6] |= 1 << UInt64(i & 63)
    }

    public mutating func remove(_ i: Int) {
        words[i >> 6] &= ~(1 << UInt64(i & 63))
    }

    /// Members in ascending order.
    public var members: [Int] {
        var out: [Int] = []
        out.reserveCapacity(words.reduce(0) { $0 + $1.nonzeroBitCount })
        forEachMember { out.append($0) }
        return out
    }

    /// Calls `body` with each member in ascending order, without building an array of them.
    public func forEachMember(_ body: (Int) -> Void) {
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                body(w * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }
}

/// One award, reduced to what decides whether it is held.
public struct AwardFact: Equatable, Sendable {
    public var credential: Int
    public var status: AwardStatus
    public var earnedOn: Day?
    public var expiresOn: Day?

    public init(credential: Int, status: AwardStatus, earnedOn: Day?, expiresOn: Day?) {
        self.credential = credential
        self.status = status
        self.earnedOn = earnedOn
        self.expiresOn = expiresOn
    }

    /// Recorded as earned, on a day after `day`: planned, as of `day`.
    public func isEarned(after day: Day) -> Bool {
        status == .earned && earnedOn.map { $0 > day } ?? false
    }
}

extension Catalog {
    /// The day `fact` lapses: its own expiry, else earned-on plus validity.
    public func expiry(of fact: AwardFact) -> Day? {
        Expiry.of(explicit: fact.expiresOn, earnedOn: fact.earnedOn, validityMonths: validityMonths[fact.credential])
    }

    /// True when `fact` is held on `day`: earned, earned on or before the
    /// day, and the day is before its expiry.
    public func isHeld(_ fact: AwardFact, on day: Day) -> Bool {
        guard fact.status == .earned, let earned = fact.earnedOn, earned <= day else { return false }
        if let expires = expiry(of: fact), !(day < expires) { return false }
        return true
    }

    /// The latest earned date among the awards held on `day`: what a
    /// learner's "last earned" and a stall are measured from.
    public func lastEarned(_ facts: [AwardFact], on day: Day) -> Day? {
        var last: Day?
        for fact in facts where isHeld(fact, on: day) {
            if let earned = fact.earnedOn, last.map({ earned > $0 }) ?? true { last = earned }
        }
        return last
    }

    /// What a learner holds on `day`; with `projected`, their in-progress
    /// and planned awards count as earned that day; `assume` adds
    /// credentials as if earned that day (the what-if).
    public func holdings(_ facts: [AwardFact], on day: Day, projected: Bool = false, assume: [Int] = []) -> HeldSet {
        var held = HeldSet(capacity: count)
        for fact in facts {
            if isHeld(fact, on: day) {
                held.insert(fact.credential)
            } else if projected && (fact.status == .inProgress || fact.status == .planned || fact.isEarned(after: day)) {
                // The projection counts what is under way, and what is recorded as earned after the day
                // (planned, as of the day: award list's effective status).
                held.insert(fact.credential)
            }
        }
        for i in assume { held.insert(i) }
        return held
    }
}
