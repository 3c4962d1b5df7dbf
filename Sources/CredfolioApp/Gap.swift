public import CredfolioCore
public import CredfolioEngine

/// One thing a learner lacks for a stack, with what would meet it: the
/// rows of `gap`, and of the HTML portfolio after it.
public struct Gap: Sendable {
    public let requirement: String
    public let kind: String
    public let code: String
    /// Renewals first, then the cheapest (unknown cost or hours after the known).
    public let options: [Credential]
    /// What the learner's record could do for it: renew a lapsed
    /// credential, or finish work under way.
    public var note: String? = nil

    /// What the learner holds but loses before `stack` would be finished,
    /// at their pace (``LapsesBeforeFinish``): one gap a credential, met by
    /// its renewal. Planned only when something the learner holds can lapse.
    public static func renewals(_ stack: CompiledStack, context: LearnerPortfolio, held: HeldSet, solver: any MILPSolver) throws -> [Gap] {
        let catalog = context.catalog
        guard !stack.evaluate(held, catalog: catalog).complete,
              !LapsesBeforeFinish.lapsing(context.facts, catalog: catalog, on: context.day, until: Day.last).isEmpty else { return [] }
        let outcome = try LapsesBeforeFinish.plan(stack, held: held, facts: context.facts, catalog: catalog, on: context.day,
                                                  pace: context.learner.pace, options: PlanOptions(measure: .hours), solver: solver)
        return renewals(outcome.lapsing, catalog: catalog)
    }

    static func renewals(_ lapsing: [Int: Day], catalog: Catalog) -> [Gap] {
        lapsing.sorted { catalog.codes[$0.key] < catalog.codes[$1.key] }.map { credential, lapses in
            Gap(requirement: "credential " + catalog.codes[credential], kind: "credential", code: catalog.codes[credential],
                options: [catalog[credential]], note: "lapses \(lapses), before the finish: renew")
        }
    }

    /// The unmet leaves (none under a met group), with the catalog
    /// credentials not held that would meet each, cheapest first. An
    /// unfinished `choose` whose alternatives are not all needed is one
    /// gap, `K of (A|B)` as in `missing`, with every alternative's options.
    public static func all(_ stack: CompiledStack, evaluation: Evaluation, held: HeldSet, catalog: Catalog,
                           standing: Standing? = nil) -> [Gap] {
        /// Credentials to renew first, then the cheapest.
        func cheapest(_ indices: [Int]) -> [Credential] {
            Set(indices).filter { !held.contains($0) }
                .sorted {
                    let (a, b) = (catalog[$0], catalog[$1])
                    let (ra, rb) = (standing?.lapsed[$0] != nil ? 0 : 1, standing?.lapsed[$1] != nil ? 0 : 1)
                    return (ra, a.costCents ?? .max, a.hours ?? .max, a.code) < (rb, b.costCents ?? .max, b.hours ?? .max, b.code)
                }
                .map { catalog[$0] }
        }
        let progress = stack.progress(held: held, projected: held, catalog: catalog)
        func visit(_ id: Int) -> [Gap] {
            guard !evaluation.isMet(id) else { return [] }
            let node = stack.nodes[id]
            switch node.kind {
            case .credential(let i):
                if held.contains(i) { return [] }
                return [Gap(requirement: node.label, kind: "credential", code: catalog[i].code, options: cheapest([i]),
                            note: standing?.mark(i))]
            case .skill(let code, let teachers):
                return [Gap(requirement: node.label, kind: "skill", code: code, options: cheapest(teachers),
                            note: teachers.lazy.compactMap { standing?.mark($0) }.first)]
            case .hours(_, let from), .credits(_, _, let from):
                let isHours: Bool
                if case .hours = node.kind { isHours = true } else { isHours = false }
                let candidates = (from ?? Array(0..<catalog.count)).filter { i in
                    isHours ? (catalog[i].hours ?? 0) > 0 : {
                        if case .credits(_, let unit, _) = node.kind { return catalog[i].creditUnit == unit && (catalog[i].credits ?? 0) > 0 }
                        return false
                    }()
                }
                return [Gap(requirement: node.label, kind: isHours ? "hours" : "credits", code: node.label,
                            options: cheapest(candidates))]
            case .all:
                return node.children.flatMap(visit)
            case .choose(let n):
                let alternatives = node.children.filter { !evaluation.isMet($0) }.map(visit).filter { !$0.isEmpty }
                let needed = n - node.children.filter(evaluation.isMet).count
                if alternatives.count <= needed { return alternatives.flatMap { $0 } }
                let item = progress.missingItem(of: id, catalog: catalog)
                let options = cheapest(alternatives.flatMap { $0.flatMap { $0.options } }.compactMap { catalog.index[$0.code] })
                return [Gap(requirement: node.label, kind: "choice", code: item?.text ?? node.label, options: options)]
            }
        }
        return visit(stack.root)
    }
}
