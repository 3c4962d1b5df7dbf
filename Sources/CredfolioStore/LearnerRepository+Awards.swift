import CredfolioSQL
public import CredfolioCore

/// An award as a learner's stream reads it: what decides holding.
public struct StoredAward: Sendable {
    public let credentialID: Int64
    public let status: AwardStatus
    public let earnedOn: Day?
    public let expiresOn: Day?
}

/// The rest of an award, read when asked for: what a page lists.
public struct StoredAwardDetails: Sendable {
    public let id: Int64
    public let startedOn: Day?
    public let evidenceURL: String?
    public let notes: String
}

extension LearnerRepository {
    /// Calls `body` once per learner (of `cohort`, when given) in handle
    /// order, with their awards: one query, one learner in memory. With
    /// `details`, each award carries its id, start, evidence and notes.
    public func forEachWithAwards(cohort: String?, details: Bool,
                                  _ body: (Learner, [StoredAward], [StoredAwardDetails]) throws -> Void) throws {
        let sql = """
            SELECT l.id, l.handle, l.name, l.email, l.cohort, l.notes, l.created_on, l.pace,
                   a.credential_id, a.status, a.earned_on, a.expires_on\(details ? ", a.id, a.started_on, a.evidence_url, a.notes" : "")
            FROM learner l LEFT JOIN award a ON a.learner_id = l.id
            \(cohort == nil ? "" : "WHERE l.cohort = ?")
            ORDER BY l.handle
            """
        var current: Learner?
        var awards: [StoredAward] = []
        var more: [StoredAwardDetails] = []
        try db.forEachRow(sql, cohort.map { [.text($0)] } ?? []) { row in
            let id = row.int64(0)
            if current?.id != id {
                if let current { try body(current, awards, more) }
                current = try Self.read(row)
                awards.removeAll(keepingCapacity: true)
                more.removeAll(keepingCapacity: true)
            }
            guard !row.isNull(8) else { return }
            awards.append(try Self.award(row, offset: 8))
            if details { more.append(Self.details(row, offset: 12)) }
        }
        if let current { try body(current, awards, more) }
    }

    /// The awards of the learner with row id `learner`, with their details.
    public func awards(of learner: Int64) throws -> [(award: StoredAward, details: StoredAwardDetails)] {
        try db.fetch(
            "SELECT credential_id, status, earned_on, expires_on, id, started_on, evidence_url, notes FROM award WHERE learner_id = ?",
            [.integer(learner)]
        ) { row in (try Self.award(row, offset: 0), Self.details(row, offset: 4)) }
    }

    private static func details(_ row: any SQLRow, offset: Int32) -> StoredAwardDetails {
        StoredAwardDetails(id: row.int64(offset), startedOn: row.optionalDay(offset + 1), evidenceURL: row.optionalString(offset + 2),
                           notes: row.string(offset + 3))
    }

    private static func award(_ row: any SQLRow, offset: Int32) throws -> StoredAward {
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
                           expiresOn: row.optionalDay(offset + 3))
    }
}
