public import CredfolioSQLite
public import CredfolioSchema

/// Applies the schema migrations a database lacks, in order, in one
/// transaction: a failed migration leaves the database as it was.
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
        return try database.transaction {
            // Another process may have migrated while this one waited.
            let current = try Migrator.version(of: database)
            var applied: [String] = []
            for migration in migrations where migration.version > current {
                try database.execute(script: String(decoding: migration.sql, as: UTF8.self))
                try database.execute(script: "PRAGMA user_version = \(migration.version)")
                applied.append(migration.name)
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
