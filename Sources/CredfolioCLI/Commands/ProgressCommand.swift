import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioEngine
import CredfolioStore

struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show how far a learner is along every stack (or one), with what met each requirement and what is missing.",
        discussion: """
            A credential is held on the as-of date when one of its awards is earned, was earned on or before \
            that date, and has not expired. The projected percent counts the learner's in-progress and planned \
            awards as if earned on the as-of date. --assume adds credentials the same way, for a what-if.
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The learner's handle.") var learner: String
    @Option(help: "Only this stack.") var stack: String?
    @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?
    @Option(parsing: .upToNextOption, help: "Treat these credentials as earned on the as-of date (what-if).")
    var assume: [String] = []
    @Flag(name: .customLong("all-stacks"), help: "Every stack, not only the learner's goals.") var allStacks = false

    func run() throws {
        let context = try LearnerPortfolio(database, learner: self.learner, stack: stack, asOf: asOf)
        let (day, learner, catalog) = (context.day, context.learner, context.catalog)
        let assumed = try context.portfolio.indices(assume)
        let held = context.held(assume: assumed)
        let projected = context.held(projected: true, assume: assumed)
        let progress = ProgressFormatting.ranked(context.shownStacks(allStacks: allStacks || stack != nil).map {
            $0.progress(held: held, projected: projected, catalog: catalog)
        })
        let out = OutputSink.standardOutput()
        switch output.format {
        case .csv:
            let csv = CSVWriter(sink: out)
            csv.row(ProgressFormatting.csvColumns)
            for p in progress { ProgressFormatting.writeRow(csv, learner: learner, progress: p, catalog: catalog, asOf: day) }
        case .json:
            out.write(JSONValue.object([
                ("learner", .string(learner.handle)), ("name", .string(learner.name)), ("as_of", .string(day.description)),
                ("assumed", .array(assume.map(JSONValue.string))),
                ("stacks", .array(progress.map { ProgressFormatting.json($0, catalog: catalog, standing: context.standing) })),
            ]).serialized() + "\n")
        case .table:
            var heading = "\(learner.name) (\(learner.handle)), as of \(day)"
            if !assume.isEmpty { heading += ", assuming " + assume.joined(separator: ", ") }
            out.write(heading + "\n")
            if progress.isEmpty { out.write("no stacks: import some with credfolio import stacks FILE\n") }
            for p in progress {
                let title = p.stack.definition.title.map { " — \($0)" } ?? ""
                out.write("\n\(p.code)\(title)\n")
                out.write("  \(ProgressFormatting.bar(p.current.value)) \(ProgressFormatting.percent(p.percent))%"
                          + (p.complete ? "  complete" : "")
                          + "   projected \(ProgressFormatting.percent(p.projectedPercent))%"
                          + "   \(p.requirementsMet) of \(p.requirementsTotal) requirements met\n")
                out.write(ProgressFormatting.tree(p, catalog: catalog, standing: context.standing))
                let missing = p.missing(catalog: catalog)
                if !missing.isEmpty { out.write("  missing: " + missing.joined(separator: ", ") + "\n") }
            }
        }
    }
}
