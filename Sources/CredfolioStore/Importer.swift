public import CredfolioSQL
import CredfolioSQLite
import CredfolioPostgres
public import CredfolioCore

/// CSV import of learners, skills, credentials and awards.
///
/// Each file is one transaction: the first bad row stops the import with
/// `file:line: reason` and nothing from the file is stored. Rows upsert by
/// their natural key, so importing a file twice changes nothing the second
/// time. A column left out of the file leaves that field of existing rows
/// as it is; a column present but empty clears it.
public struct Importer {
    let db: any SQLConnection
    /// About how many rows the input holds (from its size), for choosing
    /// how to load; 0 when unknown.
    let expectedRows: Int

    /// An importer into `store`; `expectedRows` sizes its lookups.
    public init(_ store: Store, expectedRows: Int = 0) {
        self.init(store.database, expectedRows: expectedRows)
    }

    public init(_ db: any SQLConnection, expectedRows: Int = 0) {
        self.db = db
        self.expectedRows = expectedRows
    }

    public enum Kind: String, CaseIterable, Sendable {
        case learners, skills, credentials, awards

        public var columns: [String] {
            switch self {
            case .learners: return ["handle", "name", "email", "cohort", "notes", "created_on", "emails", "pace", "goals"]
            case .skills: return ["code", "name", "category", "framework", "framework_id"]
            case .credentials:
                return ["code", "title", "issuer", "kind", "hours", "credits", "credit_unit", "cost", "currency", "weeks",
                        "format", "level", "validity_months", "employer_validated", "accreditation", "url", "skills",
                        "ctid", "description", "occupations", "prerequisites"]
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
        // SQLite's settings for a load; PostgreSQL's server needs none of them.
        let sqlite = db as? Database
        // A bigger page cache for the load (64 MiB), back to the default after.
        try sqlite?.execute(script: "PRAGMA cache_size = -32768")
        defer { try? sqlite?.execute(script: "PRAGMA cache_size = -2000") }
        if kind == .awards, let sqlite, sqlite.isAutocommit {
            // Every award row's learner and credential ids come from maps read
            // inside this import's own write transaction, so they exist by
            // construction: SQLite's two parent-key lookups per row would only
            // repeat that. (The setting cannot change inside a transaction,
            // hence outside it; `doctor` checks foreign keys in full.)
            try sqlite.execute(script: "PRAGMA foreign_keys = OFF")
        }
        defer { try? sqlite?.execute(script: "PRAGMA foreign_keys = ON") }
        // Not retried: the body reads the input, which a second run could not read again.
        return try db.transaction(retrying: false) {
            let table = try CSVTable(reader: reader, file: file, columns: kind.columns, required: kind.required)
            switch kind {
            case .learners: return try learners(table)
            case .skills: return try skills(table)
            case .credentials: return try credentials(table)
            case .awards: return try awards(table)
            }
        }
    }

    func maxID(_ table: String) throws -> Int64 {
        try db.scalar(Int64.self, "SELECT coalesce(max(id), 0) FROM \(table)") ?? 0
    }

    func duplicate(_ what: String, _ touched: inout TouchedRows, _ id: Int64) throws {
        guard touched.mark(id) else { throw CredfolioError.invalid("\(what) appears twice in this file") }
    }

    // MARK: Learners

    private func learners(_ table: CSVTable) throws -> ImportSummary {
        var summary = ImportSummary(kind: "learners")
        var touched = TouchedRows(maxBefore: try maxID("learner"))
        let repository = LearnerRepository(db)
        // As for awards: new rows, the common case, take one statement, the
        // insert; a handle (or email) already there sends the row on to the
        // lookup and the comparison.
        let insert = """
            INSERT INTO learner (handle, name, email, cohort, notes, created_on, pace) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """
        let rebuilt = try IndexRebuild(db, "learner_by_cohort", table: "learner", expectedRows: expectedRows)
        let createdOn = Day.today()
        var expectNew = true
        while try table.next() {
            try table.row {
                let handle = try Field.slug(try table.value(0) ?? "", "handle")
                /// The file's values over `learner`'s: a column the file leaves out keeps what is there.
                func filled(_ base: Learner) throws -> Learner {
                    var learner = base
                    learner.name = try table.value(1) ?? learner.name
                    // Checked once, with the rest, by validated().
                    if table.has(2) { learner.email = try table.value(2).flatMap { $0.isEmpty ? nil : $0 } }
                    if table.has(3) { learner.cohort = try table.value(3).flatMap { $0.isEmpty ? nil : $0 } }
                    if table.has(4) { learner.notes = try table.value(4) ?? "" }
                    if let created = try table.value(5), !created.isEmpty { learner.createdOn = try Field.day(created, "created_on") }
                    if table.has(7) { learner.pace = try (table.value(7) ?? "").isEmpty ? nil : Field.pace(try table.value(7)!) }
                    return try learner.validated()
                }
                // Goals, `;`-separated `stack` or `stack@DATE`; absent, they stay as they are.
                let goals: [LearnerGoal]? = try table.has(8)
                    ? (table.value(8) ?? "").split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
                        .map { text throws(CredfolioError) in try LearnerGoal(parsing: text) }
                    : nil
                // The learner's other addresses, `;`-separated; absent, they stay as they are.
                var others: [String]?
                if table.has(6) {
                    others = try (table.value(6) ?? "").split(separator: ";").map { String($0).trimmingSpaces() }
                        .filter { !$0.isEmpty }.map { try Field.email($0, "emails") ?? $0 }
                }
                // After a row that was there already, look first: a file imported again is all such rows.
                var found = expectNew ? nil : try repository.find(handle)
                if found == nil {
                    let fresh = try filled(Learner(handle: handle, name: "", createdOn: createdOn))
                    let values: [DatabaseValue] = [.text(fresh.handle), .text(fresh.name), fresh.email.databaseValue,
                                                   fresh.cohort.databaseValue, .text(fresh.notes), .text(fresh.createdOn.description),
                                                   fresh.pace.databaseValue]
                    // No row back: the handle (or the email) is taken.
                    if let id = try db.first(insert, values, { $0.int64(0) }) {
                        _ = touched.mark(id)
                        if let others { try repository.setOtherEmails(id, others) }
                        if let goals { try repository.setGoals(id, goals) }
                        summary.inserted += 1
                        expectNew = true
                        return
                    }
                    found = try repository.find(handle)
                    if found == nil {
                        // Not the handle, so the email: say whose it is.
                        try repository.checkEmailFree(fresh.email, except: nil)
                        throw CredfolioError.conflict("learner \(handle) could not be stored")
                    }
                }
                expectNew = false
                let existing = found!
                try duplicate("learner \(handle)", &touched, existing.id!)
                let learner = try filled(existing)
                let emailsChanged = try others.map { try Set($0.map { $0.lowercased() }) != Set(repository.otherEmails(existing.id!).map { $0.lowercased() }) } ?? false
                let goalsChanged = try goals.map { Set($0) != Set(try repository.goals(of: existing)) } ?? false
                if learner == existing && !emailsChanged && !goalsChanged { summary.unchanged += 1; return }
                try repository.update(learner)
                if let others { try repository.setOtherEmails(existing.id!, others) }
                if let goals { try repository.setGoals(existing.id!, goals) }
                summary.updated += 1
            }
        }
        try rebuilt.finish()
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
                    _ = touched.mark(try repository.insert(skill).id!)
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
        let skillIDs = try SkillRepository(db).idsByCode()
        while try table.next() {
            try table.row {
                let code = try Field.slug(try table.value(0) ?? "", "code")
                let existing = try repository.find(code)
                var c = existing ?? Credential(code: code, title: "")
                func cell(_ i: Int) throws -> String? { try table.value(i) }
                c.title = try cell(1) ?? c.title
                if table.has(2) { c.issuer = try cell(2) }
                if let v = try cell(3) { c.kind = v.isEmpty ? .certificate : try Field.choice(v, "kind", as: CredentialKind.self) }
                if let v = try cell(4) { c.hours = v.isEmpty ? nil : try Field.hours(v) }
                if let v = try cell(5) { c.credits = v.isEmpty ? nil : try Field.credits(v) }
                if table.has(6) { c.creditUnit = try cell(6).flatMap { $0.isEmpty ? nil : $0 } }
                if let v = try cell(7) { c.costCents = v.isEmpty ? nil : try Field.cents(v, "cost") }
                if let v = try cell(8) { c.currency = v.isEmpty ? "USD" : try Field.currency(v) }
                if let v = try cell(9) { c.weeks = v.isEmpty ? nil : try Field.weeks(v) }
                if let v = try cell(10) { c.deliveries = try Field.deliveries(v) }
                if table.has(11) { c.level = try cell(11) }
                if let v = try cell(12) { c.validity = try Field.validity(v) }
                if let v = try cell(13) { c.employerValidated = try Field.bool(v, "employer_validated") }
                if table.has(14) { c.accreditation = try cell(14) }
                if table.has(15) { c.url = try cell(15) }
                if let v = try cell(16) {
                    c.skills = v.split(separator: ";", omittingEmptySubsequences: true)
                        .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
                }
                if let v = try cell(17) { c.ctid = v.isEmpty ? nil : v }
                if table.has(18) { c.description = try cell(18) }
                if let v = try cell(19) { c.occupations = v.split(separator: ";").map { $0.trimmingSpaces() }.filter { !$0.isEmpty } }
                let routes = try cell(20).map { try CredentialRoute.parse(cell: $0) }
                c = try c.validated()
                if let existing {
                    try duplicate("credential \(code)", &touched, existing.id!)
                    // The routes, when the file has them, as an import writes them: targets by CTID, not yet by code.
                    let routesChanged = try routes.map { routes in
                        (try repository.routesByCredential(only: existing.id!)[existing.id!] ?? []).map(CredentialRoute.unresolved) != routes
                    } ?? false
                    if c == existing && !routesChanged { summary.unchanged += 1; return }
                    if c != existing { try repository.update(c, skills: skillIDs) }
                    if routesChanged, let routes { try repository.setRoutes(routes, of: existing.id!) }
                    summary.updated += 1
                } else {
                    let id = try repository.insertRow(c, skillIDs: try repository.resolveSkills(c.skills, known: skillIDs)).id!
                    _ = touched.mark(id)
                    if let routes, !routes.isEmpty { try repository.setRoutes(routes, of: id) }
                    summary.inserted += 1
                }
            }
        }
        return summary
    }

    // MARK: Awards

    /// The columns of an awards file, and what it leaves out.
    struct AwardColumns {
        let status, expires, evidence, started, notes: Bool
        init(_ table: CSVTable) {
            (status, expires, evidence, started, notes) = (table.has(2), table.has(4), table.has(5), table.has(6), table.has(7))
        }
    }

    /// One award row, checked: everything but its learner's id.
    struct ParsedAward {
        let line: Int
        let handle: String
        let credentialID: Int64
        let award: Award
        /// The earned-on day as the file wrote it, NULL for an unfinished award: the award's key with learner and credential.
        let key: DatabaseValue
    }

    /// Reads and checks the current row of an awards file (all but whether its learner exists).
    func parseAward(_ table: CSVTable, _ columns: AwardColumns,
                            _ catalog: [String: (id: Int64, validityMonths: Int64?)]) throws -> ParsedAward {
        let handle = try table.value(0) ?? ""
        let code = try table.value(1) ?? ""
        guard let credential = catalog[code] else {
            throw Field.fail("credential", code, "is not a known credential")
        }
        let earnedText = try table.value(3) ?? ""
        let earnedOn = try Field.optionalDay(earnedText, "earned_on")
        let statusText = columns.status ? try table.value(2) ?? "" : ""
        let status: AwardStatus
        if statusText.isEmpty {
            guard earnedOn != nil else {
                throw CredfolioError.invalid("status is empty and there is no earned_on")
            }
            status = .earned
        } else {
            status = try AwardStatus(rawValue: statusText) ?? Field.choice(statusText, "status", as: AwardStatus.self)
        }
        var award = Award(learner: handle, credential: code, status: status, earnedOn: earnedOn)
        if columns.expires { award.expiresOn = try Field.optionalDay(try table.value(4), "expires_on") }
        if columns.evidence { award.evidenceURL = try table.value(5) }
        if columns.started { award.startedOn = try Field.optionalDay(try table.value(6), "started_on") }
        if columns.notes { award.notes = try table.value(7) ?? "" }
        award = try award.validated()
        if award.expiresOn == nil {
            try Expiry.check(earnedOn: earnedOn, validityMonths: credential.validityMonths, what: "award of \(code)")
        }
        return ParsedAward(line: table.line, handle: handle, credentialID: credential.id, award: award,
                           key: earnedOn == nil ? .null : .text(earnedText))
    }

    static let awardLookup = """
        SELECT id, status, started_on, expires_on, evidence_url, notes FROM award
        WHERE learner_id = ? AND credential_id = ? AND earned_on IS NOT DISTINCT FROM ?
        """

    /// The award stored under `parsed`'s key for the learner `learnerID`, if any.
    func storedAward(_ parsed: ParsedAward, learnerID: Int64) throws -> (id: Int64, award: Award)? {
        try db.first(Self.awardLookup, [.integer(learnerID), .integer(parsed.credentialID), parsed.key]) { row in
            (id: row.int64(0),
             award: Award(learner: parsed.handle, credential: parsed.award.credential, status: AwardStatus(rawValue: row.string(1)) ?? .planned,
                          startedOn: row.optionalDay(2), earnedOn: parsed.award.earnedOn, expiresOn: row.optionalDay(3),
                          evidenceURL: row.optionalString(4), notes: row.string(5)))
        }
    }

    /// A row whose key is stored already: this file's own row (a duplicate),
    /// or one from before, updated unless nothing changed.
    func merge(_ parsed: ParsedAward, into stored: (id: Int64, award: Award)?, _ columns: AwardColumns,
                       _ touched: inout TouchedRows, _ summary: inout ImportSummary) throws {
        let (handle, code, earnedOn) = (parsed.handle, parsed.award.credential, parsed.award.earnedOn)
        guard let stored else {
            throw CredfolioError.conflict("award of \(code) to \(handle) could not be stored")
        }
        let what = "award of \(code) to \(handle)" + (earnedOn.map { " earned on \($0)" } ?? "")
        try duplicate(what, &touched, stored.id)
        // Columns the file leaves out keep their stored values.
        var merged = parsed.award
        if !columns.expires { merged.expiresOn = stored.award.expiresOn }
        if !columns.evidence { merged.evidenceURL = stored.award.evidenceURL }
        if !columns.started { merged.startedOn = stored.award.startedOn }
        if !columns.notes { merged.notes = stored.award.notes }
        merged = try merged.validated()
        if merged == stored.award {
            summary.unchanged += 1
            return
        }
        try db.execute(
            "UPDATE award SET status = ?, started_on = ?, expires_on = ?, evidence_url = ?, notes = ? WHERE id = ?",
            arguments: [.text(merged.status.rawValue), merged.startedOn.databaseValue, merged.expiresOn.databaseValue,
                        merged.evidenceURL.databaseValue, .text(merged.notes), .integer(stored.id)])
        summary.updated += 1
    }

    private func awards(_ table: CSVTable) throws -> ImportSummary {
        if let server = db as? PostgresConnection { return try awardsInBatches(table, server) }
        var summary = ImportSummary(kind: "awards")
        let maxBefore = try maxID("award")
        var touched = TouchedRows(maxBefore: maxBefore)
        // One indexed lookup per run of rows of the same learner (award
        // files list a learner's awards together), not a map of every
        // learner: memory stays flat however many learners there are.
        let findLearner = "SELECT id FROM learner WHERE handle = ?"
        var lastHandle = "", lastLearnerID: Int64?
        let catalog = try CredentialRepository(db).catalogIndex()
        let rebuilt = try IndexRebuild(db, "award_by_credential", table: "award", expectedRows: expectedRows)

        // New rows, the common case, take one statement: the insert.
        let insert = """
            INSERT INTO award (learner_id, credential_id, status, started_on, earned_on, expires_on, evidence_url, notes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """
        let columns = AwardColumns(table)
        var expectNew = true

        while try table.next() {
            try table.row {
                let handle = try table.value(0) ?? ""
                if handle != lastHandle || lastLearnerID == nil {
                    lastLearnerID = try db.first(findLearner, [.text(handle)]) { $0.int64(0) }
                    lastHandle = handle
                }
                guard let learnerID = lastLearnerID else {
                    throw Field.fail("learner", handle, "is not a known learner")
                }
                let parsed = try parseAward(table, columns, catalog)
                // As for learners: after a row that was there already, look first.
                var found = expectNew ? nil : try storedAward(parsed, learnerID: learnerID)
                if found == nil {
                    let award = parsed.award
                    let values: [DatabaseValue] = [.integer(learnerID), .integer(parsed.credentialID), .text(award.status.rawValue),
                                                   award.startedOn.databaseValue, parsed.key, award.expiresOn.databaseValue,
                                                   award.evidenceURL.databaseValue, .text(award.notes)]
                    if try db.execute(insert, arguments: values) == 1 {
                        summary.inserted += 1
                        expectNew = true
                        return
                    }
                    found = try storedAward(parsed, learnerID: learnerID)
                }
                expectNew = false
                try merge(parsed, into: found, columns, &touched, &summary)
            }
        }
        try rebuilt.finish()
        return summary
    }
}

/// A large load into a small table drops a secondary index the import does
/// not read, and builds it once at the end, inside the same transaction: one
/// sort instead of a B-tree insertion a row. The index is made again from its
/// own stored definition, so the schema stays as the migrations left it.
struct IndexRebuild {
    /// Loads beyond this many rows, and bigger than the table, rebuild.
    static let threshold = 50_000

    let db: any SQLConnection
    /// The index's `CREATE INDEX` statement, when it was dropped.
    private let definition: String?

    /// Drops `index` for a large load into SQLite (a PostgreSQL server builds
    /// its indexes as it goes).
    init(_ db: any SQLConnection, _ index: String, table: String, expectedRows: Int) throws {
        self.db = db
        guard db.engine == .sqlite, expectedRows > Self.threshold else {
            definition = nil
            return
        }
        let existing = try db.scalar(Int.self, "SELECT count(*) FROM \(table)") ?? 0
        guard expectedRows > existing,
              let sql = try db.scalar(String.self, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", index)
        else {
            definition = nil
            return
        }
        try db.execute(script: "DROP INDEX \(index)")
        definition = sql
    }

    /// Builds the index again (a rollback restores it otherwise).
    func finish() throws {
        if let definition { try db.execute(script: definition) }
    }
}
