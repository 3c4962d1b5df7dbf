public import CredfolioSQLite
public import CredfolioSchema
import CredfolioCore

/// Applies the schema migrations a database lacks, in order, in one
/// transaction: a failed migration leaves the database as it was.
///
/// Foreign keys, as GRDB's migrator handles them: SQLite ignores
/// `PRAGMA foreign_keys` inside a transaction, so enforcement is turned off
/// before the transaction and back on after it. A migration may then
/// rebuild a table that others refer to (create the new table, copy, drop
/// the old one, rename), as SQLite's documentation describes for changes
/// `ALTER TABLE` cannot make. Before the commit every reference is checked
/// (`PRAGMA foreign_key_check`): a migration that leaves one broken is
/// rolled back, whole.
public struct Migrator {
    public typealias Migration = (version: Int, name: String, sql: [UInt8])

    public let migrations: [Migration]

    public init(migrations: [Migration] = SchemaMigrations.all) {
        self.migrations = migrations
    }

    /// The version a fully migrated database has.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Brings `database` to ``latestVersion``; returns the migrations applied.
    @discardableResult
    public func migrate(_ database: Database) throws -> [String] {
        // Most opens find the schema current: check without taking the
        // write lock, so that readers never queue behind a writer.
        if try Migrator.version(of: database) >= latestVersion { return [] }
        let enforced = try database.scalar(Int.self, "PRAGMA foreign_keys") == 1
        if enforced { try database.execute(script: "PRAGMA foreign_keys = OFF") }
        defer { if enforced { try? database.execute(script: "PRAGMA foreign_keys = ON") } }
        return try database.transaction {
            // Another process may have migrated while this one waited.
            let current = try Migrator.version(of: database)
            var applied: [String] = []
            for migration in migrations where migration.version > current {
                try database.execute(script: String(decoding: migration.sql, as: UTF8.self))
                try database.execute(script: "PRAGMA user_version = \(migration.version)")
                applied.append(migration.name)
            }
            if let broken = try database.foreignKeyProblems().first {
                throw CredfolioError(.database, "migration \(applied.last ?? "") leaves a broken reference: \(broken)")
            }
            if !applied.isEmpty {
                try database.execute(script: "PRAGMA application_id = \(Store.applicationID)")
            }
            return applied
        }
    }

    public static func version(of database: Database) throws -> Int {
        try database.scalar(Int.self, "PRAGMA user_version") ?? 0
    }
}
