import CredfolioCore

/// What the next-best plan minimises.
public enum Measure: String, CaseIterable, Sendable {
    case hours, cost, weeks

    func of(_ credential: Credential) -> Int64 {
        switch self {
        case .hours: return credential.hours
        case .cost: return credential.costCents
        case .weeks: return credential.weeks
        }
    }
}

/// The cheapest set of credentials whose addition completes a stack.
public struct Plan: Sendable, Equatable {
    public var completable: Bool
    /// Catalog indices to earn, cheapest first.
    public var credentials: [Int]
    /// The total of the measure over `credentials`.
    public var total: Int64
    /// False when the search stopped at its budget: the plan completes the
    /// stack but a cheaper one may exist.
    public var optimal: Bool
    /// Why the stack cannot be completed, when it cannot.
    public var reason: String?
}

extension CompiledStack {
    /// Finds the set of catalog credentials, not held, with the least total
    /// `measure` whose addition completes the stack.
    ///
    /// The tree is complete exactly when, for some choice of `N` children
    /// under every `choose N` (and all children under `all`), every chosen
    /// leaf is met, with distinct credentials for the credential leaves
    /// unless the stack is shared. So the search runs in two levels, both
    /// exact and both pruned by the best total found so far:
    /// 1. every such choice of leaves: its credential leaves must be earned;
    /// 2. for each, the cheapest additions that meet its skill, hours and
    ///    credits leaves, branching on the first unmet leaf over the
    ///    credentials that would help it, each branch excluding the ones
    ///    before it (so no set is visited twice), bounded below by a
    ///    fractional-knapsack estimate for hours and credits.
    public func plan(held: HeldSet, catalog: Catalog, by measure: Measure, budget: Int = 2_000_000) -> Plan {
        var planner = PlanSearch(stack: self, catalog: catalog, held: held, measure: measure, budget: budget)
        planner.run()
        guard let best = planner.best else {
            return Plan(completable: false, credentials: [], total: 0, optimal: planner.work <= budget,
                        reason: blocker(catalog: catalog, held: held))
        }
        let ordered = best.sorted {
            (measure.of(catalog[$0]), catalog[$0].code) < (measure.of(catalog[$1]), catalog[$1].code)
        }
        return Plan(completable: true, credentials: ordered, total: planner.bestCost, optimal: planner.work <= budget,
                    reason: nil)
    }

    /// The first requirement that no credential in the catalog can meet,
    /// described for a person.
    func blocker(catalog: Catalog, held: HeldSet) -> String {
        var everything = HeldSet(capacity: catalog.count)
        for i in 0..<catalog.count { everything.insert(i) }
        func feasible(_ id: Int) -> String? {
            let node = nodes[id]
            switch node.kind {
            case .credential: return nil
            case .skill(let code, let teachers):
                return teachers.isEmpty ? "skill \(code): no credential in the catalog teaches it" : nil
            case .hours(let threshold, _), .credits(let threshold, _, _):
                let offered = amount(of: id, held: everything, catalog: catalog).total
                return offered + Evaluation.epsilon < threshold
                    ? "\(node.label): the catalog offers only \(NumberText.plain(offered))" : nil
            case .all:
                for child in node.children { if let reason = feasible(child) { return reason } }
                return nil
            case .choose(let n):
                let reasons = node.children.map(feasible)
                let possible = reasons.filter { $0 == nil }.count
                if possible >= n { return nil }
                return "\(node.label): only \(possible) can be met (" + reasons.compactMap { $0 }.joined(separator: "; ") + ")"
            }
        }
        if let reason = feasible(root) { return reason }
        let repeated = leavesByCredential.filter { $0.value.count > 1 }.keys.map { catalog[$0].code }.sorted()
        return "credential \(repeated.joined(separator: ", ")) is required more than once and the stack is not shared, "
            + "so one award cannot meet every requirement"
    }
}

/// The state of one ``CompiledStack/plan(held:catalog:by:budget:)`` search.
struct PlanSearch {
    let stack: CompiledStack
    let catalog: Catalog
    let held: HeldSet
    let measure: Measure
    let budget: Int
    var best: [Int]?
    var bestCost = Int64.max
    var work = 0

    init(stack: CompiledStack, catalog: Catalog, held: HeldSet, measure: Measure, budget: Int) {
        self.stack = stack
        self.catalog = catalog
        self.held = held
        self.measure = measure
        self.budget = budget
    }

    func cost(_ i: Int) -> Int64 { measure.of(catalog[i]) }

    /// Level 1: choose which leaves to meet.
    mutating func run() {
        var credentialLeaves: [Int] = []
        var otherLeaves: [Int] = []
        choose(pending: [stack.root], credentialLeaves: &credentialLeaves, otherLeaves: &otherLeaves)
    }

