/// How far a set of held credentials goes toward one stack.
public struct Evaluation: Sendable {
    /// The root value in [0, 1].
    public let value: Double
    /// Every node's value, indexed like ``CompiledStack/nodes``.
    public let nodeValues: [Double]
    /// Per node, the catalog index assigned to it (-1 for none).
    let assigned: [Int]
    /// False only if the assignment search hit its budget.
    public let exact: Bool

    public static let epsilon = 1e-9
    public var complete: Bool { value >= 1 - Evaluation.epsilon }
    public var percent: Double { value * 100 }
    public func isMet(_ node: Int) -> Bool { nodeValues[node] >= 1 - Evaluation.epsilon }

    /// The catalog index that satisfies credential leaf `node`, if any.
    public func assignment(of node: Int) -> Int? {
        assigned[node] >= 0 ? assigned[node] : nil
    }
}

extension CompiledStack {
    /// The amount (hours or credits) that `node`, an hours or credits leaf,
    /// counts from `held`, and the credentials that contributed.
    public func amount(of node: Int, held: HeldSet, catalog: Catalog) -> (total: Double, from: [Int]) {
        var total = 0.0
        var contributors: [Int] = []
        forEachContribution(to: node, held: held, catalog: catalog) { i, amount in
            total += amount
            contributors.append(i)
        }
        return (total, contributors)
    }

    /// The total alone of ``amount(of:held:catalog:)``, summed in the same
    /// order (so the same to the last bit), without the list of contributors.
    public func total(of node: Int, held: HeldSet, catalog: Catalog) -> Double {
        var total = 0.0
        forEachContribution(to: node, held: held, catalog: catalog) { total += $1 }
        return total
    }

    /// Calls `body` with each credential of `held` that adds to `node`, an
    /// hours or credits leaf, and what it adds, in catalog order (a `from`
    /// list counts each credential once), as ``amount(of:held:catalog:)`` lists them.
    public func forEachContribution(to node: Int, held: HeldSet, catalog: Catalog, _ body: (Int, Double) -> Void) {
        guard let leaf = amountLeaves.first(where: { $0.node == node }) else { return }
        if let contributions = leaf.contributions {
            for (i, amount) in contributions where held.contains(i) { body(i, amount) }
        } else {
            held.forEachMember { i in
                let amount = CompiledStack.amount(of: i, unit: leaf.unit, catalog: catalog)
                if amount > 0 { body(i, amount) }
            }
        }
    }

    /// The total a leaf that counts any credential sees in `members`.
    func unrestrictedTotal(_ leaf: AmountLeaf, members: [Int], catalog: Catalog) -> Double {
        var total = 0.0
        for i in members { total += CompiledStack.amount(of: i, unit: leaf.unit, catalog: catalog) }
        return total
    }

    /// The value of every leaf that consumes nothing (skills, hours,
    /// credits); credential leaves are 0 here.
    func baseLeafValues(_ held: HeldSet, catalog: Catalog) -> [Double] {
        var values = [Double](repeating: 0, count: nodes.count)
        for (node, teachers) in skillLeaves {
            for t in teachers where held.contains(t) {
                values[node] = 1
                break
            }
        }
        var members: [Int]?
        for leaf in amountLeaves {
            var total = 0.0
            if let contributions = leaf.contributions {
                for (i, amount) in contributions where held.contains(i) { total += amount }
            } else {
                if members == nil { members = held.members }
                total = unrestrictedTotal(leaf, members: members!, catalog: catalog)
            }
            values[leaf.node] = min(1, total / leaf.threshold)
        }
        return values
    }

