public import CredfolioSQL
public import CredfolioCore

/// An award as listed: the record and the expiry derived for it.
public struct AwardRecord: Hashable, Sendable {
    public var award: Award
    public var credentialTitle: String
    public var validityMonths: Int64?

    public init(award: Award, credentialTitle: String, validityMonths: Int64?) {
        self.award = award
        self.credentialTitle = credentialTitle
        self.validityMonths = validityMonths
    }

    /// The day it lapses: explicit, or earned-on plus the credential's validity.
    public var expires: Day? { award.effectiveExpiry(validityMonths: validityMonths) }
}

/// Awards: what each learner has earned, is working on, or plans.
public struct AwardRepository {
    let db: any SQLConnection
    public init(_ db: any SQLConnection) { self.db = db }

    static let select = """
        SELECT a.id, l.handle, c.code, a.status, a.started_on, a.earned_on, a.expires_on, a.evidence_url, a.notes,
               c.title, c.validity_months
        FROM award a JOIN learner l ON l.id = a.learner_id JOIN credential c ON c.id = a.credential_id
        """

    static func read(_ row: any SQLRow) throws -> AwardRecord {
        guard let status = AwardStatus(rawValue: row.string(3)) else {
            throw CredfolioError(.database, "award \(row.int64(0)) has the unknown status \(Field.quoted(row.string(3))); run credfolio doctor")
        }
        let award = Award(
            id: row.int64(0), learner: row.string(1), credential: row.string(2),
            status: status, startedOn: row.optionalDay(4),
            earnedOn: row.optionalDay(5), expiresOn: row.optionalDay(6), evidenceURL: row.optionalString(7),
            notes: row.string(8))
        return AwardRecord(award: award, credentialTitle: row.string(9), validityMonths: row.optionalInt64(10))
    }

    /// Awards, filtered by any of learner, credential, status and cohort.
    public func list(learner: String? = nil, credential: String? = nil, status: AwardStatus? = nil,
                     cohort: String? = nil) throws -> [AwardRecord] {
        var clauses: [String] = [], values: [DatabaseValue] = []
        if let learner { clauses.append("l.handle = ?"); values.append(.text(learner)) }
        if let credential { clauses.append("c.code = ?"); values.append(.text(credential)) }
        if let status { clauses.append("a.status = ?"); values.append(.text(status.rawValue)) }
        if let cohort { clauses.append("l.cohort = ?"); values.append(.text(cohort)) }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return try db.fetch(
            Self.select + whereClause + " ORDER BY l.handle, c.code, coalesce(CAST(a.earned_on AS TEXT), '9999'), a.id", values,
            row: Self.read)
    }

    /// Every award matching the filters, streamed in learner, credential and
    /// earned-on order: one row in memory at a time. `since` and `until`
    /// bound the earned-on date (inclusive); an unfinished award has none.
    public func forEach(learner: String? = nil, credential: String? = nil, cohort: String? = nil,
                        since: Day? = nil, until: Day? = nil, _ body: (AwardRecord) throws -> Void) throws {
        var clauses: [String] = [], values: [DatabaseValue] = []
        if let learner { clauses.append("l.handle = ?"); values.append(.text(learner)) }
        if let credential { clauses.append("c.code = ?"); values.append(.text(credential)) }
        if let cohort { clauses.append("l.cohort = ?"); values.append(.text(cohort)) }
        if let since { clauses.append("a.earned_on >= ?"); values.append(.text(since.description)) }
        if let until { clauses.append("a.earned_on <= ?"); values.append(.text(until.description)) }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        try db.forEachRow(Self.select + whereClause + " ORDER BY l.handle, c.code, coalesce(CAST(a.earned_on AS TEXT), '9999'), a.id", values) {
            try body(try Self.read($0))
        }
    }

    public func get(id: Int64) throws -> AwardRecord {
        guard let record = try db.first(Self.select + " WHERE a.id = ?", [.integer(id)], Self.read) else {
            throw CredfolioError.notFound("no award \(id)")
        }
        return record
    }

