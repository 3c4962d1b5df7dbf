import CredfolioSQLite
public import CredfolioCore

/// An award as a learner's stream reads it: what decides holding, and,
/// when asked for, what a page lists (else 0, nil and empty).
public struct StoredAward: Sendable {
    public let credentialID: Int64
    public let status: AwardStatus
    public let earnedOn: Day?
    public let expiresOn: Day?
    public let id: Int64
    public let startedOn: Day?
    public let evidenceURL: String?
    public let notes: String
}

extension LearnerRepository {
    /// Calls `body` once per learner (of `cohort`, when given) in handle
    /// order, with their awards: one query, one learner in memory. With
    /// `details`, each award carries its id, start, evidence and notes.
    public func forEachWithAwards(cohort: String?, details: Bool, _ body: (Learner, [StoredAward]) throws -> Void) throws {
        let sql = """
            SELECT l.id, l.handle, l.name, l.email, l.cohort, l.notes, l.created_on, l.pace,
                   a.credential_id, a.status, a.earned_on, a.expires_on\(details ? ", a.id, a.started_on, a.evidence_url, a.notes" : "")
            FROM learner l LEFT JOIN award a ON a.learner_id = l.id
            \(cohort == nil ? "" : "WHERE l.cohort = ?")
            ORDER BY l.handle
            """
        var current: Learner?
        var awards: [StoredAward] = []
        try db.cachedStatement(sql).forEachRow(cohort.map { [.text($0)] } ?? []) { row in
            let id = row.int64(0)
            if current?.id != id {
                if let current { try body(current, awards) }
                current = try Self.read(row)
                awards.removeAll(keepingCapacity: true)
            }
            guard !row.isNull(8) else { return }
            awards.append(try Self.award(row, offset: 8, details: details))
        }
        if let current { try body(current, awards) }
    }

    /// The awards of the learner with row id `learner`.
    public func awards(of learner: Int64, details: Bool) throws -> [StoredAward] {
        try db.fetch(
            "SELECT credential_id, status, earned_on, expires_on\(details ? ", id, started_on, evidence_url, notes" : "") FROM award WHERE learner_id = ?",
            [.integer(learner)]
        ) { row in try Self.award(row, offset: 0, details: details) }
    }

    private static func award(_ row: Statement, offset: Int32, details: Bool) throws -> StoredAward {
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
        return StoredAward(credentialID: row.int64(offset), status: status, earnedOn: row.optionalDay(offset + 2),
                           expiresOn: row.optionalDay(offset + 3), id: details ? row.int64(offset + 4) : 0,
                           startedOn: details ? row.optionalDay(offset + 5) : nil,
                           evidenceURL: details ? row.optionalString(offset + 6) : nil, notes: details ? row.string(offset + 7) : "")
    }
}
