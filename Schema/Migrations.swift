/// The schema migrations, in the order they apply. Each is the UTF-8 text of
/// one `Schema/sqlite/vNNNN_*.sql` file, embedded in the binary at build time so that
/// the executable needs no resource files at run time.
///
/// Migration `n` (1-based) brings the database to `PRAGMA user_version = n`.
/// A shipped migration never changes; add the next file and append it here.
public enum SchemaMigrations {
    public static let all: [(version: Int, name: String, sql: [UInt8])] = [
        (1, "v0001_initial", PackageResources.v0001_initial_sql),
        (2, "v0002_badges", PackageResources.v0002_badges_sql),
        (3, "v0003_goals", PackageResources.v0003_goals_sql),
        (4, "v0004_issuer_keys", PackageResources.v0004_issuer_keys_sql),
        (5, "v0005_unknown_measures", PackageResources.v0005_unknown_measures_sql),
        (6, "v0006_ctdl_catalog", PackageResources.v0006_ctdl_catalog_sql),
        (7, "v0007_registry_ctid", PackageResources.v0007_registry_ctid_sql),
    ]

    /// PostgreSQL's migrations (`Schema/postgres/pNNNN_*.sql`), in order:
    /// migration `n` is recorded as version `n` in the database's
    /// `credfolio_migration` table. The first holds SQLite's schema 7 in
    /// PostgreSQL's own types.
    public static let postgres: [(version: Int, name: String, sql: [UInt8])] = [
        (1, "p0001_initial", PackageResources.p0001_initial_sql),
    ]

    /// The team's roles, grants and row-level security on PostgreSQL
    /// (`Schema/postgres/team.sql`), which `credfolio team init` runs.
    public static let postgresTeam: [UInt8] = PackageResources.team_sql
}
