import ArgumentParser
import CredfolioBadges
import CredfolioCBC
import CredfolioCore
import CredfolioSystem
import CredfolioApp
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export learners, skills, credentials, awards or progress as CSV (stacks as JSON), in the form import reads; a badge or a CLR.",
        discussion: """
            Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage \
            return) are written with a leading ' ; import removes exactly that, so export then import is lossless.
            """)
    @OptionGroup var database: DatabaseOptions
    /// What to write.
    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case learners, skills, credentials, awards, progress, stacks, badge, clr
    }
    @Argument(help: "learners, skills, credentials, awards, progress (CSV), stacks (JSON), badge LEARNER CREDENTIAL (the imported file), or clr LEARNER (CLR 2.0 JSON, or a VC-JWT with --sign-key).",
              transform: { try Kind.parse($0, command: "export") })
    var kind: Kind
    @Argument(help: "badge: the learner's handle and the credential's code; clr: the learner's handle.") var names: [String] = []
    @Option(name: .customLong("sign-key"), help: "clr: sign the portfolio as a VC-JWT with this key (from credfolio key generate).",
            completion: .file())
    var signKey: String?
    @Option(name: .customLong("earned"), help: "badge: the earned-on date that picks one of several awards.") var earned: String?
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.", completion: .file()) var output: String?
    @Option(name: .customLong("as-of"), help: "progress: the date to evaluate on (default: today).") var asOf: String?
    @Option(help: "progress: only this stack (of the rows the rest choose: with --all-stacks, every learner on it).") var stack: String?
    @Option(help: "progress: only learners of this cohort.") var cohort: String?
    @OptionGroup(title: "progress: filters, order and limit") var query: CohortQueryOptions
    @Flag(name: .customLong("all-stacks"), help: "progress: every stack, not only each learner's goals.") var allStacks = false

    func validate() throws {
        if kind == .badge {
            if names.count != 2 { throw ValidationError("export badge needs LEARNER CREDENTIAL") }
        } else if kind == .clr {
            if names.count != 1 { throw ValidationError("export clr needs LEARNER") }
        } else if !names.isEmpty {
            throw ValidationError("export \(kind) takes no more arguments")
        }
    }

    func run() throws {
        if kind == .stacks {
            try StackCommand.Export.write(try database.openForReading(), code: stack, to: output)
            return
        }
        if kind == .clr {
            let clr = try database.openForReading().clr(for: names[0], asOf: try asOfDay(asOf))
            let text = try signKey.map(KeyCommand.read).map { try JWS.signEdDSA(payload: Array(clr.serialized(pretty: false).utf8), key: $0, type: "vc+jwt") }
                ?? clr.serialized()
            try writeOutput(to: output) { $0.write(text + "\n") }
            return
        }
        if kind == .badge {
            let original = try database.openForReading().badgeOriginal(learner: names[0], credential: names[1],
                                                                       earnedOn: try parseDay(earned, "earned_on"))
            try writeOutput(to: output) { sink in original.withUnsafeBufferPointer { sink.write(bytes: $0) } }
            return
        }
        if kind == .progress {
            let day = try asOfDay(asOf)
            let store = try database.openForReading()
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
                try writeOutput(to: output) { sink in
                    CSVWriter(sink: sink).row(ProgressFormatting.csvColumns)
                    _ = try report.write(to: sink, emptyMessage: "")
                }
            }
            return
        }
        guard let csvKind = Importer.Kind(rawValue: kind.rawValue) else { preconditionFailure("every other kind is a CSV file") }
        let store = try database.openForReading()
        try writeOutput(to: output) { sink in
            try Exporter(store).run(csvKind, to: CSVWriter(sink: sink))
        }
    }
}

extension CaseIterable where Self: RawRepresentable<String> {
    /// The kind `text` names; else a usage error that lists the kinds, with the nearest.
    static func parse(_ text: String, command: String) throws -> Self {
        if let kind = allCases.first(where: { $0.rawValue == text }) { return kind }
        let names = allCases.map(\.rawValue)
        throw ValidationError((Field.nearest(to: text, among: names).map { "did you mean \($0)? " } ?? "")
                              + "\(command) reads " + names.joined(separator: ", "))
    }
}
