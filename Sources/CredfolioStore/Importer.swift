public import CredfolioCore

/// CSV import of learners, skills, credentials and awards.
///
/// Each file is one transaction: the first bad row stops the import with
/// `file:line: reason` and nothing from the file is stored. Rows upsert by
/// their natural key, so importing a file twice changes nothing the second
/// time. A column left out of the file leaves that field of existing rows
/// as it is; a column present but empty clears it.
public struct Importer {
    let db: Database
    public init(_ db: Database) { self.db = db }

    public enum Kind: String, CaseIterable, Sendable {
        case learners, skills, credentials, awards

        public var columns: [String] {
            switch self {
            case .learners: return ["handle", "name", "email", "cohort", "notes", "created_on"]
            case .skills: return ["code", "name", "category", "framework", "framework_id"]
            case .credentials:
                return ["code", "title", "issuer", "kind", "hours", "credits", "credit_unit", "cost", "currency", "weeks",
                        "format", "level", "validity_months", "employer_validated", "accreditation", "url", "skills"]
            case .awards:
                return ["learner", "credential", "status", "earned_on", "expires_on", "evidence_url", "started_on", "notes"]
            }
        }

        public var required: [String] {
            switch self {
            case .learners: return ["handle", "name"]
            case .skills: return ["code", "name"]
            case .credentials: return ["code", "title"]
            case .awards: return ["learner", "credential"]
            }
        }
    }

    /// Imports `kind` rows from `reader`; `file` names the input in errors.
    public func run(_ kind: Kind, reader: CSVReader, file: String) throws -> ImportSummary {
        try db.transaction {
            let table = try CSVTable(reader: reader, file: file, columns: kind.columns, required: kind.required)
            switch kind {
            case .learners: return try learners(table)
            case .skills: return try skills(table)
            case .credentials: return try credentials(table)
            case .awards: return try awards(table)
            }
        }
    }

    private func maxID(_ table: String) throws -> Int64 {
        try db.scalar(Int64.self, "SELECT ifnull(max(id), 0) FROM \(table)") ?? 0
    }

    private func duplicate(_ what: String, _ touched: inout TouchedRows, _ id: Int64) throws {
        guard touched.mark(id) else { throw CredfolioError.invalid("\(what) appears twice in this file") }
    }

    // MARK: Learners

    private func learners(_ table: CSVTable) throws -> ImportSummary {
        var summary = ImportSummary(kind: "learners")
        var touched = TouchedRows(maxBefore: try maxID("learner"))
        let repository = LearnerRepository(db)
        while try table.next() {
            try table.row {
                let handle = try Field.slug(try table.value(0) ?? "", "handle")
                let existing = try repository.find(handle)
                var learner = existing ?? Learner(handle: handle, name: "")
                learner.name = try table.value(1) ?? learner.name
                if table.has(2) { learner.email = try Field.email(try table.value(2)) }
                if table.has(3) { learner.cohort = try table.value(3).flatMap { $0.isEmpty ? nil : $0 } }
                if table.has(4) { learner.notes = try table.value(4) ?? "" }
                if let created = try table.value(5), !created.isEmpty { learner.createdOn = try Field.day(created, "created_on") }
                learner = try learner.validated()
                if let existing {
                    try duplicate("learner \(handle)", &touched, existing.id!)
                    if learner == existing { summary.unchanged += 1; return }
                    try repository.update(learner)
                    summary.updated += 1
                } else {
                    let added = try repository.add(learner)
                    _ = touched.mark(added.id!)
                    summary.inserted += 1
                }
            }
        }
        return summary
    }

    // MARK: Skills

    private func skills(_ table: CSVTable) throws -> ImportSummary {
        var summary = ImportSummary(kind: "skills")
        var touched = TouchedRows(maxBefore: try maxID("skill"))
        let repository = SkillRepository(db)
        while try table.next() {
            try table.row {
                let code = try Field.slug(try table.value(0) ?? "", "code")
                let existing = try repository.find(code)
                var skill = existing ?? Skill(code: code, name: "")
                skill.name = try table.value(1) ?? skill.name
                if table.has(2) { skill.category = try table.value(2) }
                if table.has(3) { skill.framework = try table.value(3) }
                if table.has(4) { skill.frameworkID = try table.value(4) }
                skill = try skill.validated()
                if let existing {
                    try duplicate("skill \(code)", &touched, existing.id!)
                    if skill == existing { summary.unchanged += 1; return }
                    try repository.update(skill)
                    summary.updated += 1
                } else {
                    _ = touched.mark(try repository.add(skill).id!)
                    summary.inserted += 1
                }
            }
        }
        return summary
    }

    // MARK: Credentials

