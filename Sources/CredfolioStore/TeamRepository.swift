public import CredfolioSQL
import CredfolioSchema
import CredfolioCore

/// Who sees which cohorts of a team's PostgreSQL database: the roles and
/// row-level security that `team init` sets up (Schema/postgres/team.sql),
/// and the grants of cohorts to roles. The server enforces them; this only
/// writes them.
public struct TeamRepository {
    let db: any SQLConnection
    public init(_ db: any SQLConnection) { self.db = db }

    /// A cohort granted to a role, and what kind of member of the team the role is.
    public struct Grant: Sendable, Equatable {
        public let role: String
        /// admin, coach, viewer, or none (a role in none of the three groups sees nothing).
        public let kind: String
        public let cohort: String
    }

    private func requirePostgres() throws {
        guard db.engine == .postgres else {
            throw CredfolioError.invalid("team works on a PostgreSQL database (--db postgresql://…); a SQLite file has one user, whoever may open it")
        }
    }

    private func requireTeam() throws {
        try requirePostgres()
        guard try db.scalar(Bool.self, "SELECT to_regclass('credfolio_cohort_grant') IS NOT NULL") == true else {
            throw CredfolioError.invalid("this database has no team yet: run credfolio team init first, as its owner")
        }
    }

    /// Creates the roles when the server lacks them, hands the tables to the
    /// owner role, grants each role its privileges and turns on row-level
    /// security. Running it again changes nothing that is already so.
    public func initialize() throws {
        try requirePostgres()
        try db.execute(script: String(decoding: SchemaMigrations.postgresTeam, as: UTF8.self))
    }

    /// Grants `cohort` to `role`; false when it was granted already.
    @discardableResult
    public func grant(_ role: String, cohort: String) throws -> Bool {
        try requireTeam()
        let cohort = try Field.text(cohort, "cohort", maxBytes: 200)
        guard !cohort.isEmpty else { throw CredfolioError.invalid("--cohort is empty") }
        guard let kind = try kind(of: role) else {
            throw CredfolioError.notFound("no role \(Field.quoted(role)) on the server: CREATE ROLE \(role) LOGIN IN ROLE credfolio_coach (or credfolio_viewer) first")
        }
        guard kind == "coach" || kind == "viewer" else {
            throw CredfolioError.invalid(kind == "admin"
                ? "\(role) is an admin and sees every cohort already"
                : "\(role) is neither a coach nor a viewer: GRANT credfolio_coach (or credfolio_viewer) TO \(role) first")
        }
        return try db.execute("INSERT INTO credfolio_cohort_grant (role, cohort) VALUES (?, ?) ON CONFLICT DO NOTHING", role, cohort) == 1
    }

    /// Takes `cohort` back from `role`.
    public func revoke(_ role: String, cohort: String) throws {
        try requireTeam()
        guard try db.execute("DELETE FROM credfolio_cohort_grant WHERE role = ? AND cohort = ?", role, cohort) == 1 else {
            throw CredfolioError.notFound("\(role) has no grant of cohort \(Field.quoted(cohort))")
        }
    }

    /// Every grant, by role and cohort, with its role's kind (gone: a role dropped since).
    public func grants() throws -> [Grant] {
        try requireTeam()
        return try db.fetch("""
            SELECT g.role, coalesce(\(Self.kind), 'gone'), g.cohort
            FROM credfolio_cohort_grant g LEFT JOIN pg_roles r ON r.rolname = g.role ORDER BY g.role, g.cohort
            """) { Grant(role: $0.string(0), kind: $0.string(1), cohort: $0.string(2)) }
    }

    /// admin, coach, viewer or none, for the role `r` of pg_roles (NULL for no role).
    static let kind = """
        CASE WHEN r.oid IS NULL THEN NULL
             WHEN pg_has_role(r.oid, 'credfolio_admin', 'MEMBER') THEN 'admin'
             WHEN pg_has_role(r.oid, 'credfolio_coach', 'MEMBER') THEN 'coach'
             WHEN pg_has_role(r.oid, 'credfolio_viewer', 'MEMBER') THEN 'viewer'
             ELSE 'none' END
        """

    /// admin, coach, viewer or none for an existing role; nil for none of that name.
    func kind(of role: String) throws -> String? {
        try db.first("SELECT \(Self.kind) FROM pg_roles r WHERE r.rolname = ?", [.text(role)]) { $0.string(0) }
    }
}

extension Store {
    public var team: TeamRepository { TeamRepository(database) }
}
