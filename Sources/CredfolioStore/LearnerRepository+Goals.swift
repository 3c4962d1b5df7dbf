import CredfolioSQL
public import CredfolioCore

extension LearnerRepository {
    /// The learner's goals, by stack code.
    public func goals(of learner: Learner) throws -> [LearnerGoal] {
        try db.fetch(
            """
            SELECT s.code, g.target_date FROM learner_goal g JOIN stack s ON s.id = g.stack_id
            WHERE g.learner_id = ? ORDER BY s.code
            """, [.integer(learner.id!)]) { LearnerGoal(stack: $0.string(0), target: $0.optionalDay(1)) }
    }

    /// Every learner's goals, by learner id: what the reports read once.
    public func goalsByLearner() throws -> [Int64: [LearnerGoal]] {
        var out: [Int64: [LearnerGoal]] = [:]
        try db.forEachRow(
            "SELECT g.learner_id, s.code, g.target_date FROM learner_goal g JOIN stack s ON s.id = g.stack_id ORDER BY s.code"
        ) { out[$0.int64(0), default: []].append(LearnerGoal(stack: $0.string(1), target: $0.optionalDay(2))) }
        return out
    }

    /// Adds (or re-dates) a goal.
    /// Sets the learner's goal on the stack; returns the goal it replaced, if any.
    @discardableResult
    public func addGoal(_ handle: String, _ goal: LearnerGoal) throws -> LearnerGoal? {
        let learner = try get(handle)
        let stackID = try StackRepository(db).id(of: goal.stack)
        let previous = try db.fetch("SELECT target_date FROM learner_goal WHERE learner_id = ? AND stack_id = ?",
                                    [.integer(learner.id!), .integer(stackID)]) { LearnerGoal(stack: goal.stack, target: $0.optionalDay(0)) }
        try db.execute(
            """
            INSERT INTO learner_goal (learner_id, stack_id, target_date) VALUES (?, ?, ?)
            ON CONFLICT (learner_id, stack_id) DO UPDATE SET target_date = excluded.target_date
            """, learner.id!, stackID, goal.target)
        return previous.first
    }

    public func removeGoal(_ handle: String, _ stack: String) throws {
        let learner = try get(handle)
        let stackID = try StackRepository(db).id(of: stack)
        let removed = try db.execute("DELETE FROM learner_goal WHERE learner_id = ? AND stack_id = ?", learner.id!, stackID)
        guard removed == 1 else { throw CredfolioError.notFound("learner \(handle) has no goal \(Field.quoted(stack))") }
    }

    /// Replaces the learner's goals (the learners CSV's `goals` column).
    func setGoals(_ id: Int64, _ goals: [LearnerGoal]) throws {
        try db.execute("DELETE FROM learner_goal WHERE learner_id = ?", id)
        for goal in goals {
            let stackID = try StackRepository(db).id(of: goal.stack)
            try db.execute(
                """
                INSERT INTO learner_goal (learner_id, stack_id, target_date) VALUES (?, ?, ?)
                ON CONFLICT (learner_id, stack_id) DO UPDATE SET target_date = excluded.target_date
                """, id, stackID, goal.target)
        }
    }
}

extension StackRepository {
    func id(of code: String) throws -> Int64 {
        guard let id = try db.scalar(Int64.self, "SELECT id FROM stack WHERE code = ?", code) else {
            throw db.notFound("stack", code, table: "stack", column: "code")
        }
        return id
    }
}
