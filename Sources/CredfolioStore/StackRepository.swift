public import CredfolioSQL
public import CredfolioCore

/// Stacks: stored as the JSON of their requirement tree, with reference
/// tables so that the database refuses to drop what a stack names.
public struct StackRepository {
    let db: any SQLConnection
    public init(_ db: any SQLConnection) { self.db = db }

    static let select = """
        SELECT s.code, s.title, s.issuer, s.description, g.code, s.shared, s.requires
        FROM stack s LEFT JOIN credential g ON g.id = s.grants_credential_id
        """

    static func read(_ row: any SQLRow) throws -> StackDefinition {
        let code = row.string(0)
        let requires: Requirement
        do {
            requires = try StackParser.requirement(try JSONParser.parse(row.string(6)), path: "requires", stack: code)
        } catch {
            throw CredfolioError(.database, "stack \(code) is stored damaged: \(error)")
        }
        return StackDefinition(code: code, title: row.optionalString(1), issuer: row.optionalString(2),
                               description: row.optionalString(3), grants: row.optionalString(4),
                               shared: row.bool(5), requires: requires)
    }

    /// Every stack, by code.
    public func list() throws -> [StackDefinition] {
        try db.fetch(Self.select + " ORDER BY s.code", row: Self.read)
    }

    /// Every stack's code, in order, without reading the stacks (one may be stored damaged).
    public func codes() throws -> [String] {
        try db.fetch("SELECT code FROM stack ORDER BY code") { $0.string(0) }
    }

    public func find(_ code: String) throws -> StackDefinition? {
        try db.first(Self.select + " WHERE s.code = ?", [.text(Slug.composed(code))], Self.read)
    }

    public func get(_ code: String) throws -> StackDefinition {
        guard let stack = try find(code) else { throw db.notFound("stack", code, table: "stack", column: "code") }
        return stack
    }

    /// The credentials and skills of the same database: what stacks name.
    public var credentials: CredentialRepository { CredentialRepository(db) }
    public var skills: SkillRepository { SkillRepository(db) }

    /// Runs `body` in one write transaction on the stacks' database.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try db.transaction(body)
    }

    /// Stores `stacks`, already checked, in one transaction: a stack whose
    /// code is already stored is replaced; one stored the same is counted
    /// unchanged. Their references (credentials, skills, nested stacks) go
    /// into the tables that keep what a stack names from being dropped.
    public func save(_ stacks: [StackDefinition]) throws -> ImportSummary {
        var summary = ImportSummary(kind: "stacks")
        try db.transaction {
            for stack in stacks {
                let existing = try find(stack.code)
                if existing == stack { summary.unchanged += 1; continue }
                let grants = try stack.grants.map { try CredentialRepository(db).get($0).id! }
                let requires = stack.requires.json.serialized(pretty: false)
                if existing != nil {
                    try db.execute(
                        "UPDATE stack SET title = ?, issuer = ?, description = ?, grants_credential_id = ?, shared = ?, requires = ? WHERE code = ?",
                        stack.title, stack.issuer, stack.description, grants, stack.shared, requires, stack.code)
                    summary.updated += 1
                } else {
                    try db.execute(
                        "INSERT INTO stack (code, title, issuer, description, grants_credential_id, shared, requires) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        stack.code, stack.title, stack.issuer, stack.description, grants, stack.shared, requires)
                    summary.inserted += 1
                }
            }
            // References last: stacks in one file may nest each other in any order.
            for stack in stacks { try storeReferences(of: stack) }
        }
        return summary
    }

    private func storeReferences(of stack: StackDefinition) throws {
        guard let id = try db.scalar(Int64.self, "SELECT id FROM stack WHERE code = ?", stack.code) else { return }
        for table in ["stack_credential", "stack_skill", "stack_child"] {
            try db.execute("DELETE FROM \(table) WHERE stack_id = ?", id)
        }
        let refs = stack.requires.references
        for code in refs.credentials.sorted() {
            try db.execute("INSERT INTO stack_credential (stack_id, credential_id) SELECT ?, id FROM credential WHERE code = ?", id, code)
        }
        for code in refs.skills.sorted() {
            try db.execute("INSERT INTO stack_skill (stack_id, skill_id) SELECT ?, id FROM skill WHERE code = ?", id, code)
        }
        for code in refs.stacks.sorted() {
            try db.execute("INSERT INTO stack_child (stack_id, child_stack_id) SELECT ?, id FROM stack WHERE code = ?", id, code)
        }
    }

    /// Removes a stack; refused while another stack nests it.
    /// Removes the stack. Refused while another stack nests it, or while
    /// learners aim at it, unless `force`, which removes those goals too.
    /// Returns how many goals went.
    @discardableResult
    public func remove(_ code: String, force: Bool) throws -> Int {
        _ = try get(code)
        guard let id = try db.scalar(Int64.self, "SELECT id FROM stack WHERE code = ?", code) else {
            throw CredfolioError.notFound("no stack \(code)")
        }
        let parents = try db.fetch(
            """
            SELECT p.code FROM stack_child x JOIN stack p ON p.id = x.stack_id JOIN stack c ON c.id = x.child_stack_id
            WHERE c.code = ? ORDER BY p.code
            """, [.text(code)]) { $0.string(0) }
        if !parents.isEmpty {
            throw CredfolioError.conflict(
                "stack \(code) is nested in stack \(parents.joined(separator: ", ")); change or remove that stack first")
        }
        return try db.transaction {
            let goals = try db.scalar(Int.self, "SELECT count(*) FROM learner_goal WHERE stack_id = ?", id) ?? 0
            if goals > 0 && !force {
                throw CredfolioError.conflict(
                    "stack \(code) is the goal of \(NumberText.grouped(goals)) learner\(goals == 1 ? "" : "s"); use --force to remove those goals too")
            }
            // The goals go with the stack (ON DELETE CASCADE).
            try db.execute("DELETE FROM stack WHERE id = ?", id)
            return goals
        }
    }
}

extension Store {
    public var stacks: StackRepository { StackRepository(database) }
}
