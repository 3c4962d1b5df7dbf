public import CredfolioPostgres
public import CredfolioSchema
import CredfolioCore

/// Applies PostgreSQL's schema migrations (`Schema/postgres/`) a database
/// lacks, in order, in one transaction, and records each in the table
/// `credfolio_migration` (version, name, when): a failed migration leaves the
/// database as it was. Two credfolio processes migrating one database at
/// once take turns: the first holds the table's lock until it commits, and
/// the second then finds nothing left to do.
public struct PostgresMigrator {
    public typealias Migration = (version: Int, name: String, sql: [UInt8])

    public let migrations: [Migration]

    public init(migrations: [Migration] = SchemaMigrations.postgres) {
        self.migrations = migrations
    }

    /// The version a fully migrated database has.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Brings the database of `connection` to ``latestVersion``; returns the
    /// names of the migrations applied. Refuses a database that a newer
    /// credfolio migrated further.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [String] {
        // Most opens find the schema current: check without a lock (and
        // without the right to create tables, which a coach's role lacks).
        let current = try Self.version(of: connection)
        if current == latestVersion { return [] }
        if current > latestVersion {
            throw CredfolioError(.database, "the database has schema version \(current), newer than this credfolio knows (\(latestVersion)): upgrade credfolio")
        }
        try connection.execute(script: "BEGIN")
        do {
            try connection.execute(script: """
                CREATE TABLE IF NOT EXISTS credfolio_migration (
                    version     integer PRIMARY KEY CHECK (version > 0),
                    name        text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                );
                LOCK TABLE credfolio_migration IN EXCLUSIVE MODE
                """)
            let current = try Self.version(of: connection)
            if current > latestVersion {
                throw CredfolioError(.database, "the database has schema version \(current), newer than this credfolio knows (\(latestVersion)): upgrade credfolio")
            }
            var applied: [String] = []
            for migration in migrations where migration.version > current {
                try connection.execute(script: String(decoding: migration.sql, as: UTF8.self))
                try connection.query("INSERT INTO credfolio_migration (version, name) VALUES ($1, $2)",
                                     [String(migration.version), migration.name])
                applied.append(migration.name)
            }
            try connection.execute(script: "COMMIT")
            return applied
        } catch {
            _ = try? connection.execute(script: "ROLLBACK")
            throw error
        }
    }

    /// The highest version recorded; 0 for a database never migrated.
    public static func version(of connection: PostgresConnection) throws -> Int {
        guard try connection.query("SELECT to_regclass('credfolio_migration') IS NOT NULL").values == [["t"]] else { return 0 }
        let rows = try connection.query("SELECT coalesce(max(version), 0) FROM credfolio_migration")
        guard let text = rows.values.first?.first ?? nil, let version = Int(text) else {
            throw CredfolioError(.database, "credfolio_migration gave no version")
        }
        return version
    }
}
