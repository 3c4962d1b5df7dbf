public import CredfolioSQL
public import CredfolioCore

/// Skills: what credentials teach and what stacks may require.
public struct SkillRepository {
    let db: any SQLConnection
    public init(_ db: any SQLConnection) { self.db = db }

    static let select = "SELECT id, code, name, category, framework, framework_id FROM skill"

    static func read(_ row: any SQLRow) -> Skill {
        Skill(id: row.int64(0), code: row.string(1), name: row.string(2), category: row.optionalString(3),
              framework: row.optionalString(4), frameworkID: row.optionalString(5))
    }

    public func find(_ code: String) throws -> Skill? {
        try db.first(Self.select + " WHERE code = ?", [.text(Slug.composed(code))], Self.read)
    }

    public func get(_ code: String) throws -> Skill {
        guard let skill = try find(code) else { throw db.notFound("skill", code, table: "skill", column: "code") }
        return skill
    }

    public func list(category: String? = nil) throws -> [Skill] {
        if let category {
            return try db.fetch(Self.select + " WHERE category = ? ORDER BY code", [.text(category)], row: Self.read)
        }
        return try db.fetch(Self.select + " ORDER BY code", row: Self.read)
    }

    @discardableResult
    public func add(_ skill: Skill) throws -> Skill {
        let skill = try skill.validated()
        if try find(skill.code) != nil { throw CredfolioError.conflict("skill \(skill.code) already exists") }
        return try insert(skill)
    }

    /// Stores a validated skill whose code is known to be free.
    func insert(_ skill: Skill) throws -> Skill {
        var skill = skill
        skill.id = try db.scalar(
            Int64.self, "INSERT INTO skill (code, name, category, framework, framework_id) VALUES (?, ?, ?, ?, ?) RETURNING id",
            skill.code, skill.name, skill.category, skill.framework, skill.frameworkID)
        return skill
    }

    public func update(_ skill: Skill) throws {
        let skill = try skill.validated()
        guard let id = skill.id else { throw CredfolioError.notFound("skill \(skill.code) has no id") }
        if let other = try find(skill.code), other.id != id {
            throw CredfolioError.conflict("skill \(skill.code) already exists")
        }
        try db.execute(
            "UPDATE skill SET code = ?, name = ?, category = ?, framework = ?, framework_id = ? WHERE id = ?",
            skill.code, skill.name, skill.category, skill.framework, skill.frameworkID, id)
    }

    /// Removes the skill. Stacks that require it always block; credentials
    /// that teach it block unless `force`, which drops it from them.
    public func remove(_ code: String, force: Bool) throws {
        let skill = try get(code)
        let stacks = try db.fetch(
            "SELECT s.code FROM stack_skill x JOIN stack s ON s.id = x.stack_id WHERE x.skill_id = ? ORDER BY s.code",
            [.integer(skill.id!)]) { $0.string(0) }
        if !stacks.isEmpty {
            throw CredfolioError.conflict(
                "skill \(code) is required by stack \(stacks.joined(separator: ", ")); change or remove the stack first")
        }
        let teaching = try db.fetch(
            "SELECT c.code FROM credential_skill x JOIN credential c ON c.id = x.credential_id WHERE x.skill_id = ? ORDER BY c.code",
            [.integer(skill.id!)]) { $0.string(0) }
        if !teaching.isEmpty && !force {
            throw CredfolioError.conflict(
                "skill \(code) is taught by credential \(Self.summarize(teaching)); use --force to remove it from them")
        }
        try db.execute("DELETE FROM skill WHERE id = ?", skill.id)
    }

    static func summarize(_ codes: [String]) -> String {
        codes.count <= 5 ? codes.joined(separator: ", ")
            : codes.prefix(5).joined(separator: ", ") + " and \(codes.count - 5) more"
    }

    public func idsByCode() throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        try db.forEachRow("SELECT code, id FROM skill") { ids[$0.string(0)] = $0.int64(1) }
        return ids
    }
}
