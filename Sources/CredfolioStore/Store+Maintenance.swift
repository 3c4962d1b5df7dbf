import CredfolioSQL
import CredfolioSQLite
import CredfolioPostgres
import CredfolioCore
import CredfolioSystem
#if canImport(Glibc)
import Glibc
#endif

/// One finding of `doctor`.
public struct Finding: Sendable, Equatable {
    public enum Severity: String, Sendable { case ok, info, problem }
    public let check: String
    public let severity: Severity
    public let detail: String

    public init(check: String, severity: Severity, detail: String) {
        self.check = check
        self.severity = severity
        self.detail = detail
    }
}

extension [Finding] {
    /// One `ok` finding for `check` when it found no problem, else one finding a problem.
    public mutating func add(_ check: String, _ problems: [String], ok: String) {
        if problems.isEmpty {
            append(Finding(check: check, severity: .ok, detail: ok))
        } else {
            for p in problems { append(Finding(check: check, severity: .problem, detail: p)) }
        }
    }
}

extension Store {
    /// Writes a consistent copy of the database to `path`, a new SQLite file
    /// readable by its owner only. Others may go on using the database. From
    /// PostgreSQL it is a copy (``DatabaseCopy``) of one snapshot: a portable
    /// file that `copy` can take back to a server.
    public func backup(to path: String) throws {
        if access(path, F_OK) == 0 {
            throw CredfolioError.conflict("\(path) already exists; choose a new file for the backup")
        }
        guard let file else {
            do {
                let snapshot = try Store(path: path, access: .write, makingFolders: false)
                _ = try DatabaseCopy.run(from: self, to: snapshot)
                try snapshot.file?.execute(script: "PRAGMA journal_mode = DELETE")
            } catch {
                for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
                throw error
            }
            return
        }
        try Store.createPrivately(path, makingFolders: false)
        do {
            let destination = try Database(path: path)
            try file.backup(to: destination)
            // A backup is one self-contained file: no -wal or -shm beside it.
            try destination.execute(script: "PRAGMA journal_mode = DELETE")
        } catch {
            unlink(path)
            throw error
        }
    }

    /// True when both paths name one file (through links, or `./`).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Checks that `path` is a sound credfolio database this build can read:
    /// ours, integrity ok, foreign keys ok, a known schema version.
    public static func verify(_ path: String) throws {
        guard access(path, R_OK) == 0 else {
            throw CredfolioError(.database, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        var options = Database.Options()
        options.readOnly = true
        let candidate: Database
        do {
            candidate = try Database(path: path, options: options)
            let id = try candidate.scalar(Int32.self, "PRAGMA application_id") ?? 0
            guard id == Store.applicationID else {
                throw CredfolioError(.database, "\(path) is not a credfolio database")
            }
            let version = try Migrator.version(of: candidate)
            guard version <= Migrator().latestVersion else {
                throw CredfolioError(.database, "\(path) has schema version \(version), newer than this credfolio knows (\(Migrator().latestVersion))")
            }
            if let problem = try candidate.integrityProblems().first {
                throw CredfolioError(.database, "\(path) fails its integrity check: \(problem)")
            }
            if let problem = try candidate.foreignKeyProblems().first {
                throw CredfolioError(.database, "\(path) fails its foreign-key check: \(problem)")
            }
        } catch let error as DatabaseError {
            throw Store.explain(error, path: path)
        }
    }

    /// Replaces the database's contents with the backup at `path`, after
    /// checking it, and keeps what it replaced as a backup beside the
    /// database. Returns that file's path.
    /// Restores `path`, first copying the database it replaces to
    /// `DB.before-restore-YYYYMMDD-HHMMSS` beside it (numbered when two
    /// restores fall in one second); returns that copy's path.
    public func restoreKeepingCopy(from path: String) throws -> String {
        let stamp = Timestamp.compactLocal()
        var kept = self.path + ".before-restore-" + stamp
        var n = 1
        while access(kept, F_OK) == 0 {
            n += 1
            kept = self.path + ".before-restore-" + stamp + "-\(n)"
        }
        return try restore(from: path, keepingAs: kept)
    }

    public func restore(from path: String, keepingAs kept: String) throws -> String {
        guard let file else {
            throw CredfolioError.invalid("restore replaces a SQLite file; \(self.path) is on PostgreSQL")
        }
        try Store.verify(path)
        try backup(to: kept)
        var options = Database.Options()
        options.readOnly = true
        let source = try Database(path: path, options: options)
        // The backup API swaps every page under SQLite's own locks:
        // other processes see the old database or the new one, never a mix.
        try source.backup(to: file)
        try Migrator().migrate(file)
        return kept
    }

    /// What `doctor` finds in the storage: integrity, foreign keys, the
    /// schema, references, and every value within its range.
    public func diagnoseStorage() throws -> [Finding] {
        var findings: [Finding] = []
        func add(_ check: String, _ problems: [String], ok: String) { findings.add(check, problems, ok: ok) }
        if let file {
            add("integrity", try file.integrityProblems(), ok: "the file is sound")
            add("foreign keys", try file.foreignKeyProblems(), ok: "every reference resolves")
            let version = try Migrator.version(of: file)
            add("schema", version == Migrator().latestVersion ? [] : ["schema version \(version), expected \(Migrator().latestVersion)"],
                ok: "version \(version)")
        } else if let server = database as? PostgresConnection {
            // The server keeps its pages and references sound itself; what can differ is the schema, and the
            // constraints a database restored by hand may have lost.
            let version = try PostgresMigrator.version(of: server)
            let latest = PostgresMigrator().latestVersion
            add("schema", version == latest ? [] : ["schema version \(version), expected \(latest)"], ok: "PostgreSQL, version \(version)")
            let unchecked = try database.fetch(
                "SELECT conrelid::regclass::text || ' ' || conname FROM pg_constraint WHERE NOT convalidated AND connamespace = current_schema()::regnamespace ORDER BY 1"
            ) { "constraint \($0.string(0)) is not validated" }
            add("foreign keys", unchecked, ok: "every constraint is enforced by the server")
        }
        let orphans = try database.fetch(
            """
            SELECT a.id FROM award a
            WHERE a.credential_id NOT IN (SELECT id FROM credential) OR a.learner_id NOT IN (SELECT id FROM learner)
            """) { "award \($0.int64(0)) refers to an unknown learner or credential" }
        add("awards", orphans, ok: "every award names a known learner and credential")

        // Every value within its documented range, so no command can trap on it.
        var ranges: [String] = []
        try database.forEachRow(CredentialRepository.select + " ORDER BY code") { row in
            do {
                _ = try CredentialRepository.read(row).validated()
            } catch let error as CredfolioError {
                ranges.append("credential \(row.string(1)): \(error.message)")
            }
        }
        try database.forEachRow(
            """
            SELECT l.handle, c.code, a.earned_on, c.validity_months FROM award a
            JOIN learner l ON l.id = a.learner_id JOIN credential c ON c.id = a.credential_id
            WHERE a.expires_on IS NULL AND a.earned_on IS NOT NULL AND c.validity_months IS NOT NULL ORDER BY l.handle, c.code
            """
        ) { row in
            guard let earned = row.optionalDay(2) else { return }
            do {
                try Expiry.check(earnedOn: earned, validityMonths: row.int64(3), what: "award of \(row.string(1)) to \(row.string(0))")
            } catch let error as CredfolioError {
                ranges.append(error.message)
            }
        }
        add("ranges", ranges, ok: "every number and derived date is within its range")

        return findings
    }
}
