import CredfolioBadges
public import CredfolioCore
#if canImport(Glibc)
import Glibc
#endif

/// What one imported credential became.
public struct BadgeImportRow: Sendable {
    public var file: String
    public var format: String
    public var credential: String
    public var title: String
    public var earnedOn: Day?
    /// `new`, `updated` or `unchanged`.
    public var outcome: String
    public var verification: String
    /// `match`, `forced` or `not checked`.
    public var recipient: String
}

/// Imports badge files for one learner, in one transaction: a refused file
/// stores nothing from the whole command.
public struct BadgeImporter {
    let store: Store
    public var linked: [JSONValue] = []
    /// Check recipients against this address instead of the learner's.
    public var recipient: String?
    /// Accept a badge whose recipient does not match (a bad signature is
    /// refused whatever this says).
    public var force = false
    /// The import's moment, for `imported_at`.
    public var importedAt: String

    public init(store: Store, importedAt: String) {
        self.store = store
        self.importedAt = importedAt
    }

    public func run(learner handle: String, files: [(name: String, bytes: [UInt8])]) throws -> [BadgeImportRow] {
        let db = store.database
        let learner = try store.learners.get(handle)
        let addresses = try recipient.map { [$0] } ?? store.learners.emails(of: learner)
        let reader = BadgeReader(linked: linked)
        return try db.transaction {
            var rows: [BadgeImportRow] = []
            for file in files {
                let badges: [ImportedBadge]
                do {
                    badges = try reader.read(file.bytes)
                } catch let error as CredfolioError {
                    throw CredfolioError.invalid("\(file.name): \(error.message)")
                }
                for badge in badges {
                    let recipient: String
                    switch badge.recipient.matches(addresses) {
                    case nil: recipient = "not checked"
                    case true?: recipient = "match"
                    case false?:
                        guard force else {
                            throw CredfolioError.invalid(
                                "\(file.name): the badge was issued to someone else: its recipient matches none of "
                                    + (addresses.isEmpty ? "the learner's email addresses (they have none)" : addresses.joined(separator: ", "))
                                    + "; add the address with credfolio learner email add, or import with --force")
                        }
                        recipient = "forced"
                    }
                    do {
                        rows.append(try store(badge, learner: learner, recipient: recipient, file: file.name))
                    } catch let error as CredfolioError {
                        throw CredfolioError.invalid("\(file.name): \(error.message)")
                    }
                }
            }
            return rows
        }
    }

