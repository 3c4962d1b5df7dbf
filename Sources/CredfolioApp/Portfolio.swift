public import CredfolioStore
public import CredfolioCore
public import CredfolioEngine

/// The engine's inputs, read from the store: the catalog and the compiled
/// stacks. A plain value that threads may share; a worker thread takes its
/// ``ownCopy()``, so that the reference counts of the catalog and stacks it
/// uses at every row are its own and do not bounce between the cores.
/// Learners and their awards are read by ``LearnerReader``.
public struct Portfolio: Sendable {
    public let catalog: Catalog
    /// Catalog index by credential row id.
    let indexByID: [Int64: Int]
    public let stacks: [CompiledStack]
    /// Every stored stack that grants a credential of the catalog, with it:
    /// compiled whether or not it is among `stacks`, since holding what it
    /// grants can change any stack's progress (``holdings(_:on:projected:assume:)``).
    let grants: [(stack: CompiledStack, credential: Int)]
    /// Every stored stack's code, compiled or not, in order: for suggestions.
    let stackCodes: [String]
    /// What it was compiled from: the catalog's credentials, and every stored stack by code.
    private let credentials: [Credential]
    /// The prerequisites the planner holds plans to, by credential code.
    private let routes: [String: [[String]?]]
    private let definitions: [String: StackDefinition]

    /// Loads the catalog and compiles every stack (or only `stack`) once;
    /// none when `compile` is false.
    /// - Parameter fallback: solves an evaluation exactly where the
    ///   evaluator's search runs out of states.
    public init(_ store: Store, only stack: String? = nil, compile: Bool = true, fallback: (any MILPSolver)? = nil) throws {
        try self.init(store, only: stack, compile: compile, checkRanges: true, fallback: fallback)
    }

    /// `checkRanges` false is for `doctor`, which reports what is out of
    /// range instead of stopping at it.
    init(_ store: Store, only stack: String?, compile: Bool, checkRanges: Bool, fallback: (any MILPSolver)? = nil) throws {
        let credentials = try store.credentials.list()
        // The engine adds up hours, costs and dates: a value out of its
        // documented range (written by hand into the file) stops here, by name.
        for credential in credentials where checkRanges {
            do {
                try credential.checkRanges()
            } catch {
                throw CredfolioError(
                    .database,
                    "credential \(credential.code) in \(store.path) holds a value out of range: \(error.message); "
                        + "correct it with credfolio credential edit (credfolio doctor lists every such value)")
            }
        }
        // The routes the planner holds plans to, by code: each route's codes, nil for one naming what the catalog lacks.
        let routesByID = try store.credentials.routesByCredential()
        routes = Dictionary(uniqueKeysWithValues: credentials.compactMap { c in routesByID[c.id!].map { (c.code, $0.map(\.plannedCodes)) } })
        catalog = Catalog(credentials, routes: routes)
        self.credentials = credentials
        var indexByID: [Int64: Int] = [:]
        for (i, c) in credentials.enumerated() { indexByID[c.id!] = i }
        self.indexByID = indexByID
        guard compile else {
            stacks = []
            grants = []
            stackCodes = []
            definitions = [:]
            return
        }
        let definitions = try store.stacks.list()
        stackCodes = definitions.map(\.code)
        var byCode: [String: StackDefinition] = [:]
        for d in definitions { byCode[d.code] = d }
        self.definitions = byCode
        let chosen: [StackDefinition]
        if let stack {
            guard let one = byCode[stack] else { throw Field.notFound("stack", stack, among: stackCodes) }
            chosen = [one]
        } else {
            chosen = definitions
        }
        let catalog = self.catalog
        let stacks = try chosen.map { try CompiledStack($0, catalog: catalog, stacks: { byCode[$0] }, fallback: fallback) }
        self.stacks = stacks
        grants = try Self.granting(definitions, compiled: stacks, catalog: catalog) { byCode[$0] }
    }

    /// The stacks that grant a credential of the catalog, compiled (reusing those in `compiled`).
    private static func granting(_ definitions: [StackDefinition], compiled: [CompiledStack], catalog: Catalog,
                                 stacks: @escaping (String) -> StackDefinition?) throws -> [(stack: CompiledStack, credential: Int)] {
        try definitions.compactMap { definition in
            guard let code = definition.grants, let credential = catalog.index[code] else { return nil }
            let stack = try compiled.first { $0.definition.code == definition.code }
                ?? CompiledStack(definition, catalog: catalog, stacks: stacks, fallback: nil)
            return (stack, credential)
        }
    }

