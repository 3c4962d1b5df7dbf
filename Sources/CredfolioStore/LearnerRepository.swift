public import CredfolioSQL
public import CredfolioCore

/// Learners: the people whose portfolios the database keeps.
public struct LearnerRepository {
    let db: any SQLConnection
    public init(_ db: any SQLConnection) { self.db = db }

    static let select = "SELECT id, handle, name, email, cohort, notes, created_on, pace FROM learner"

    public static func read(_ row: any SQLRow) throws -> Learner {
        guard let created = Day(iso: row.string(6)) else {
            throw CredfolioError(.database, "learner \(row.string(1)) has the created_on date \(Field.quoted(row.string(6))), outside 0001-01-01...9999-12-31; run credfolio doctor")
        }
        return Learner(id: row.int64(0), handle: row.string(1), name: row.string(2), email: row.optionalString(3),
                       cohort: row.optionalString(4), notes: row.string(5), createdOn: created, pace: row.optionalDouble(7))
    }

    public func find(_ handle: String) throws -> Learner? {
        try db.first(Self.select + " WHERE handle = ?", [.text(Slug.composed(handle))], Self.read)
    }

    public func get(_ handle: String) throws -> Learner {
        guard let learner = try find(handle) else { throw db.notFound("learner", handle, table: "learner", column: "handle") }
        return learner
    }

    /// How many learners `cohort` has (nil: all learners). A cohort is
    /// counted through its index (`?1 IS NULL OR …` would read them all).
    public func count(cohort: String? = nil) throws -> Int {
        guard let cohort else { return try db.scalar(Int.self, "SELECT count(*) FROM learner") ?? 0 }
        return try db.scalar(Int.self, "SELECT count(*) FROM learner WHERE cohort = ?", cohort) ?? 0
    }

    /// Learners by handle, optionally of one cohort.
    public func list(cohort: String? = nil) throws -> [Learner] {
        if let cohort {
            return try db.fetch(Self.select + " WHERE cohort = ? ORDER BY handle", [.text(cohort)], row: Self.read)
        }
        return try db.fetch(Self.select + " ORDER BY handle", row: Self.read)
    }

    @discardableResult
    public func add(_ learner: Learner) throws -> Learner {
        let learner = try learner.validated()
        if try find(learner.handle) != nil {
            throw CredfolioError.conflict("learner \(learner.handle) already exists")
        }
        return try insert(learner)
    }

    /// Stores a validated learner whose handle is known to be free.
    func insert(_ learner: Learner) throws -> Learner {
        var learner = learner
        try checkEmailFree(learner.email, except: nil)
        learner.id = try db.scalar(
            Int64.self, "INSERT INTO learner (handle, name, email, cohort, notes, created_on, pace) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            learner.handle, learner.name, learner.email, learner.cohort, learner.notes, learner.createdOn, learner.pace)
        return learner
    }

    /// Writes every field of `learner` (found by its id), the handle too.
    public func update(_ learner: Learner) throws {
        let learner = try learner.validated()
        guard let id = learner.id else { throw CredfolioError.notFound("learner \(learner.handle) has no id") }
        if let other = try find(learner.handle), other.id != id {
            throw CredfolioError.conflict("learner \(learner.handle) already exists")
        }
        try checkEmailFree(learner.email, except: id)
        try db.execute(
            "UPDATE learner SET handle = ?, name = ?, email = ?, cohort = ?, notes = ?, created_on = ?, pace = ? WHERE id = ?",
            learner.handle, learner.name, learner.email, learner.cohort, learner.notes, learner.createdOn, learner.pace, id)
    }

    func checkEmailFree(_ email: String?, except id: Int64?) throws {
        guard let email else { return }
        let holder = try db.first("SELECT id, handle FROM learner WHERE email = ?", [.text(email)]) { ($0.int64(0), $0.string(1)) }
        if let holder, holder.0 != id {
            throw CredfolioError.conflict("email \(email) is already used by learner \(holder.1)")
        }
    }

    /// Removes the learner. A learner with awards is kept unless `force`,
    /// which removes the awards too; returns how many awards went.
    @discardableResult
    public func remove(_ handle: String, force: Bool) throws -> Int {
        let learner = try get(handle)
        let awards = try db.scalar(Int.self, "SELECT count(*) FROM award WHERE learner_id = ?", learner.id) ?? 0
        if awards > 0 && !force {
            throw CredfolioError.conflict(
                "learner \(handle) has \(NumberText.grouped(awards)) award\(awards == 1 ? "" : "s"); use --force to remove them too")
        }
        try db.transaction {
            try db.execute("DELETE FROM award WHERE learner_id = ?", learner.id)
            try db.execute("DELETE FROM learner WHERE id = ?", learner.id)
        }
        return awards
    }
}

extension LearnerRepository {
    /// The cohorts learners are in, sorted: what a filter that matched nothing could have named.
    public func cohorts() throws -> [String] {
        try db.distinctValues("learner", "cohort")
    }
}
