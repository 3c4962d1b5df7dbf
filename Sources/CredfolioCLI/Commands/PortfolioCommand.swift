import ArgumentParser
import CredfolioCBC
import CredfolioApp
import CredfolioCore
import CredfolioHTML
import CredfolioSystem
import CredfolioStore

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Write one learner's portfolio as a self-contained HTML page, to open offline, print or send.",
        discussion: """
            The page shows each stack (each goal, for a learner with goals) with a progress bar and the explained \
            requirement tree, the least-hours plan for each incomplete goal and whether it fits in six months, a \
            timeline of earned credentials, and every credential with its issuer, dates, evidence link and badge \
            verification: the numbers of progress, next and award list, which give them as table, CSV or JSON. \
            The page runs no script and loads nothing; the same database and --as-of give the same bytes.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The learner's handle.") var learner: String
    @Flag(help: "Write HTML (the page's only format; progress, next and award list give table, CSV and JSON).")
    var html = false
    @Option(name: .shortAndLong, help: "The file to write (- for standard output).", completion: .file())
    var output: String
    @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?
    @Option(parsing: .singleValue, help: "Only this stack (repeat for more).") var stack: [String] = []

    func validate() throws {
        if !html { throw ValidationError("portfolio writes HTML: add --html (progress, next and award list give table, CSV and JSON)") }
    }

    func run() throws {
        let day = try asOfDay(asOf)
        let store = try database.openForReading()
        let bytes = try store.read {
            let context = try LearnerPortfolio(store: store, learner: learner, stack: nil, day: day, solver: CBCSolver())
            for code in stack where !context.portfolio.stacks.contains(where: { $0.definition.code == code }) {
                throw CredfolioError.notFound("no stack \(Field.quoted(code))")
            }
            return try PortfolioPage.page(context, stacks: stack, solver: CBCSolver(), awards: try store.awards.list(learner: learner),
                                          verifications: try store.awards.verifications(learner: learner))
        }
        try writeOutput(to: output) { sink in bytes.withUnsafeBufferPointer { sink.write(bytes: $0) } }
    }
}
