import CredfolioCore

/// One learner's progress toward one stack, ready to show: the evaluation
/// of what they hold, the projection with their unfinished awards, and
/// what is missing.
public struct StackProgress {
    public let stack: CompiledStack
    public let current: Evaluation
    public let projected: Evaluation
    public let held: HeldSet

    public var code: String { stack.definition.code }
    public var percent: Double { current.percent }
    public var projectedPercent: Double { projected.percent }
    public var complete: Bool { current.complete }

    /// Requirements are the root group's children (N of them for a root
    /// `choose N`; one when the root is a single requirement), met when
    /// their value is 1.
    public var requirementsTotal: Int {
        let root = stack.nodes[stack.root]
        if case .choose(let n) = root.kind { return n }
        return max(1, root.children.count)
    }

    public var requirementsMet: Int {
        let root = stack.nodes[stack.root]
        if root.children.isEmpty { return current.isMet(stack.root) ? 1 : 0 }
        return min(requirementsTotal, root.children.filter(current.isMet).count)
    }

    /// What is still missing, as codes: a credential's code, `skill:CODE`,
    /// `hours:N` or `credits:N:UNIT` (N still to earn). Alternatives under
    /// an unfinished `choose` are all listed; nothing under a met group is.
    /// Never empty for an incomplete stack: one that can never be complete
    /// (a credential required twice in a stack that is not shared) lists
    /// `again:CODE` for each credential it requires more than once.
    public func missing(catalog: Catalog) -> [String] {
        var out: [String] = []
        func visit(_ id: Int) {
            guard !current.isMet(id) else { return }
            let node = stack.nodes[id]
            var item: String?
            switch node.kind {
            case .credential(let i):
                // A held credential counted elsewhere cannot be earned twice.
                item = held.contains(i) ? nil : stack.leafCodes[id]
            case .skill: item = stack.leafCodes[id]
            case .hours(let threshold, _):
                let have = stack.amount(of: id, held: held, catalog: catalog).total
                item = "hours:" + NumberText.plain(threshold - have)
            case .credits(let threshold, let unit, _):
                let have = stack.amount(of: id, held: held, catalog: catalog).total
                item = "credits:" + NumberText.plain(threshold - have) + ":" + unit
            case .all, .choose:
                node.children.forEach(visit)
            }
            if let item, !out.contains(item) { out.append(item) }
        }
        visit(stack.root)
        if out.isEmpty && !current.complete {
            // Only a stack that can never be complete gets here: its unmet
            // leaves name credentials already held and counted elsewhere.
            out = stack.repeatedCredentials(catalog: catalog).map { "again:" + $0 }
            if out.isEmpty { out = ["unsatisfiable"] }
        }
        return out
    }

    /// A person's account of one node: which credentials met it, or how
    /// far along it is.
    public func detail(_ id: Int, catalog: Catalog) -> (satisfiedBy: [String], text: String) {
        let node = stack.nodes[id]
        var ancestor = node.parent
        var settled = false
        while let a = ancestor, !settled {
            settled = current.isMet(a)
            ancestor = stack.nodes[a].parent
        }
        switch node.kind {
        case .credential(let i):
            if let by = current.assignment(of: id) { return ([catalog.codes[by]], "met by \(catalog.codes[by])") }
            if settled { return ([], "not needed") }
            return ([], held.contains(i) ? "held, but counted for another requirement" : "missing")
        case .skill(_, let teachers):
            let by = teachers.filter(held.contains).map { catalog.codes[$0] }
            return (by, by.isEmpty ? "missing: no held credential teaches it" : "taught by " + by.joined(separator: ", "))
        case .hours(let threshold, _), .credits(let threshold, _, _):
            let (total, from) = stack.amount(of: id, held: held, catalog: catalog)
            let codes = from.map { catalog.codes[$0] }
            let unit: String
            if case .credits(_, let u, _) = node.kind { unit = u + " credits" } else { unit = "hours" }
            return (codes, "\(NumberText.plain(total)) of \(NumberText.plain(threshold)) \(unit)"
                        + (codes.isEmpty ? "" : " (" + codes.joined(separator: ", ") + ")"))
        case .all, .choose:
            let met = node.children.filter(current.isMet).count
            let need: Int
            if case .choose(let n) = node.kind { need = n } else { need = node.children.count }
            return ([], "\(min(met, need)) of \(need) met")
        }
    }
}

extension CompiledStack {
    /// Progress for a learner: `held` now, `projected` with unfinished awards.
    public func progress(held: HeldSet, projected: HeldSet, catalog: Catalog) -> StackProgress {
        let current = evaluate(held, catalog: catalog)
        // Most learners have nothing unfinished: the projection is the same.
        return StackProgress(stack: self, current: current,
                             projected: projected == held ? current : evaluate(projected, catalog: catalog), held: held)
    }
}