    /// What a learner holds on `day`, as ``Catalog/holdings(_:on:projected:assume:)``
    /// gives it, and every credential granted by a stack those holdings
    /// complete: a completed stack counts as holding what it grants, for
    /// every other stack, for as long as it stays complete. Grants that
    /// complete further granting stacks are followed to the end (the import
    /// refuses cycles).
    public func holdings(_ facts: [AwardFact], on day: Day, projected: Bool = false, assume: [Int] = []) -> HeldSet {
        var held = catalog.holdings(facts, on: day, projected: projected, assume: assume)
        var pending = grants
        while let index = pending.firstIndex(where: { !held.contains($0.credential) && $0.stack.evaluate(held, catalog: catalog).complete }) {
            held.insert(pending[index].credential)
            pending.remove(at: index)
        }
        return held
    }

    private init(copying other: Portfolio) throws {
        credentials = other.credentials
        definitions = other.definitions
        indexByID = other.indexByID
        stackCodes = other.stackCodes
        routes = other.routes
        let catalog = Catalog(credentials, routes: routes)
        self.catalog = catalog
        let definitions = other.definitions
        let stacks = try other.stacks.map {
            try CompiledStack($0.definition, catalog: catalog, stacks: { definitions[$0] }, fallback: $0.fallback)
        }
        self.stacks = stacks
        grants = try Self.granting(other.grants.map(\.stack.definition), compiled: stacks, catalog: catalog) { definitions[$0] }
    }

    /// The same portfolio, compiled again: equal in every value, sharing no object with this one.
    public func ownCopy() throws -> Portfolio {
        try Portfolio(copying: self)
    }

    public func stack(_ code: String) throws -> CompiledStack {
        guard let stack = stacks.first(where: { $0.definition.code == code }) else {
            throw Field.notFound("stack", code, among: stackCodes)
        }
        return stack
    }

    /// Catalog indices for credential codes; throws on an unknown one.
    public func indices(_ codes: [String]) throws -> [Int] {
        try codes.map {
            guard let i = catalog.index[$0] else { throw Field.notFound("credential", $0, among: catalog.codes) }
            return i
        }
    }
}

/// A learner with their awards as the store keeps them, as a parallel
/// command's chunks carry them from the one thread that reads to the
/// threads that render (which make the engine's facts of them).
public struct LearnerAwards: Sendable {
    /// The learner's place in the reading, from 0: the same on every thread.
    public let serial: Int
    public let learner: Learner
    public let awards: [StoredAward]
    /// The awards' details, in the same order, when they were read (else empty).
    public let details: [StoredAwardDetails]
    /// Badge verification, by award id, when asked for (a portfolio page shows it).
    public var verifications: [Int64: String] = [:]

    public init(serial: Int, learner: Learner, awards: [StoredAward], details: [StoredAwardDetails]) {
        self.serial = serial
        self.learner = learner
        self.awards = awards
        self.details = details
    }
}

extension Portfolio {
    /// The engine's facts of a learner's awards.
    public func facts(_ awards: [StoredAward]) throws -> [AwardFact] {
        try awards.map { award in
            guard let credential = indexByID[award.credentialID] else {
                throw CredfolioError(
                    .database, "an award refers to credential id \(award.credentialID), which does not exist; run credfolio doctor")
            }
            return AwardFact(credential: credential, status: award.status, earnedOn: award.earnedOn, expiresOn: award.expiresOn)
        }
    }

    /// A learner's awards as a portfolio page lists them, from the awards'
    /// `details` and `facts`, in the same order.
    public func details(of learner: Learner, _ details: [StoredAwardDetails], facts: [AwardFact]) -> LearnerReader.AwardDetails {
        // Each with its place in award list's order: the code's rank, the earned-on key, the id. The
        // catalog is read `ORDER BY code`, SQLite's byte order, so a credential's index is its code's rank.
        var records: [(order: (Int, Int64, Int64), record: AwardRecord)] = []
        records.reserveCapacity(facts.count)
        var startedOn: [Int: Day] = [:]
        for (award, fact) in zip(details, facts) {
            let c = fact.credential
            if let started = award.startedOn, fact.status == .inProgress || fact.status == .planned { startedOn[c] = started }
            let record = Award(id: award.id, learner: learner.handle, credential: catalog.codes[c], status: fact.status,
                               startedOn: award.startedOn, earnedOn: fact.earnedOn, expiresOn: fact.expiresOn,
                               evidenceURL: award.evidenceURL, notes: award.notes)
            let order = (c, fact.earnedOn.map { Int64($0.daysSinceEpoch) * 2 } ?? LearnerReader.unfinishedKey, award.id)
            records.append((order, AwardRecord(award: record, credentialTitle: catalog.credentials[c].title,
                                               validityMonths: catalog.validityMonths[c])))
        }
        records.sort { $0.order < $1.order }
        return LearnerReader.AwardDetails(records: records.map(\.record), startedOn: startedOn)
    }
}

