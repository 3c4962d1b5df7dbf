public import CredfolioStore
import CredfolioBadges
import CredfolioSystem
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
    /// Something the person importing should know (one line), if anything.
    public var note: String?
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

    /// The `--linked` documents (BadgeClass, Issuer, CryptographicKey), read and parsed; a syntax error names the file and place.
    public static func readLinked(_ paths: [String]) throws -> [JSONValue] {
        try paths.map { path in
            do {
                return try JSONParser.parse(try InputFile(path: path).readAll(limit: 16 << 20))
            } catch let error as JSONSyntaxError {
                throw CredfolioError.invalid("\(path):\(error.line):\(error.column): \(error.reason)")
            }
        }
    }

    public init(store: Store, importedAt: String) {
        self.store = store
        self.importedAt = importedAt
    }

    public func run(learner handle: String, files: [(name: String, bytes: [UInt8])]) throws -> [BadgeImportRow] {
        let learner = try store.learners.get(handle)
        let addresses = try recipient.map { [$0] } ?? store.learners.emails(of: learner)
        let reader = BadgeReader(linked: linked, trusted: try store.issuerKeys.byIssuer())
        return try store.transaction {
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
        let (credential, note) = try credential(for: badge)
        var row = try store(badge, credential: credential, learner: learner, recipient: recipient, file: file)
        row.note = note ?? badge.containerVerification.map { "\(file): the CLR's own signature or proof: \($0)" }
        return row
    }

    private func store(_ badge: ImportedBadge, credential: Credential, learner: Learner, recipient: String, file: String) throws
        -> BadgeImportRow {
        let sha = Fingerprint.sha256(badge.original)
        var award = Award(learner: learner.handle, credential: credential.code, status: badge.revoked ? .revoked : .earned,
                          earnedOn: badge.earnedOn, expiresOn: badge.expiresOn, evidenceURL: badge.evidenceURL)
        award = try award.validated()
        // The same assertion imported before (perhaps an older version), else
        // the same learner, credential and day.
        var existingID: Int64?
        if let assertion = badge.assertionID {
            existingID = try store.awards.awardID(assertion: assertion, learner: learner.id!, credential: credential.id!)
        }
        if existingID == nil {
            existingID = try store.awards.awardID(learner: learner.id!, credential: credential.id!, earnedOn: badge.earnedOn)
        }
        var outcome = "new"
        let awardID: Int64
        if let existingID {
            awardID = existingID
            if try store.awards.hasSource(award: awardID, sha256: sha) {
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
        try store.awards.addSource(award: awardID, format: badge.format, sha256: sha, importedAt: importedAt,
                                   verification: badge.verification, recipient: recipient, assertionID: badge.assertionID,
                                   original: badge.original)
        return BadgeImportRow(file: file, format: badge.format, credential: credential.code, title: credential.title,
                              earnedOn: badge.earnedOn, outcome: outcome, verification: badge.verification, recipient: recipient)
    }

    /// The catalog credential of the badge's achievement: found by its id,
    /// else created (with a code of its own, its alignments as skills).
    ///
    /// Achievements that share one id but have different names (some
    /// issuers reuse an id) are different achievements: the first keeps the
    /// id, each other is kept under the id qualified by its name
    /// (`ID#name=NAME`), and the note says so. Nothing is merged or lost.
    private func credential(for badge: ImportedBadge) throws -> (Credential, note: String?) {
        guard let id = badge.achievementID else { return (try create(badge, achievement: nil), nil) }
        if let code = try store.credentials.code(achievement: id) {
            let known = try store.credentials.get(code)
            let name = badge.name
            guard !name.isEmpty, name != known.title else { return (known, nil) }
            let qualified = id + "#name=" + name
            let note = "achievement \(id) is named both \(Field.quoted(known.title)) and \(Field.quoted(name)): kept as two credentials"
            if let other = try store.credentials.code(achievement: qualified) { return (try store.credentials.get(other), note) }
            return (try create(badge, achievement: qualified), note)
        }
        return (try create(badge, achievement: id), nil)
    }

    /// A new catalog credential for the badge's achievement, linked to `achievement` when given.
    private func create(_ badge: ImportedBadge, achievement: String?) throws -> Credential {
        let code = try Slug.unique(badge.code) { try store.credentials.find($0) != nil }
        var skills: [String] = []
        for alignment in badge.alignments {
            let skillCode = Slug.from(alignment.code ?? alignment.name, otherwise: "badge")
            if try store.skills.find(skillCode) == nil {
                try store.skills.add(Skill(code: skillCode, name: alignment.name, framework: alignment.framework,
                                           frameworkID: alignment.framework == nil ? nil : alignment.code))
            }
            skills.append(skillCode)
        }
        let kind = badge.achievementType.flatMap(Store.kind(ofAchievementType:)) ?? .badge
        func text(_ value: String?, _ limit: Int) -> String? {
            guard let value, !value.isEmpty else { return nil }
            let clean = String(value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            return clean.utf8.count > limit ? String(clean.prefix(limit / 4)) : clean
        }
        let unit = text(badge.catalog?.creditUnit, 40) ?? "credits"
        var credential = Credential(
            code: code, title: text(badge.name, 1000) ?? code, issuer: text(badge.issuerName, 1000), kind: kind,
            credits: badge.credits.map { min($0, Limits.maxCredits) }, creditUnit: badge.credits == nil ? nil : unit,
            url: text(badge.criteriaURL, 2000), skills: skills)
        // What credfolio's own export carried beyond Open Badges (``ImportedBadge/CatalogExtension``).
        if let catalog = badge.catalog {
            if let hours = catalog.hours { credential.hours = hours }
            if let cost = catalog.costCents { credential.costCents = cost }
            if let weeks = catalog.weeks { credential.weeks = weeks }
            credential.validity = catalog.validityMonths.map { .months($0) } ?? (catalog.neverLapses ? .never : .unknown)
            if let currency = catalog.currency, let valid = try? Field.currency(currency) { credential.currency = valid }
            if let modes = catalog.format.flatMap({ try? Field.deliveries($0) }) { credential.deliveries = modes }
            credential.level = text(catalog.level, 1000)
        }
        credential = try store.credentials.add(credential)
        if let achievement {
            try store.credentials.setAchievement(achievement, of: credential.id!)
        }
        return credential
    }
}

extension Store {
    /// The original file of an imported badge, byte for byte, so that it can still be verified elsewhere.
    public func badgeOriginal(learner: String, credential: String, earnedOn: Day?) throws -> [UInt8] {
        let record = try awards.locate(learner: learner, credential: credential, earnedOn: earnedOn)
        guard let id = record.award.id, let source = try awards.source(of: id) else {
            throw CredfolioError.notFound("the award of \(credential) to \(learner) was typed in, not imported from a badge")
        }
        return source.original
    }
}