    private mutating func choose(pending: [Int], credentialLeaves: inout [Int], otherLeaves: inout [Int]) {
        work += 1
        guard work <= budget else { return }
        // The credentials this choice must earn, and their cost so far.
        var required = Set<Int>()
        for i in credentialLeaves where !held.contains(i) { required.insert(i) }
        let requiredCost = required.reduce(Int64(0)) { $0.adding(saturating: cost($1)) }
        if requiredCost >= bestCost && best != nil { return }

        guard let next = pending.last else {
            cover(required: required, requiredCost: requiredCost, needs: otherLeaves)
            return
        }
        var rest = Array(pending.dropLast())
        let node = stack.nodes[next]
        switch node.kind {
        case .credential(let i):
            if !stack.shared && credentialLeaves.contains(i) { return }  // one award, two leaves
            credentialLeaves.append(i)
            choose(pending: rest, credentialLeaves: &credentialLeaves, otherLeaves: &otherLeaves)
            credentialLeaves.removeLast()
        case .skill, .hours, .credits:
            otherLeaves.append(next)
            choose(pending: rest, credentialLeaves: &credentialLeaves, otherLeaves: &otherLeaves)
            otherLeaves.removeLast()
        case .all:
            rest.append(contentsOf: node.children.reversed())
            choose(pending: rest, credentialLeaves: &credentialLeaves, otherLeaves: &otherLeaves)
        case .choose(let n):
            var picked: [Int] = []
            func combinations(from start: Int, _ search: inout PlanSearch) {
                if picked.count == n {
                    search.choose(pending: rest + picked.reversed(), credentialLeaves: &credentialLeaves, otherLeaves: &otherLeaves)
                    return
                }
                let children = node.children
                guard children.count - start >= n - picked.count else { return }
                for k in start..<children.count {
                    picked.append(children[k])
                    combinations(from: k + 1, &search)
                    picked.removeLast()
                    if search.work > search.budget { return }
                }
            }
            combinations(from: 0, &self)
        }
    }

    /// Level 2: the cheapest additions to `held ∪ required` that meet every
    /// skill, hours and credits leaf in `needs`.
    private mutating func cover(required: Set<Int>, requiredCost: Int64, needs: [Int]) {
        var have = held
        for i in required { have.insert(i) }
        var added: [Int] = []
        var forbidden = Set<Int>()
        extend(have: &have, added: &added, spent: requiredCost, forbidden: &forbidden, required: required, needs: needs)
    }

    /// The credentials that would help `need`, given `have`, and how much
    /// each would add to it (1 for a skill).
    private func helpers(_ need: Int, have: HeldSet, forbidden: Set<Int>) -> (deficit: Double, options: [(Int, Double)])? {
        let node = stack.nodes[need]
        switch node.kind {
        case .skill(_, let teachers):
            if teachers.contains(where: have.contains) { return nil }
            return (1, teachers.filter { !forbidden.contains($0) }.map { ($0, 1) })
        case .hours(let threshold, let from), .credits(let threshold, _, let from):
            let total = stack.amount(of: need, held: have, catalog: catalog).total
            if total + Evaluation.epsilon >= threshold { return nil }
            var options: [(Int, Double)] = []
            for i in from.map({ Array(Set($0)) }) ?? Array(0..<catalog.count)
            where !have.contains(i) && !forbidden.contains(i) {
                let c = catalog[i]
                let value: Double
                if case .credits(_, let unit, _) = node.kind {
                    value = c.creditUnit == unit ? (c.credits ?? 0) : 0
                } else {
                    value = Double(c.hours)
                }
                if value > 0 { options.append((i, value)) }
            }
            return (threshold - total, options)
        default:
            return nil
        }
    }

    private mutating func extend(
        have: inout HeldSet, added: inout [Int], spent: Int64, forbidden: inout Set<Int>, required: Set<Int>, needs: [Int]
    ) {
        work += 1
        guard work <= budget else { return }
        // The first unmet need, and a lower bound on what is left to pay.
        var branch: (deficit: Double, options: [(Int, Double)])?
        var bound: Int64 = 0
        for need in needs {
            guard let help = helpers(need, have: have, forbidden: forbidden) else { continue }
            if help.options.isEmpty { return }  // nothing left that could meet it
            if branch == nil { branch = help }
            // Fractional knapsack: the deficit at the best cost per unit.
            let rate = help.options.map { Double(cost($0.0)) / $0.1 }.min() ?? 0
            bound = max(bound, Int64(clampingUp: help.deficit * rate - 1e-6))
        }
        guard let branch else {
            if spent < bestCost {
                bestCost = spent
                best = Array(required) + added
            }
            return
        }
        if best != nil && spent.adding(saturating: bound) >= bestCost { return }
        let options = branch.options.sorted { (cost($0.0), $0.0) < (cost($1.0), $1.0) }
        var excluded: [Int] = []
        for (i, _) in options {
            if best != nil && spent.adding(saturating: cost(i)) >= bestCost { break }
            have.insert(i)
            added.append(i)
            extend(have: &have, added: &added, spent: spent.adding(saturating: cost(i)), forbidden: &forbidden,
                   required: required, needs: needs)
            added.removeLast()
            have.remove(i)
            // Later branches leave this one out: every set holding it was searched.
            forbidden.insert(i)
            excluded.append(i)
            if work > budget { break }
        }
        for i in excluded { forbidden.remove(i) }
    }
}