    /// Fills in group values bottom-up (children always follow their
    /// parent in `nodes`) and returns the root's.
    func propagate(_ values: inout [Double], scratch: inout [Double]) -> Double {
        for id in nodes.indices.reversed() {
            // The node's kind and children read in place: a copy of the node would retain its label and the rest.
            switch nodes[id].kind {
            case .all:
                let children = nodes[id].children
                var sum = 0.0
                for child in children { sum += values[child] }
                values[id] = sum / Double(children.count)
            case .choose(let n):
                let children = nodes[id].children
                var sum = 0.0
                if n == children.count {
                    for child in children { sum += values[child] }
                } else if n == 1 {
                    for child in children { sum = max(sum, values[child]) }
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    scratch.reserveCapacity(children.count)
                    for child in children { scratch.append(values[child]) }
                    scratch.sort(by: >)
                    for k in 0..<n { sum += scratch[k] }
                }
                values[id] = sum / Double(n)
            default:
                break
            }
        }
        return values[root]
    }

    /// Evaluates the stack for `held`: each held credential is assigned to
    /// at most one credential leaf (unless the stack is shared), choosing the
    /// assignment that maximises the root value.
    ///
    /// Only held credentials named by two or more leaves leave a choice.
    /// Those are decided one after another by dynamic programming with
    /// memoisation: every group's value is symmetric in its children, so
    /// what the undecided credentials can still add depends only on how
    /// many contested leaves are already met under each parent, not on
    /// which. Each such state is solved once. Where a state's optimistic
    /// bound (every undecided credential given to all its leaves at once)
    /// cannot beat the best found, it is not explored.
    public func evaluate(_ held: HeldSet, catalog: Catalog, budget: Int = 200_000) -> Evaluation {
        evaluate(base: baseLeafValues(held, catalog: catalog), held: held, budget: budget)
    }

    /// True unless the tree can never be complete, whatever the learner
    /// holds: in a stack that is not shared, one credential named by more
    /// leaves than any choice of them can avoid (`all[csm, csm]`). Every
    /// credential is taken as held, and every skill, hours and credits
    /// requirement as met; a search that stops at its budget counts as
    /// possible, so this never refuses a stack it could not decide.
    public var canEverComplete: Bool {
        var base = [Double](repeating: 0, count: nodes.count)
        var held = HeldSet(capacity: (leavesByCredential.keys.max() ?? 0) + 1)
        for (id, node) in nodes.enumerated() {
            switch node.kind {
            case .skill, .hours, .credits: base[id] = 1
            case .credential(let i): held.insert(i)
            case .all, .choose: break
            }
        }
        let result = evaluate(base: base, held: held, budget: 200_000)
        return result.complete || !result.exact
    }

    /// The credentials that name more than one leaf, by code: what makes a
    /// stack that ``canEverComplete`` rejects impossible.
    public func repeatedCredentials(catalog: Catalog) -> [String] {
        leavesByCredential.filter { $0.value.count > 1 }.keys.map { catalog.codes[$0] }.sorted()
    }

    func evaluate(base: consuming [Double], held: HeldSet, budget: Int) -> Evaluation {
        var choices: [(credential: Int, leaves: [Int])] = []
        for (credential, leaves) in credentialLeafGroups where held.contains(credential) && !shared && leaves.count > 1 {
            choices.append((credential, leaves))
        }
        var assignment = [Int](repeating: -1, count: nodes.count)
        var scratch: [Double] = []
        // The base becomes the values themselves, moved, not copied; only a
        // search that may need the solver keeps the base apart.
        var values = consume base
        let base = choices.isEmpty ? [] : values
        // Uncontested credentials settle their leaves.
        for (credential, leaves) in credentialLeafGroups where held.contains(credential) && (shared || leaves.count == 1) {
            for leaf in leaves {
                values[leaf] = 1
                assignment[leaf] = credential
            }
        }
        if choices.isEmpty {
            let value = propagate(&values, scratch: &scratch)
            return Evaluation(value: value, nodeValues: values, assigned: assignment, exact: true)
        }
        var search = AssignmentSearch(stack: self, choices: choices, values: values, budget: budget)
        let picks = search.solve()
        if !search.exact, let fallback, let solved = evaluateBySolving(held, base: base, solver: fallback) {
            return solved
        }
        for (k, choice) in choices.enumerated() {
            for leaf in choice.leaves { values[leaf] = leaf == picks[k] ? 1 : 0 }
            assignment[picks[k]] = choice.credential
        }
        let value = propagate(&values, scratch: &scratch)
        return Evaluation(value: value, nodeValues: values, assigned: assignment, exact: search.exact)
    }
}

