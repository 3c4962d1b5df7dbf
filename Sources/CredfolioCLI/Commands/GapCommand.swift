import ArgumentParser
import CredfolioCBC
import CredfolioCore
import CredfolioSystem
import CredfolioEngine
import CredfolioApp
import CredfolioStore

struct GapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gap",
        abstract: "The skills and credentials a learner still lacks for a stack, each with the credentials that would meet it, cheapest first.",
        discussion: "A credential held now that lapses before the stack would be finished (at the learner's pace) is a gap too, met by its renewal.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The learner's handle.") var learner: String
    @Argument(help: "The stack.") var stack: String
    @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?

    func run() throws {
        let context = try LearnerPortfolio(database, learner: self.learner, stack: stack, asOf: asOf)
        let (day, learner, catalog) = (context.day, context.learner, context.catalog)
        let compiled = try context.portfolio.stack(stack)
        let held = context.held()
        let evaluation = compiled.evaluate(held, catalog: catalog)
        let gaps = Gap.all(compiled, evaluation: evaluation, held: held, catalog: catalog, standing: context.standing)
            + (try Gap.renewals(compiled, context: context, held: held, solver: CBCSolver()))

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
                                 ("cost", Cell.knownCost(c.costCents).json), ("hours", Cell.known(c.hours).json),
                                 ("weeks", Cell.known(c.weeks).json)])
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
                let shown = g.options.prefix(5).map {
                    "\($0.code) (\($0.costCents.map { Money.format(cents: $0) } ?? "cost unknown"), \($0.hours.map { "\($0) h" } ?? "hours unknown"))"
                }
                let more = g.options.count > 5 ? ", and \(g.options.count - 5) more" : ""
                table.append([.text(g.code), .text(g.kind),
                              .text(shown.isEmpty ? "nothing in the catalog" : shown.joined(separator: ", ") + more), .text(g.note)])
            }
            table.render(.table, to: out)
        }
    }
}
