/// How far a set of held credentials goes toward one stack.
public struct Evaluation: Sendable {
    /// The root value in [0, 1].
    public let value: Double
    /// Every node's value, indexed like ``CompiledStack/nodes``.
    public let nodeValues: [Double]
    /// For each satisfied credential leaf, the catalog index that satisfies it.
    public let assignment: [Int: Int]
    /// False only if the assignment search hit its budget.
    public let exact: Bool

    public static let epsilon = 1e-9
    public var complete: Bool { value >= 1 - Evaluation.epsilon }
    public var percent: Double { value * 100 }
    public func isMet(_ node: Int) -> Bool { nodeValues[node] >= 1 - Evaluation.epsilon }
}

extension CompiledStack {
    /// The amount (hours or credits) that `node`, an hours or credits leaf,
    /// counts from `held`, and the credentials that contributed.
    public func amount(of node: Int, held: HeldSet, catalog: Catalog) -> (total: Double, from: [Int]) {
        var total = 0.0
        var contributors: [Int] = []
        func add(_ i: Int) {
            let c = catalog[i]
            let value: Double
            switch nodes[node].kind {
            case .hours: value = Double(c.hours)
            case .credits(_, let unit, _): value = c.creditUnit == unit ? (c.credits ?? 0) : 0
            default: value = 0
            }
            if value > 0 {
                total += value
                contributors.append(i)
            }
        }
        switch nodes[node].kind {
        case .hours(_, let from), .credits(_, _, let from):
            if let from {
                for i in Set(from).sorted() where held.contains(i) { add(i) }
            } else {
                for i in held.members { add(i) }
            }
        default: break
        }
        return (total, contributors)
    }

    /// The value of every leaf that consumes nothing (skills, hours,
    /// credits); credential leaves are 0 here.
    func baseLeafValues(_ held: HeldSet, catalog: Catalog) -> [Double] {
        var values = [Double](repeating: 0, count: nodes.count)
        for (id, node) in nodes.enumerated() {
            switch node.kind {
            case .skill(_, let teachers):
                values[id] = teachers.contains(where: held.contains) ? 1 : 0
            case .hours(let threshold, _), .credits(let threshold, _, _):
                values[id] = min(1, amount(of: id, held: held, catalog: catalog).total / threshold)
            default:
                break
            }
        }
        return values
    }

    /// Fills in group values bottom-up (children always follow their
    /// parent in `nodes`) and returns the root's.
    func propagate(_ values: inout [Double], scratch: inout [Double]) -> Double {
        for id in nodes.indices.reversed() {
            let node = nodes[id]
            switch node.kind {
            case .all:
                var sum = 0.0
                for child in node.children { sum += values[child] }
                values[id] = sum / Double(node.children.count)
            case .choose(let n):
                scratch.removeAll(keepingCapacity: true)
                for child in node.children { scratch.append(values[child]) }
                scratch.sort(by: >)
                var sum = 0.0
                for k in 0..<n { sum += scratch[k] }
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
    /// Those are searched depth first with branch and bound: the bound gives
    /// every undecided credential to all its leaves at once, which can only
    /// overestimate, since every group is monotone in its children.
    public func evaluate(_ held: HeldSet, catalog: Catalog, budget: Int = 200_000) -> Evaluation {
        var values = baseLeafValues(held, catalog: catalog)
        var assignment: [Int: Int] = [:]
        var choices: [(credential: Int, leaves: [Int])] = []
        for (credential, leaves) in leavesByCredential.sorted(by: { $0.key < $1.key }) where held.contains(credential) {
            if shared || leaves.count == 1 {
                for leaf in leaves {
                    values[leaf] = 1
                    assignment[leaf] = credential
                }
            } else {
                choices.append((credential, leaves))
            }
        }
        var scratch: [Double] = []
        if choices.isEmpty {
            let value = propagate(&values, scratch: &scratch)
            return Evaluation(value: value, nodeValues: values, assignment: assignment, exact: true)
        }

        // Undecided: all of a credential's leaves at 1 (the optimistic bound).
        for choice in choices { for leaf in choice.leaves { values[leaf] = 1 } }
        var bestValue = -1.0
        var bestPicks: [Int] = []
        var picks = [Int](repeating: -1, count: choices.count)
        var work = 0
        var exact = true

        func search(_ k: Int) {
            if k == choices.count {
                let value = propagate(&values, scratch: &scratch)
                if value > bestValue + Evaluation.epsilon {
                    bestValue = value
                    bestPicks = picks
                }
                return
            }
            let leaves = choices[k].leaves
            // Try each leaf, best bound first.
            var options: [(leaf: Int, bound: Double)] = []
            for leaf in leaves {
                for other in leaves where other != leaf { values[other] = 0 }
                values[leaf] = 1
                options.append((leaf, propagate(&values, scratch: &scratch)))
            }
            options.sort { $0.bound > $1.bound || ($0.bound == $1.bound && $0.leaf < $1.leaf) }
            for option in options {
                work += 1
                if work > budget { exact = false; break }
                if option.bound <= bestValue + Evaluation.epsilon { break }
                for other in leaves { values[other] = other == option.leaf ? 1 : 0 }
                picks[k] = option.leaf
                search(k + 1)
                if bestValue >= 1 - Evaluation.epsilon { break }
            }
            for leaf in leaves { values[leaf] = 1 }
        }
        search(0)
        if bestPicks.isEmpty { bestPicks = choices.map { $0.leaves[0] } }

        for (k, choice) in choices.enumerated() {
            for leaf in choice.leaves { values[leaf] = leaf == bestPicks[k] ? 1 : 0 }
            assignment[bestPicks[k]] = choice.credential
        }
        let value = propagate(&values, scratch: &scratch)
        return Evaluation(value: value, nodeValues: values, assignment: assignment, exact: exact)
    }
}