/// The exact search behind ``CompiledStack/evaluate(_:catalog:budget:)``.
struct AssignmentSearch {
    let stack: CompiledStack
    let choices: [(credential: Int, leaves: [Int])]
    /// Leaf values: fixed ones set, contested ones 1 while undecided.
    var values: [Double]
    let budget: Int
    var scratch: [Double] = []
    /// For each contested leaf, the slot of its parent in `counts`.
    var parentSlot: [Int: Int] = [:]
    var counts: [Int]
    /// Best root value reachable from a state, and the leaf picked there.
    var memo: [[Int]: (value: Double, pick: Int)] = [:]
    var work = 0
    var exact = true

    init(stack: CompiledStack, choices: [(credential: Int, leaves: [Int])], values: [Double], budget: Int) {
        self.stack = stack
        self.choices = choices
        self.values = values
        self.budget = budget
        var slots: [Int: Int] = [:]
        for choice in choices {
            for leaf in choice.leaves {
                let parent = stack.nodes[leaf].parent ?? -1
                if slots[parent] == nil { slots[parent] = slots.count }
                parentSlot[leaf] = slots[parent]
            }
        }
        counts = Array(repeating: 0, count: slots.count)
        for choice in choices { for leaf in choice.leaves { self.values[leaf] = 1 } }
    }

    /// The leaf each contested credential goes to.
    mutating func solve() -> [Int] {
        _ = best(0, floor: -1)
        // Replay the memoised choices from the start.
        var picks: [Int] = []
        counts = counts.map { _ in 0 }
        for k in choices.indices {
            let pick = memo[[k] + counts]?.pick ?? choices[k].leaves[0]
            picks.append(pick)
            counts[parentSlot[pick]!] += 1
        }
        return picks
    }

    /// The best root value from deciding credentials `k...`, given the
    /// decisions so far (in `values` and `counts`). States whose optimistic
    /// bound is at most `floor` are cut off (and not memoised).
    private mutating func best(_ k: Int, floor: Double) -> Double {
        if k == choices.count { return stack.propagate(&values, scratch: &scratch) }
        let key = [k] + counts
        if let known = memo[key] { return known.value }
        work += 1
        if work > budget {
            exact = false
            return stack.propagate(&values, scratch: &scratch)
        }
        let leaves = choices[k].leaves
        // Order the options by their optimistic bound, best first.
        var options: [(leaf: Int, bound: Double)] = []
        for leaf in leaves {
            for other in leaves { values[other] = other == leaf ? 1 : 0 }
            options.append((leaf, stack.propagate(&values, scratch: &scratch)))
        }
        options.sort { $0.bound > $1.bound || ($0.bound == $1.bound && $0.leaf < $1.leaf) }
        var bestValue = -1.0, bestLeaf = options[0].leaf
        var complete = true
        for option in options {
            if option.bound <= max(bestValue, floor) + Evaluation.epsilon {
                complete = false
                break
            }
            for other in leaves { values[other] = other == option.leaf ? 1 : 0 }
            counts[parentSlot[option.leaf]!] += 1
            let value = best(k + 1, floor: max(bestValue, floor))
            counts[parentSlot[option.leaf]!] -= 1
            if value > bestValue + Evaluation.epsilon {
                bestValue = value
                bestLeaf = option.leaf
            }
            if bestValue >= 1 - Evaluation.epsilon { break }
        }
        for leaf in leaves { values[leaf] = 1 }
        // A state cut short by the floor is only a lower bound: keep the
        // pick (it is the best seen) but let a later visit search it again.
        if complete || bestValue >= 1 - Evaluation.epsilon || bestValue > floor {
            memo[key] = (bestValue, bestLeaf)
        }
        return bestValue
    }
}
