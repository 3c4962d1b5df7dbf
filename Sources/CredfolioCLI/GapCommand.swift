import ArgumentParser
import CredfolioCore
import CredfolioEngine
import CredfolioReports
import CredfolioStore

struct GapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gap",
        abstract: "The skills and credentials a learner still lacks for a stack, each with the credentials that would meet it, cheapest first.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The learner's handle.") var learner: String
    @Argument(help: "The stack.") var stack: String
    @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?

    struct Gap {
        let requirement: String
        let kind: String
        let code: String
        let options: [Credential]
        /// What the learner's record could do for it: renew a lapsed
        /// credential, or finish work under way.
        var note: String? = nil
    }

    func run() throws {
        let context = try LearnerPortfolio(database, learner: self.learner, stack: stack, asOf: asOf)
        let (day, learner, catalog) = (context.day, context.learner, context.catalog)
        let compiled = try context.portfolio.stack(stack)
        let held = context.held()
        let evaluation = compiled.evaluate(held, catalog: catalog)
        let gaps = Self.gaps(compiled, evaluation: evaluation, held: held, catalog: catalog, standing: context.standing)

        let out = OutputSink.standardOutput()
        var report = Report(columns: ["requirement", "kind", "code", "options", "note"])
        for g in gaps {
            report.append([.text(g.requirement), .text(g.kind), .text(g.code), .text(g.options.map(\.code).joined(separator: ";")),
                           .text(g.note)])
        }
        switch output.format {
        case .csv: report.render(.csv, to: out)
        case .json:
            out.write(JSONValue.array(gaps.map { g in
                .object([
                    ("requirement", .string(g.requirement)), ("kind", .string(g.kind)), ("code", .string(g.code)),
                    ("note", .optional(g.note)),
                    ("options", .array(g.options.map { c in
                        .object([("code", .string(c.code)), ("title", .string(c.title)),
                                 ("cost", .number(Double(c.costCents) / 100)), ("hours", .integer(c.hours)),
                                 ("weeks", .integer(c.weeks))])
                    })),
                ])
            }).serialized() + "\n")
        case .table:
            out.write("\(learner.name) (\(learner.handle)) toward \(stack), as of \(day): "
                      + "\(ProgressFormatting.percent(evaluation.percent))%\n\n")
            if gaps.isEmpty {
                out.write(evaluation.complete ? "no gaps: the stack is complete\n" : "no single requirement is missing\n")
                return
            }
            var table = Report(columns: ["missing", "kind", "met by (renewals first, then cheapest)", "note"])
            for g in gaps {
                let shown = g.options.prefix(5).map { "\($0.code) (\(Money.format(cents: $0.costCents)), \($0.hours) h)" }
                let more = g.options.count > 5 ? ", and \(g.options.count - 5) more" : ""
                table.append([.text(g.code), .text(g.kind),
                              .text(shown.isEmpty ? "nothing in the catalog" : shown.joined(separator: ", ") + more), .text(g.note)])
            }
            table.render(.table, to: out)
        }
    }

    /// The unmet leaves (none under a met group), with the catalog
    /// credentials not held that would meet each, cheapest first. An
    /// unfinished `choose` whose alternatives are not all needed is one
    /// gap, `K of (A|B)` as in `missing`, with every alternative's options.
    static func gaps(_ stack: CompiledStack, evaluation: Evaluation, held: HeldSet, catalog: Catalog,
                     standing: Standing? = nil) -> [Gap] {
        /// Credentials to renew first, then the cheapest.
        func cheapest(_ indices: [Int]) -> [Credential] {
            Set(indices).filter { !held.contains($0) }
                .sorted {
                    let (a, b) = (catalog[$0], catalog[$1])
                    let (ra, rb) = (standing?.lapsed[$0] != nil ? 0 : 1, standing?.lapsed[$1] != nil ? 0 : 1)
                    return (ra, a.costCents, a.hours, a.code) < (rb, b.costCents, b.hours, b.code)
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
                    isHours ? catalog[i].hours > 0 : {
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