    private func credentials(_ table: CSVTable) throws -> ImportSummary {
        var summary = ImportSummary(kind: "credentials")
        var touched = TouchedRows(maxBefore: try maxID("credential"))
        let repository = CredentialRepository(db)
        while try table.next() {
            try table.row {
                let code = try Field.slug(try table.value(0) ?? "", "code")
                let existing = try repository.find(code)
                var c = existing ?? Credential(code: code, title: "")
                func cell(_ i: Int) throws -> String? { try table.value(i) }
                c.title = try cell(1) ?? c.title
                if table.has(2) { c.issuer = try cell(2) }
                if let v = try cell(3) { c.kind = v.isEmpty ? .certificate : try Field.choice(v, "kind", as: CredentialKind.self) }
                if let v = try cell(4) { c.hours = v.isEmpty ? 0 : try Field.wholeNumber(v, "hours") }
                if let v = try cell(5) { c.credits = v.isEmpty ? nil : try Field.decimal(v, "credits") }
                if table.has(6) { c.creditUnit = try cell(6).flatMap { $0.isEmpty ? nil : $0 } }
                if let v = try cell(7) { c.costCents = v.isEmpty ? 0 : try Field.cents(v, "cost") }
                if let v = try cell(8) { c.currency = v.isEmpty ? "USD" : try Field.currency(v) }
                if let v = try cell(9) { c.weeks = v.isEmpty ? 0 : try Field.wholeNumber(v, "weeks") }
                if let v = try cell(10) { c.format = v.isEmpty ? .online : try Field.choice(v, "format", as: DeliveryFormat.self) }
                if table.has(11) { c.level = try cell(11) }
                if let v = try cell(12) { c.validityMonths = try Field.optionalWholeNumber(v, "validity_months", positive: true) }
                if let v = try cell(13) { c.employerValidated = try Field.bool(v, "employer_validated") }
                if table.has(14) { c.accreditation = try cell(14) }
                if table.has(15) { c.url = try cell(15) }
                if let v = try cell(16) {
                    c.skills = v.split(separator: ";", omittingEmptySubsequences: true)
                        .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
                }
                c = try c.validated()
                if let existing {
                    try duplicate("credential \(code)", &touched, existing.id!)
                    if c == existing { summary.unchanged += 1; return }
                    try repository.update(c)
                    summary.updated += 1
                } else {
                    _ = touched.mark(try repository.add(c).id!)
                    summary.inserted += 1
                }
            }
        }
        return summary
    }

    // MARK: Awards

    private func awards(_ table: CSVTable) throws -> ImportSummary {
        var summary = ImportSummary(kind: "awards")
        var touched = TouchedRows(maxBefore: try maxID("award"))
        let learnerIDs = try LearnerRepository(db).idsByHandle()
        let catalog = try CredentialRepository(db).catalogIndex()
        let lookup = try db.cachedStatement(
            """
            SELECT id, status, started_on, expires_on, evidence_url, notes FROM award
            WHERE learner_id = ? AND credential_id = ? AND ifnull(earned_on, '') = ?
            """)
        let insert = try db.cachedStatement(
            """
            INSERT INTO award (learner_id, credential_id, status, started_on, earned_on, expires_on, evidence_url, notes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let update = try db.cachedStatement(
            "UPDATE award SET status = ?, started_on = ?, expires_on = ?, evidence_url = ?, notes = ? WHERE id = ?")

        while try table.next() {
            try table.row {
                let handle = try table.value(0) ?? ""
                guard let learnerID = learnerIDs[handle] else {
                    throw Field.fail("learner", handle, "is not a known learner")
                }
                let code = try table.value(1) ?? ""
                guard let credential = catalog[code] else {
                    throw Field.fail("credential", code, "is not a known credential")
                }
                let earnedOn = try Field.optionalDay(try table.value(3), "earned_on")
                let statusText = try table.value(2) ?? ""
                let status: AwardStatus
                if statusText.isEmpty {
                    guard earnedOn != nil else {
                        throw CredfolioError.invalid("status is empty and there is no earned_on")
                    }
                    status = .earned
                } else {
                    status = try Field.choice(statusText, "status", as: AwardStatus.self)
                }
                let key = earnedOn?.description ?? ""
                let existing = try lookup.first([.integer(learnerID), .integer(credential.id), .text(key)]) { row in
                    (id: row.int64(0),
                     award: Award(learner: handle, credential: code, status: AwardStatus(rawValue: row.string(1)) ?? .planned,
                                  startedOn: row.optionalDay(2), earnedOn: earnedOn, expiresOn: row.optionalDay(3),
                                  evidenceURL: row.optionalString(4), notes: row.string(5)))
                }
                var award = existing?.award ?? Award(learner: handle, credential: code, status: status, earnedOn: earnedOn)
                award.status = status
                if table.has(4) { award.expiresOn = try Field.optionalDay(try table.value(4), "expires_on") }
                if table.has(5) { award.evidenceURL = try table.value(5) }
                if table.has(6) { award.startedOn = try Field.optionalDay(try table.value(6), "started_on") }
                if table.has(7) { award.notes = try table.value(7) ?? "" }
                award = try award.validated()

                if let existing {
                    let what = "award of \(code) to \(handle)" + (earnedOn.map { " earned on \($0)" } ?? "")
                    try duplicate(what, &touched, existing.id)
                    if award == existing.award { summary.unchanged += 1; return }
                    try update.execute([
                        .text(award.status.rawValue), award.startedOn.databaseValue, award.expiresOn.databaseValue,
                        award.evidenceURL.databaseValue, .text(award.notes), .integer(existing.id),
                    ])
                    summary.updated += 1
                } else {
                    try insert.execute([
                        .integer(learnerID), .integer(credential.id), .text(award.status.rawValue),
                        award.startedOn.databaseValue, award.earnedOn.databaseValue, award.expiresOn.databaseValue,
                        award.evidenceURL.databaseValue, .text(award.notes),
                    ])
                    summary.inserted += 1
                }
            }
        }
        return summary
    }
}