    private func store(_ badge: ImportedBadge, learner: Learner, recipient: String, file: String) throws -> BadgeImportRow {
        let db = store.database
        let credential = try credential(for: badge)
        let sha = Fingerprint.sha256(badge.original)
        var award = Award(learner: learner.handle, credential: credential.code, status: badge.revoked ? .revoked : .earned,
                          earnedOn: badge.earnedOn, expiresOn: badge.expiresOn, evidenceURL: badge.evidenceURL)
        award = try award.validated()
        // The same assertion imported before (perhaps an older version), else
        // the same learner, credential and day.
        var existingID: Int64?
        if let assertion = badge.assertionID {
            existingID = try db.scalar(
                Int64.self,
                """
                SELECT a.id FROM badge_source s JOIN award a ON a.id = s.award_id
                WHERE s.assertion_id = ? AND a.learner_id = ? ORDER BY s.id DESC LIMIT 1
                """, assertion, learner.id!)
        }
        if existingID == nil {
            existingID = try db.scalar(
                Int64.self, "SELECT id FROM award WHERE learner_id = ? AND credential_id = ? AND ifnull(earned_on, '') = ?",
                learner.id!, credential.id!, badge.earnedOn?.description ?? "")
        }
        var outcome = "new"
        let awardID: Int64
        if let existingID {
            awardID = existingID
            if try db.scalar(Int.self, "SELECT count(*) FROM badge_source WHERE award_id = ? AND sha256 = ?", awardID, sha) ?? 0 > 0 {
                return BadgeImportRow(file: file, format: badge.format, credential: credential.code, title: credential.title,
                                      earnedOn: badge.earnedOn, outcome: "unchanged", verification: badge.verification,
                                      recipient: recipient)
            }
            var updated = try store.awards.get(id: awardID).award
            updated.status = award.status
            updated.earnedOn = award.earnedOn
            updated.expiresOn = award.expiresOn
            updated.evidenceURL = award.evidenceURL ?? updated.evidenceURL
            try store.awards.update(updated)
            outcome = "updated"
        } else {
            awardID = try store.awards.add(award).award.id!
        }
        try db.execute(
            """
            INSERT INTO badge_source (award_id, format, sha256, imported_at, verification, recipient, assertion_id, original)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, awardID, badge.format, sha, importedAt, badge.verification, recipient, badge.assertionID,
            DatabaseValue.blob(badge.original))
        return BadgeImportRow(file: file, format: badge.format, credential: credential.code, title: credential.title,
                              earnedOn: badge.earnedOn, outcome: outcome, verification: badge.verification, recipient: recipient)
    }

    /// The catalog credential of the badge's achievement: found by its id,
    /// else created (with a code of its own, its alignments as skills).
    private func credential(for badge: ImportedBadge) throws -> Credential {
        let db = store.database
        if let id = badge.achievementID,
           let code = try db.scalar(String.self, "SELECT code FROM credential WHERE achievement_id = ?", id) {
            return try store.credentials.get(code)
        }
        var code = badge.code
        var n = 1
        while try store.credentials.find(code) != nil {
            n += 1
            code = String(badge.code.prefix(60)) + "-\(n)"
        }
        var skills: [String] = []
        for alignment in badge.alignments {
            let skillCode = BadgeReader.slug(alignment.code ?? alignment.name)
            if try store.skills.find(skillCode) == nil {
                try store.skills.add(Skill(code: skillCode, name: alignment.name, framework: alignment.framework,
                                           frameworkID: alignment.framework == nil ? nil : alignment.code))
            }
            skills.append(skillCode)
        }
        let kind: CredentialKind
        switch badge.achievementType?.lowercased() {
        case "certificate"?, "certificateofcompletion"?: kind = .certificate
        case "certification"?, "license"?: kind = .certification
        case "course"?: kind = .course
        default: kind = .badge
        }
        func text(_ value: String?, _ limit: Int) -> String? {
            guard let value, !value.isEmpty else { return nil }
            let clean = String(value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            return clean.utf8.count > limit ? String(clean.prefix(limit / 4)) : clean
        }
        var credential = Credential(
            code: code, title: text(badge.name, 1000) ?? code, issuer: text(badge.issuerName, 1000), kind: kind,
            credits: badge.credits.map { min($0, Limits.maxCredits) }, creditUnit: badge.credits == nil ? nil : "credits",
            url: text(badge.criteriaURL, 2000), skills: skills)
        credential = try store.credentials.add(credential)
        if let id = badge.achievementID {
            try db.execute("UPDATE credential SET achievement_id = ? WHERE id = ?", id, credential.id!)
        }
        return credential
    }
}

extension LearnerRepository {
    /// The learner's email and every other address they have.
    public func emails(of learner: Learner) throws -> [String] {
        var out = learner.email.map { [$0] } ?? []
        out += try db.fetch("SELECT address FROM learner_email WHERE learner_id = ? ORDER BY address", [.integer(learner.id!)]) {
            $0.string(0)
        }
        return out
    }

    /// The learner's addresses besides the main one, sorted.
    func otherEmails(_ id: Int64) throws -> [String] {
        try db.fetch("SELECT address FROM learner_email WHERE learner_id = ? ORDER BY address", [.integer(id)]) { $0.string(0) }
    }

    /// Replaces the learner's other addresses with `addresses`.
    func setOtherEmails(_ id: Int64, _ addresses: [String]) throws {
        try db.execute("DELETE FROM learner_email WHERE learner_id = ?", id)
        let insert = try db.cachedStatement("INSERT OR IGNORE INTO learner_email (learner_id, address) VALUES (?, ?)")
        for address in addresses { try insert.execute([.integer(id), .text(address)]) }
    }

    /// Adds an address the learner's badges may be issued to.
    public func addEmail(_ handle: String, _ address: String) throws {
        let learner = try get(handle)
        guard let address = try Field.email(address, "address") else { throw CredfolioError.invalid("address is empty") }
        if try emails(of: learner).contains(where: { $0.lowercased() == address.lowercased() }) {
            throw CredfolioError.conflict("learner \(handle) already has \(address)")
        }
        try db.execute("INSERT INTO learner_email (learner_id, address) VALUES (?, ?)", learner.id!, address)
    }

    public func removeEmail(_ handle: String, _ address: String) throws {
        let learner = try get(handle)
        try db.execute("DELETE FROM learner_email WHERE learner_id = ? AND address = ?", learner.id!, address)
        guard db.changes == 1 else { throw CredfolioError.notFound("learner \(handle) has no other address \(Field.quoted(address))") }
    }
}

/// The original of an imported badge, for `award show` and `export badge`.
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
        try db.cachedStatement("""
            SELECT b.award_id, b.verification FROM learner l
            JOIN award a ON a.learner_id = l.id JOIN badge_source b ON b.award_id = a.id
            WHERE l.handle = ? ORDER BY b.id
            """).forEachRow([.text(learner)]) { out[$0.int64(0)] = $0.string(1) }
        return out
    }

    /// The most recently imported original of an award; nil for an award typed by hand.
    public func source(of awardID: Int64) throws -> BadgeSource? {
        try db.cachedStatement(
            "SELECT format, sha256, imported_at, verification, recipient, original FROM badge_source WHERE award_id = ? ORDER BY id DESC LIMIT 1"
        ).first([.integer(awardID)]) { row in
            var original: [UInt8] = []
            if case .blob(let bytes) = row.value(5) { original = bytes }
            return BadgeSource(format: row.string(0), sha256: row.string(1), importedAt: row.string(2),
                               verification: row.string(3), recipient: row.string(4), original: original)
        }
    }
}

extension CredentialRepository {
    /// Ties a catalog credential to an Open Badges achievement id, so that
    /// badges of that achievement are imported as this credential.
    public func link(_ code: String, achievement: String) throws {
        let credential = try get(code)
        if let other = try db.scalar(String.self, "SELECT code FROM credential WHERE achievement_id = ? AND id <> ?", achievement, credential.id!) {
            throw CredfolioError.conflict("achievement \(achievement) is already linked to credential \(other)")
        }
        try db.execute("UPDATE credential SET achievement_id = ? WHERE id = ?", achievement, credential.id!)
    }
}
