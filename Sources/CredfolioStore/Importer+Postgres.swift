import CredfolioSQL
import CredfolioPostgres
import CredfolioCore

extension Importer {
    /// Rows a batch sends to the server at once.
    static let batchRows = 10_000

    /// Awards on PostgreSQL. Each row is read and checked here as on SQLite;
    /// the checked rows go to the server in batches, by `COPY … FROM STDIN`
    /// into a temporary table, and the new ones are inserted by one statement
    /// a batch. A row whose key is stored already (from before, or earlier in
    /// the file) then goes the way of a row on SQLite, in file order. The
    /// first error of the file is the one reported, as on SQLite: a batch is
    /// sent, and its errors found, before a later row's error is.
    func awardsInBatches(_ table: CSVTable, _ server: PostgresConnection) throws -> ImportSummary {
        var summary = ImportSummary(kind: "awards")
        var touched = TouchedRows(maxBefore: try maxID("award"))
        let catalog = try CredentialRepository(db).catalogIndex()
        let columns = AwardColumns(table)
        try db.execute(script: """
            CREATE TEMPORARY TABLE IF NOT EXISTS credfolio_award_load (
                line bigint PRIMARY KEY, learner text COLLATE "C" NOT NULL, learner_id bigint, credential_id bigint NOT NULL,
                status text NOT NULL, started_on date, earned_on date, expires_on date, evidence_url text, notes text NOT NULL,
                stored boolean NOT NULL DEFAULT false
            ) ON COMMIT DROP
            """)
        var batch: [Int: ParsedAward] = [:]
        var rows = CopyRows()

        /// Sends the batch, inserts its new rows, merges the others; throws the batch's first error.
        func flush() throws {
            guard rows.count > 0 else { return }
            defer { batch.removeAll(keepingCapacity: true); rows.removeAll() }
            try db.execute(script: "TRUNCATE credfolio_award_load")
            try server.copy("""
                COPY credfolio_award_load (line, learner, credential_id, status, started_on, earned_on, expires_on, evidence_url, notes)
                FROM STDIN
                """, rows)
            try db.execute(script: "UPDATE credfolio_award_load s SET learner_id = l.id FROM learner l WHERE l.handle = s.learner")
            // Rows after the first unknown learner are not stored: the file fails there.
            let unknown = try db.first("SELECT line, learner FROM credfolio_award_load WHERE learner_id IS NULL ORDER BY line LIMIT 1", []) {
                (line: Int($0.int64(0)), handle: $0.string(1))
            }
            let limit = Int64(unknown?.line ?? Int.max)
            // Keys stored before, and keys a batch row had already (NULL days grouped as one).
            let taken = try db.fetch("""
                UPDATE credfolio_award_load s SET stored = true
                FROM (SELECT line, row_number() OVER (PARTITION BY learner_id, credential_id, earned_on ORDER BY line) AS n
                      FROM credfolio_award_load) d
                WHERE d.line = s.line AND s.line < ? AND (d.n > 1 OR EXISTS (
                    SELECT 1 FROM award a WHERE a.learner_id = s.learner_id AND a.credential_id = s.credential_id
                       AND coalesce(a.earned_on, '-infinity') = coalesce(s.earned_on, '-infinity')))
                RETURNING s.line, s.learner_id
                """, [.integer(limit)]) { (line: Int($0.int64(0)), learner: $0.int64(1)) }
            summary.inserted += try db.execute("""
                INSERT INTO award (learner_id, credential_id, status, started_on, earned_on, expires_on, evidence_url, notes)
                SELECT learner_id, credential_id, status, started_on, earned_on, expires_on, evidence_url, notes
                FROM credfolio_award_load WHERE line < ? AND NOT stored ORDER BY line
                """, limit)
            for row in taken.sorted(by: { $0.line < $1.line }) {
                guard let parsed = batch[row.line] else { continue }
                do {
                    try merge(parsed, into: try storedAward(parsed, learnerID: row.learner), columns, &touched, &summary)
                } catch let error as CredfolioError {
                    throw CredfolioError.invalid("\(table.file):\(row.line): \(error.message)")
                }
            }
            if let unknown {
                throw CredfolioError.invalid("\(table.file):\(unknown.line): " + Field.fail("learner", unknown.handle, "is not a known learner").message)
            }
        }

        while true {
            do {
                guard try table.next() else { break }
            } catch {
                try flush()
                throw error
            }
            let parsed: ParsedAward
            do {
                parsed = try table.row { try parseAward(table, columns, catalog) }
            } catch {
                // Earlier rows' errors come first; then an unknown learner, which SQLite's way checks before the rest.
                let line = table.line, handle = (try? table.value(0)) ?? nil
                try flush()
                if let handle, try db.scalar(Int64.self, "SELECT id FROM learner WHERE handle = ?", handle) == nil {
                    throw CredfolioError.invalid("\(table.file):\(line): " + Field.fail("learner", handle, "is not a known learner").message)
                }
                throw error
            }
            let award = parsed.award
            rows.integer(Int64(parsed.line)); rows.text(parsed.handle); rows.integer(parsed.credentialID); rows.text(award.status.rawValue)
            rows.text(award.startedOn?.description); rows.text(award.earnedOn?.description)
            rows.text(award.expiresOn?.description); rows.text(award.evidenceURL); rows.text(award.notes)
            rows.endRow()
            batch[parsed.line] = parsed
            if rows.count >= Self.batchRows { try flush() }
        }
        try flush()
        return summary
    }
}
