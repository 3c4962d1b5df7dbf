extension CompiledStack {
    /// The assignment behind ``evaluate(_:catalog:budget:)`` as a mixed
    /// 0-1 program, for when the exact search runs out of states: so that
    /// a percent is never an estimate.
    ///
    /// Maximise v_root, where a node's value v_n ∈ [0, 1] is:
    /// - a credential leaf: z_leaf ∈ {0,1}, when its credential is held (0
    ///   otherwise), with Σ z_leaf ≤ 1 over a credential's leaves unless the
    ///   stack is shared;
    /// - a skill, hours or credits leaf: its value, which consumes nothing;
    /// - `all`: the mean of its children;
    /// - `choose N`: (Σ s_child) / N, with s_child ≤ v_child, s_child ≤ y_child,
    ///   y_child ∈ {0,1} and Σ y_child ≤ N: the N largest children.
    func assignmentProgram(_ held: HeldSet, base: [Double]) -> (program: LinearProgram, pick: [Int: Int]) {
        var program = LinearProgram()
        var value: [Int] = []
        var pick: [Int: Int] = [:]  // leaf → its z column
        for (id, node) in nodes.enumerated() {
            let fixed: Double?
            switch node.kind {
            case .credential(let i): fixed = held.contains(i) ? nil : 0
            case .skill, .hours, .credits: fixed = base[id]
            case .all, .choose: fixed = nil
            }
            let isLeaf = node.children.isEmpty
            value.append(program.addColumn("v\(id)", meaning: "value of " + node.label, lower: fixed ?? 0, upper: fixed ?? 1,
                                           objective: id == root ? -1 : 0, isInteger: isLeaf && fixed == nil))
            if case .credential = node.kind, fixed == nil { pick[id] = value[id] }
        }
        for (id, node) in nodes.enumerated() {
            switch node.kind {
            case .all:
                let k = Double(node.children.count)
                program.addRow("all\(id)", [(value[id], k)] + node.children.map { (value[$0], -1) }, lower: 0, upper: 0)
            case .choose(let n):
                var sum: [(column: Int, coefficient: Double)] = [(value[id], Double(n))]
                var picks: [(column: Int, coefficient: Double)] = []
                for child in node.children {
                    let s = program.addColumn("s\(id)_\(child)", meaning: "share of a chosen child", lower: 0, upper: 1,
                                              objective: 0, isInteger: false)
                    let y = program.addBinary("y\(id)_\(child)", meaning: "child chosen")
                    program.addRow("s_le_v\(id)_\(child)", [(s, 1), (value[child], -1)], upper: 0)
                    program.addRow("s_le_y\(id)_\(child)", [(s, 1), (y, -1)], upper: 0)
                    sum.append((s, -1))
                    picks.append((y, 1))
                }
                program.addRow("choose\(id)", sum, lower: 0, upper: 0)
                program.addRow("picks\(id)", picks, upper: Double(n))
            default:
                break
            }
        }
        if !shared {
            for (_, leaves) in credentialLeafGroups {
                let terms = leaves.compactMap { pick[$0] }.map { (column: $0, coefficient: 1.0) }
                if terms.count > 1 { program.addRow("once\(leaves[0])", terms, upper: 1) }
            }
        }
        return (program, pick)
    }

    /// The exact evaluation by `solver`, or nil when it could not prove one.
    func evaluateBySolving(_ held: HeldSet, base: [Double], solver: any MILPSolver) -> Evaluation? {
        let (program, pick) = assignmentProgram(held, base: base)
        guard let solution = try? solver.solve(program, seconds: 60), solution.status == .optimal else { return nil }
        var assignment = [Int](repeating: -1, count: nodes.count)
        for (leaf, column) in pick where solution.values[column] > 0.5 {
            if case .credential(let i) = nodes[leaf].kind { assignment[leaf] = i }
        }
        // Recompute every value from the assignment found, as the search does.
        var values = base
        for leaf in pick.keys { values[leaf] = assignment[leaf] >= 0 ? 1 : 0 }
        for (id, node) in nodes.enumerated() {
            if case .credential(let i) = node.kind, !held.contains(i) { values[id] = 0 }
        }
        var scratch: [Double] = []
        let root = propagate(&values, scratch: &scratch)
        return Evaluation(value: root, nodeValues: values, assigned: assignment, exact: true)
    }
}
