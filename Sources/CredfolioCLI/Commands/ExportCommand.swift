import ArgumentParser
import CredfolioBadges
import CredfolioCBC
import CredfolioCore
import CredfolioSystem
import CredfolioApp
import CredfolioStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export learners, skills, credentials, awards or progress as CSV (stacks as JSON), in the form import reads; a badge or a CLR.",
        discussion: """
            Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage \
            return) are written with a leading ' ; import removes exactly that, so export then import is lossless.
            """,
        subcommands: [Learners.self, Skills.self, Credentials.self, Awards.self, Progress.self, Stacks.self, Badge.self, CLR.self])
}

extension ExportCommand {
    /// Where an export goes, and from which database.
    struct Target: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.", completion: .file()) var output: String?
    }

    /// The CSV of one kind of rows, as import reads it.
    struct CSVTable: ParsableArguments {
        @OptionGroup var target: Target

        func run(_ kind: Importer.Kind) throws {
            let store = try target.database.openForReading()
            try writeOutput(to: target.output) { sink in try Exporter(store).run(kind, to: CSVWriter(sink: sink)) }
        }
    }

    struct Learners: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export learners as CSV.")
        @OptionGroup var csv: CSVTable
        func run() throws { try csv.run(.learners) }
    }

    struct Skills: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export skills as CSV.")
        @OptionGroup var csv: CSVTable
        func run() throws { try csv.run(.skills) }
    }

    struct Credentials: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the catalog as CSV.")
        @OptionGroup var csv: CSVTable
        func run() throws { try csv.run(.credentials) }
    }

    struct Awards: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export awards as CSV.")
        @OptionGroup var csv: CSVTable
        func run() throws { try csv.run(.awards) }
    }

    struct Progress: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export every learner's progress as CSV: their goal stacks, or with --all-stacks every stack.")
        @OptionGroup var target: Target
        @Option(name: .customLong("as-of"), help: "The date to evaluate on (default: today).") var asOf: String?
        @Option(help: "Only this stack (of the rows the rest choose: with --all-stacks, every learner on it).") var stack: String?
        @Option(help: "Only learners of this cohort.") var cohort: String?
        @OptionGroup(title: "Filters, order and limit") var query: CohortQueryOptions
        @Flag(name: .customLong("all-stacks"), help: "Every stack, not only each learner's goals.") var allStacks = false

        func run() throws {
            let day = try asOfDay(asOf)
            let store = try target.database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            let cohortQuery = try query.query()
            // One read transaction: every row from one state, and no writer waits for it.
            try store.read {
                let portfolio = try Portfolio(store, only: stack)
                var settings = try CohortRows.Settings(
                    store: store, cohort: cohort, day: day, allStacks: allStacks, pace: nil, stalledAfter: query.stalledAfter,
                    shortMissing: false)
                settings.outlooks = false
                let report = CohortReport(store: store, portfolio: portfolio, settings: settings, query: cohortQuery,
                                          style: .progress(asOf: day), solver: CBCSolver())
                try writeOutput(to: target.output) { sink in
                    CSVWriter(sink: sink).row(ProgressFormatting.csvColumns)
                    _ = try report.write(to: sink, emptyMessage: "")
                }
            }
        }
    }

    struct Stacks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export stacks as JSON, in the form import stacks reads.")
        @OptionGroup var target: Target
        @Option(help: "Only this stack.") var stack: String?

        func run() throws {
            try StackCommand.Export.write(try target.database.openForReading(), code: stack, to: target.output)
        }
    }

    struct Badge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write an imported badge's original file back, byte for byte.")
        @OptionGroup var target: Target
        @Argument(help: "The learner's handle.") var learner: String
        @Argument(help: "The credential's code.") var credential: String
        @Option(name: .customLong("earned"), help: "The earned-on date that picks one of several awards.") var earned: String?

        func run() throws {
            let original = try target.database.openForReading().badgeOriginal(learner: learner, credential: credential,
                                                                              earnedOn: try parseDay(earned, "earned_on"))
            try writeOutput(to: target.output) { sink in original.withUnsafeBufferPointer { sink.write(bytes: $0) } }
        }
    }

    struct CLR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clr", abstract: "Export a learner's portfolio as a CLR 2.0 credential (JSON, or a VC-JWT with --sign-key).")
        @OptionGroup var target: Target
        @Argument(help: "The learner's handle.") var learner: String
        @Option(name: .customLong("sign-key"), help: "Sign the portfolio as a VC-JWT with this key (from credfolio key generate).",
                completion: .file())
        var signKey: String?
        @Option(name: .customLong("as-of"), help: "The date the stacks' percents are taken on (default: today).") var asOf: String?

        func run() throws {
            let clr = try target.database.openForReading().clr(for: learner, asOf: try asOfDay(asOf))
            let text = try signKey.map(KeyCommand.read).map { try JWS.signEdDSA(payload: Array(clr.serialized(pretty: false).utf8), key: $0, type: "vc+jwt") }
                ?? clr.serialized()
            try writeOutput(to: target.output) { $0.write(text + "\n") }
        }
    }
}