    /// Records a new award. The learner and credential must exist; a second
    /// award with the same learner, credential and earned-on date (or a
    /// second unfinished one) is refused.
    @discardableResult
    public func add(_ award: Award) throws -> AwardRecord {
        let award = try award.validated()
        let learnerID = try LearnerRepository(db).get(award.learner).id!
        let credential = try CredentialRepository(db).get(award.credential)
        let credentialID = credential.id!
        if award.expiresOn == nil {
            try Expiry.check(earnedOn: award.earnedOn, validityMonths: credential.validityMonths,
                             what: "award of \(award.credential)")
        }
        let duplicate = try db.scalar(
            Int64.self,
            "SELECT id FROM award WHERE learner_id = ? AND credential_id = ? AND earned_on IS NOT DISTINCT FROM ?",
            learnerID, credentialID, award.earnedOn)
        if duplicate != nil {
            throw CredfolioError.conflict(
                award.earnedOn.map { "learner \(award.learner) already has \(award.credential) earned on \($0)" }
                    ?? "learner \(award.learner) already has an unfinished award of \(award.credential)")
        }
        let id = try db.scalar(
            Int64.self,
            """
            INSERT INTO award (learner_id, credential_id, status, started_on, earned_on, expires_on, evidence_url, notes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, learnerID, credentialID, award.status.rawValue, award.startedOn, award.earnedOn, award.expiresOn,
            award.evidenceURL, award.notes)
        return try get(id: id ?? 0)
    }

    /// Records an award as a person types it: an earned award of a
    /// credential the learner has in progress or planned finishes that
    /// award (it becomes the earned one, keeping its start and whatever
    /// `award` leaves out) instead of standing beside it. Returns the award
    /// recorded, and the unfinished award as it was, when one was finished.
    public func record(_ award: Award) throws -> (record: AwardRecord, finished: AwardRecord?) {
        try db.transaction {
            guard award.status == .earned, award.earnedOn != nil,
                  let open = try list(learner: award.learner, credential: award.credential)
                    .first(where: { $0.award.status == .inProgress || $0.award.status == .planned }) else {
                return (try add(award), nil)
            }
            var earned = open.award
            earned.status = .earned
            earned.earnedOn = award.earnedOn
            earned.expiresOn = award.expiresOn
            if let started = award.startedOn { earned.startedOn = started }
            if let evidence = award.evidenceURL { earned.evidenceURL = evidence }
            if !award.notes.isEmpty { earned.notes = award.notes }
            try update(earned)
            return (try get(id: open.award.id!), open)
        }
    }

    /// The one award of `credential` that `learner` holds (or, with
    /// `earnedOn`, the one earned that day). Throws when there is none, or
    /// when there are several and the date would tell them apart.
    public func locate(learner: String, credential: String, earnedOn: Day?, excluding: AwardStatus? = nil) throws -> AwardRecord {
        _ = try LearnerRepository(db).get(learner)
        _ = try CredentialRepository(db).get(credential)
        var matches = try list(learner: learner, credential: credential)
        if let excluding { matches.removeAll { $0.award.status == excluding } }
        if let earnedOn { matches.removeAll { $0.award.earnedOn != earnedOn } }
        guard !matches.isEmpty else {
            let when = earnedOn.map { " earned on \($0)" } ?? ""
            let what = excluding.map { " that is not \($0.rawValue)" } ?? ""
            throw CredfolioError.notFound("learner \(learner) has no award of \(credential)\(when)\(what)")
        }
        guard matches.count == 1 else {
            let dates = matches.map { $0.award.earnedOn?.description ?? "(not earned)" }.joined(separator: ", ")
            throw CredfolioError.invalid(
                "learner \(learner) has \(matches.count) awards of \(credential) (earned on \(dates)); give --earned DATE")
        }
        return matches[0]
    }

    /// Marks an award revoked: it stays on record but no longer counts.
    @discardableResult
    public func revoke(learner: String, credential: String, earnedOn: Day?) throws -> AwardRecord {
        let record = try locate(learner: learner, credential: credential, earnedOn: earnedOn, excluding: .revoked)
        try db.execute("UPDATE award SET status = 'revoked' WHERE id = ?", record.award.id)
        return try get(id: record.award.id!)
    }

    /// Changes an award's status, dates, evidence or notes.
    public func update(_ award: Award) throws {
        let award = try award.validated()
        guard let id = award.id else { throw CredfolioError.notFound("award has no id") }
        let current = try get(id: id)
        if award.expiresOn == nil {
            try Expiry.check(earnedOn: award.earnedOn, validityMonths: current.validityMonths,
                             what: "award of \(current.award.credential)")
        }
        let clash = try db.scalar(
            Int64.self,
            """
            SELECT a.id FROM award a JOIN learner l ON l.id = a.learner_id JOIN credential c ON c.id = a.credential_id
            WHERE l.handle = ? AND c.code = ? AND a.earned_on IS NOT DISTINCT FROM ? AND a.id <> ?
            """, current.award.learner, current.award.credential, award.earnedOn, id)
        if clash != nil {
            throw CredfolioError.conflict(
                "learner \(current.award.learner) already has another award of \(current.award.credential)"
                    + (award.earnedOn.map { " earned on \($0)" } ?? " that is unfinished"))
        }
        try db.execute(
            "UPDATE award SET status = ?, started_on = ?, earned_on = ?, expires_on = ?, evidence_url = ?, notes = ? WHERE id = ?",
            award.status.rawValue, award.startedOn, award.earnedOn, award.expiresOn, award.evidenceURL, award.notes, id)
    }

    /// Deletes an award from the record altogether.
    public func remove(learner: String, credential: String, earnedOn: Day?) throws -> AwardRecord {
        let record = try locate(learner: learner, credential: credential, earnedOn: earnedOn)
        try db.execute("DELETE FROM award WHERE id = ?", record.award.id)
        return record
    }
}