/// Reads learners and their awards in terms of a portfolio's catalog: the
/// one place the engine's facts are made from what the store keeps.
public struct LearnerReader {
    let learners: LearnerRepository
    public let portfolio: Portfolio
    var catalog: Catalog { portfolio.catalog }

    public init(_ store: Store, _ portfolio: Portfolio) {
        learners = store.learners
        self.portfolio = portfolio
    }

    /// One learner's awards, reduced to what decides holding.
    public func facts(of learner: Learner) throws -> [AwardFact] {
        try portfolio.facts(learners.awards(of: learner.id!).map(\.award))
    }

    /// The day work started on each credential the learner has under way
    /// (an in-progress or planned award with a started-on date).
    public func startedOn(of learner: Learner) throws -> [Int: Day] {
        let awards = try learners.awards(of: learner.id!)
        return portfolio.details(of: learner, awards.map(\.details), facts: try portfolio.facts(awards.map(\.award))).startedOn
    }

    /// A learner's awards as a portfolio page lists them, read in the same
    /// pass as their facts instead of by a query of their own.
    public struct AwardDetails: Sendable {
        /// What ``AwardRepository/list(learner:credential:status:cohort:)``
        /// returns for the learner, in its order: by credential code, then
        /// earned-on date (unfinished last), then id.
        public var records: [AwardRecord]
        /// What ``startedOn(of:)`` returns for the learner.
        public var startedOn: [Int: Day]
    }

    /// Calls `body` once per learner (of `cohort`, when given) in handle
    /// order, with their awards, streaming: one query, one learner in memory.
    public func forEachLearner(cohort: String? = nil, _ body: (Learner, [AwardFact]) throws -> Void) throws {
        try forEachLearner(cohort: cohort, details: false) { learner, facts, _ in try body(learner, facts) }
    }

    /// The same; with `details`, each learner's awards also come as
    /// ``AwardDetails``, from the same rows.
    public func forEachLearner(cohort: String? = nil, details: Bool,
                               _ body: (Learner, [AwardFact], AwardDetails?) throws -> Void) throws {
        try learners.forEachWithAwards(cohort: cohort, details: details) { learner, awards, more in
            let facts = try portfolio.facts(awards)
            try body(learner, facts, details ? portfolio.details(of: learner, more, facts: facts) : nil)
        }
    }

    /// Reads the learners (of `cohort`, when given) with their awards, in
    /// handle order, and hands them to `body` in chunks of `size`: what
    /// a parallel command's one reader produces. The awards come as the
    /// store keeps them: the threads that render make the facts of them.
    /// Told how many learners there are (`total`), it cuts the last two
    /// chunks' worth in quarters, so that no thread waits long for another's
    /// last chunk.
    public func forEachChunk(cohort: String?, details: Bool, size: Int, total: Int? = nil,
                             _ body: ([LearnerAwards]) throws -> Void) throws {
        let size = max(1, size)
        var chunk: [LearnerAwards] = []
        var serial = 0
        try learners.forEachWithAwards(cohort: cohort, details: details) { learner, awards, more in
            chunk.append(LearnerAwards(serial: serial, learner: learner, awards: awards, details: more))
            serial += 1
            let nearTheEnd = total.map { $0 - serial < 2 * size } ?? false
            if chunk.count >= (nearTheEnd ? max(1, size / 4) : size) {
                try body(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try body(chunk) }
    }

    /// Where an award not yet earned sorts among earned-on dates (twice the
    /// day number): as `ifnull(earned_on, '9999')` compares as text, after
    /// every date before the year 9999 and before any date in it.
    static let unfinishedKey = Int64(Day(year: 9999, month: 1, day: 1)!.daysSinceEpoch) * 2 - 1
}
