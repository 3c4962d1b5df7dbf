import CredfolioSQLite
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
    /// Every stored stack's code, compiled or not, in order: for suggestions.
    let stackCodes: [String]
    /// What it was compiled from: the catalog's credentials, and every stored stack by code.
    private let credentials: [Credential]
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
        catalog = Catalog(credentials)
        self.credentials = credentials
        var indexByID: [Int64: Int] = [:]
        for (i, c) in credentials.enumerated() { indexByID[c.id!] = i }
        self.indexByID = indexByID
        guard compile else {
            stacks = []
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
        stacks = try chosen.map { try CompiledStack($0, catalog: catalog, stacks: { byCode[$0] }, fallback: fallback) }
    }

    private init(copying other: Portfolio) throws {
        credentials = other.credentials
        definitions = other.definitions
        indexByID = other.indexByID
        stackCodes = other.stackCodes
        let catalog = Catalog(credentials)
        self.catalog = catalog
        let definitions = other.definitions
        stacks = try other.stacks.map {
            try CompiledStack($0.definition, catalog: catalog, stacks: { definitions[$0] }, fallback: $0.fallback)
        }
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

/// A learner with their awards, as a parallel command's chunks carry them
/// from the one thread that reads to the threads that render.
public struct LearnerAwards: Sendable {
    /// The learner's place in the reading, from 0: the same on every thread.
    public let serial: Int
    public let learner: Learner
    /// What decides holding.
    public let facts: [AwardFact]
    /// As a portfolio page lists them, when asked for.
    public let details: LearnerReader.AwardDetails?
    /// Badge verification, by award id, when asked for (a portfolio page shows it).
    public var verifications: [Int64: String] = [:]

    public init(serial: Int, learner: Learner, facts: [AwardFact], details: LearnerReader.AwardDetails?) {
        self.serial = serial
        self.learner = learner
        self.facts = facts
        self.details = details
    }
}

/// Reads learners and their awards in terms of a portfolio's catalog: the
/// one place the engine's facts come from the database.
public struct LearnerReader {
    let db: Database
    public let portfolio: Portfolio
    var catalog: Catalog { portfolio.catalog }
    var indexByID: [Int64: Int] { portfolio.indexByID }

    public init(_ store: Store, _ portfolio: Portfolio) {
        db = store.database
        self.portfolio = portfolio
    }

    /// One learner's awards, reduced to what decides holding.
    public func facts(of learner: Learner) throws -> [AwardFact] {
        try db.fetch(
            "SELECT credential_id, status, earned_on, expires_on FROM award WHERE learner_id = ?",
            [.integer(learner.id!)]
        ) { row in try fact(row, offset: 0) }
    }

    /// The day work started on each credential the learner has under way
    /// (an in-progress or planned award with a started-on date).
    public func startedOn(of learner: Learner) throws -> [Int: Day] {
        var started: [Int: Day] = [:]
        try db.cachedStatement(
            "SELECT credential_id, started_on FROM award WHERE learner_id = ? AND status IN ('in-progress', 'planned') AND started_on IS NOT NULL"
        ).forEachRow([.integer(learner.id!)]) { row in
            if let i = indexByID[row.int64(0)], let day = row.optionalDay(1) { started[i] = day }
        }
        return started
    }

    private func fact(_ row: Statement, offset: Int32) throws -> AwardFact {
        // The schema's CHECK allows exactly these four statuses, and their
        // first letters differ: no String per award row.
        let status: AwardStatus
        switch row.firstByte(offset + 1) {
        case UInt8(ascii: "e"): status = .earned
        case UInt8(ascii: "i"): status = .inProgress
        case UInt8(ascii: "r"): status = .revoked
        case UInt8(ascii: "p"): status = .planned
        default:
            throw CredfolioError(.database, "an award has the unknown status \(Field.quoted(row.string(offset + 1))); run credfolio doctor")
        }
        guard let credential = indexByID[row.int64(offset)] else {
            throw CredfolioError(
                .database, "an award refers to credential id \(row.int64(offset)), which does not exist; run credfolio doctor")
        }
        return AwardFact(credential: credential, status: status,
                         earnedOn: row.optionalDay(offset + 2), expiresOn: row.optionalDay(offset + 3))
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

    /// Calls `body` once per learner (of `cohort`, when given; with a handle
    /// from `from` on and before `before`, when given) in handle order, with
    /// their awards, streaming: one query, one learner in memory.
    public func forEachLearner(cohort: String? = nil, from: String? = nil, before: String? = nil,
                               _ body: (Learner, [AwardFact]) throws -> Void) throws {
        try forEachLearner(cohort: cohort, from: from, before: before, details: false) { learner, facts, _ in try body(learner, facts) }
    }

    /// The same; with `details`, each learner's awards also come as
    /// ``AwardDetails``, from the same rows.
    public func forEachLearner(cohort: String? = nil, from: String? = nil, before: String? = nil, details: Bool,
                               _ body: (Learner, [AwardFact], AwardDetails?) throws -> Void) throws {
        var clauses: [String] = [], values: [DatabaseValue] = []
        if let cohort { clauses.append("l.cohort = ?"); values.append(.text(cohort)) }
        if let from { clauses.append("l.handle >= ?"); values.append(.text(from)) }
        if let before { clauses.append("l.handle < ?"); values.append(.text(before)) }
        let sql = """
            SELECT l.id, l.handle, l.name, l.email, l.cohort, l.notes, l.created_on, l.pace,
                   a.credential_id, a.status, a.earned_on, a.expires_on\(details ? ", a.id, a.started_on, a.evidence_url, a.notes" : "")
            FROM learner l LEFT JOIN award a ON a.learner_id = l.id
            \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "))
            ORDER BY l.handle
            """
        var current: Learner?
        var facts: [AwardFact] = []
        // Each with its place in award list's order: the code's rank, the earned-on key, the id. The
        // catalog is read `ORDER BY code`, SQLite's byte order, so a credential's index is its code's rank.
        var records: [(order: (Int, Int64, Int64), record: AwardRecord)] = []
        var startedOn: [Int: Day] = [:]
        // Given what it works on, not capturing it: a local function that captures the variables the row
        // closure changes makes every access to them a check for exclusive access at run time.
        func finish(_ learner: Learner, _ facts: [AwardFact], _ records: inout [(order: (Int, Int64, Int64), record: AwardRecord)],
                    _ startedOn: [Int: Day]) throws {
            guard details else { return try body(learner, facts, nil) }
            records.sort { $0.order < $1.order }
            try body(learner, facts, AwardDetails(records: records.map(\.record), startedOn: startedOn))
        }
        try db.cachedStatement(sql).forEachRow(values) { row in
            let id = row.int64(0)
            if current?.id != id {
                if let current { try finish(current, facts, &records, startedOn) }
                current = try LearnerRepository.read(row)
                facts.removeAll(keepingCapacity: true)
                records.removeAll(keepingCapacity: true)
                startedOn.removeAll(keepingCapacity: true)
            }
            guard !row.isNull(8) else { return }
            let fact = try fact(row, offset: 8)
            facts.append(fact)
            guard details, let learner = current else { return }
            let started = row.optionalDay(13)
            if let started, fact.status == .inProgress || fact.status == .planned { startedOn[fact.credential] = started }
            let c = fact.credential, awardID = row.int64(12)
            // The credential's fields are read in place: a copy of it would retain each of its strings.
            let award = Award(id: awardID, learner: learner.handle, credential: catalog.codes[c], status: fact.status,
                              startedOn: started, earnedOn: fact.earnedOn, expiresOn: fact.expiresOn,
                              evidenceURL: row.optionalString(14), notes: row.string(15))
            let order = (c, fact.earnedOn.map { Int64($0.daysSinceEpoch) * 2 } ?? Self.unfinishedKey, awardID)
            records.append((order, AwardRecord(award: award, credentialTitle: catalog.credentials[c].title,
                                               validityMonths: catalog.validityMonths[c])))
        }
        if let current { try finish(current, facts, &records, startedOn) }
    }

    /// Reads the learners (of `cohort`, when given) with their awards, in
    /// handle order, and hands them to `body` in chunks of `size`: what
    /// a parallel command's one reader produces.
    public func forEachChunk(cohort: String?, details: Bool, size: Int, _ body: ([LearnerAwards]) throws -> Void) throws {
        var chunk: [LearnerAwards] = []
        chunk.reserveCapacity(size)
        var serial = 0
        try forEachLearner(cohort: cohort, details: details) { learner, facts, details in
            chunk.append(LearnerAwards(serial: serial, learner: learner, facts: facts, details: details))
            serial += 1
            if chunk.count == size {
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
