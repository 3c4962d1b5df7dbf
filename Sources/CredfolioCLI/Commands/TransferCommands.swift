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

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import learners, skills, credentials or awards from CSV, stacks from JSON, or a learner's badges.",
        discussion: """
            One file is one transaction: if any row is bad, nothing from the file is stored and the error \
            names the file, the line and the reason. Rows upsert by their key (handle; code; learner + \
            credential + earned_on), so importing a file twice changes nothing.

            import badges FILE… --learner HANDLE reads Open Badges 2.0 and 3.0 and CLR 2.0 credentials, as \
            JSON, JWS/VC-JWT, baked PNG or baked SVG, recognised from their content, offline; every file of \
            one command is one transaction. See the README's "Badges and CLR".
            """)
    @OptionGroup var database: DatabaseOptions
    /// What a file holds.
    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case learners, skills, credentials, awards, stacks, badges
    }
    @Argument(help: "learners, skills, credentials, awards (CSV), stacks (JSON) or badges.",
              transform: { try Kind.parse($0, command: "import") })
    var kind: Kind
    @Argument(help: "The file (- for standard input); several for badges.", completion: .file()) var files: [String]
    @Option(help: "badges: the learner they were issued to.") var learner: String?
    @Option(parsing: .upToNextOption, help: "badges: BadgeClass, Issuer or CryptographicKey documents that the badges name by IRI.",
            completion: .file())
    var linked: [String] = []
    @Option(help: "badges: check recipients against this address instead of the learner's.") var recipient: String?
    @Flag(help: "badges: import even when the recipient does not match (a bad signature is refused whatever this says).")
    var force = false
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give the file to import") }
        if kind == .badges {
            if learner == nil { throw ValidationError("import badges needs --learner HANDLE") }
        } else {
            if files.count > 1 { throw ValidationError("import \(kind) reads one file") }
            if learner != nil || !linked.isEmpty || recipient != nil || force {
                throw ValidationError("--learner, --linked, --recipient and --force are for import badges")
            }
        }
    }

    func run() throws {
        let file = files[0]
        if kind == .badges {
            try importBadges()
            return
        }
        if kind == .stacks {
            let bytes = try InputFile(path: file).readAll(limit: 16 << 20)
            let store = try database.open()
            let summary = try store.stacks.importFile(bytes, file: file)
            OutputSink.standardOutput().write(summary.description + "\n")
            return
        }
        guard let csvKind = Importer.Kind(rawValue: kind.rawValue) else { preconditionFailure("every other kind is a CSV file") }
        let input = try InputFile(path: file)
        let store = try database.open()
        let summary = try Importer(store, expectedRows: input.size / 40)
            .run(csvKind, reader: CSVReader(fileDescriptor: input.fd), file: file)
        OutputSink.standardOutput().write(summary.description + "\n")
    }

    func importBadges() throws {
        let read = try files.map { (name: $0, bytes: try InputFile(path: $0).readAll(limit: 64 << 20)) }
        let documents = try BadgeImporter.readLinked(linked)
        let store = try database.open()
        var importer = BadgeImporter(store: store, importedAt: Timestamp.now())
        importer.linked = documents
        importer.recipient = try recipient.map { try Field.email($0, "recipient") ?? $0 }
        importer.force = force
        let rows = try importer.run(learner: learner!, files: read)
        for note in Set(rows.compactMap { $0.note.map { "\($0)" } }).sorted() { CredfolioCLI.note(note) }
        var report = Report(columns: ["file", "format", "credential", "title", "earned_on", "outcome", "verification", "recipient"])
        for r in rows {
            report.append([.text(r.file), .text(r.format), .text(r.credential), .text(r.title), .day(r.earnedOn),
                           .text(r.outcome), .text(r.verification), .text(r.recipient)])
        }
        let out = OutputSink.standardOutput()
        report.render(output.format, to: out)
        try out.flush()
    }
}

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
