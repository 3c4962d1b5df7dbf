import CredfolioSQL
public import CredfolioCore

public struct BadgeSource: Sendable {
    public var format: String
    public var sha256: String
    public var importedAt: String
    public var verification: String
    public var recipient: String
    public var original: [UInt8]
}

extension AwardRepository {
    /// Whether any award was imported from a badge: when none was, a page
    /// has no verification to show, and a site need not ask for each learner.
    public func anyVerifications() throws -> Bool {
        try db.scalar(Int.self, "SELECT EXISTS (SELECT 1 FROM badge_source)") == 1
    }

    /// The verification of each of `learner`'s awards imported from a badge
    /// (its latest import), by award id: one query for a page that lists
    /// them all, from the learner through the indexes (a site asks once a
    /// learner, so it must not scan every badge).
    public func verifications(learner: String) throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        try db.forEachRow("""
            SELECT b.award_id, b.verification FROM learner l
            JOIN award a ON a.learner_id = l.id JOIN badge_source b ON b.award_id = a.id
            WHERE l.handle = ? ORDER BY b.id
            """, [.text(learner)]) { out[$0.int64(0)] = $0.string(1) }
        return out
    }

    /// The most recently imported original of an award; nil for an award typed by hand.
    public func source(of awardID: Int64) throws -> BadgeSource? {
        try db.first(
            "SELECT format, sha256, imported_at, verification, recipient, original FROM badge_source WHERE award_id = ? ORDER BY id DESC LIMIT 1",
            [.integer(awardID)]
        ) { row in
            BadgeSource(format: row.string(0), sha256: row.string(1), importedAt: row.string(2),
                        verification: row.string(3), recipient: row.string(4), original: row.blob(5))
        }
    }

    /// The award a badge with this assertion id was last imported into for the learner (row id `learner`).
    /// The learner's award of `credential` imported from the assertion (or
    /// credential) `assertion`. An id that several credentials share names
    /// one award of each, never one award for all.
    public func awardID(assertion: String, learner: Int64, credential: Int64) throws -> Int64? {
        try db.scalar(
            Int64.self,
            """
            SELECT a.id FROM badge_source s JOIN award a ON a.id = s.award_id
            WHERE s.assertion_id = ? AND a.learner_id = ? AND a.credential_id = ? ORDER BY s.id DESC LIMIT 1
            """, assertion, learner, credential)
    }

    /// The learner's award of the credential earned on `earnedOn` (nil: the one not earned), by row ids.
    public func awardID(learner: Int64, credential: Int64, earnedOn: Day?) throws -> Int64? {
        try db.scalar(
            Int64.self, "SELECT id FROM award WHERE learner_id = ? AND credential_id = ? AND earned_on IS NOT DISTINCT FROM ?",
            learner, credential, earnedOn)
    }

    /// Whether the award already keeps an original with this SHA-256.
    public func hasSource(award: Int64, sha256: String) throws -> Bool {
        try db.scalar(Int.self, "SELECT count(*) FROM badge_source WHERE award_id = ? AND sha256 = ?", award, sha256) ?? 0 > 0
    }

    /// Keeps a badge's original file, and what was checked, beside the award it became.
    public func addSource(award: Int64, format: String, sha256: String, importedAt: String, verification: String,
                          recipient: String, assertionID: String?, original: [UInt8]) throws {
        try db.execute(
            """
            INSERT INTO badge_source (award_id, format, sha256, imported_at, verification, recipient, assertion_id, original)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, award, format, sha256, importedAt, verification, recipient, assertionID, DatabaseValue.blob(original))
    }
}
