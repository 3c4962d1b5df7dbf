import ArgumentParser
import CredfolioBadges
import CredfolioCore
import CredfolioSystem
import CredfolioApp
import CredfolioStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import learners, skills, credentials or awards from CSV, stacks from JSON, a learner's badges, or a CTDL catalog.",
        discussion: """
            One file is one transaction: if any row is bad, nothing from the file is stored and the error \
            names the file, the line and the reason. Rows upsert by their key (handle; code; learner + \
            credential + earned_on), so importing a file twice changes nothing.

            import badges FILE… --learner HANDLE reads Open Badges 2.0 and 3.0 and CLR 2.0 credentials, as \
            JSON, JWS/VC-JWT, baked PNG or baked SVG, recognised from their content, offline; every file of \
            one command is one transaction. See the README's "Badges and CLR".

            import ctdl FILE… reads the Credential Engine Registry's records as one graph. See the README's \
            "Catalogs from the registry".
            """,
        subcommands: [Learners.self, Skills.self, Credentials.self, Awards.self, Stacks.self, Badges.self, CTDL.self])
}

extension ImportCommand {
    /// One CSV file of one kind of rows.
    struct CSVFile: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file (- for standard input).", completion: .file()) var file: String

        func run(_ kind: Importer.Kind) throws {
            let input = try InputFile(path: file)
            // Not retried: it reads its input once (standard input cannot be read again).
            let summary = try database.write(retrying: false) { store in
                try Importer(store, expectedRows: input.size / 40).run(kind, reader: CSVReader(fileDescriptor: input.fd), file: file)
            }
            OutputSink.standardOutput().write(summary.description + "\n")
        }
    }

    struct Learners: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import learners from CSV (by handle).")
        @OptionGroup var csv: CSVFile
        func run() throws { try csv.run(.learners) }
    }

    struct Skills: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import skills from CSV (by code).")
        @OptionGroup var csv: CSVFile
        func run() throws { try csv.run(.skills) }
    }

    struct Credentials: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import catalog credentials from CSV (by code).")
        @OptionGroup var csv: CSVFile
        func run() throws { try csv.run(.credentials) }
    }

    struct Awards: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import awards from CSV (by learner, credential and earned_on).")
        @OptionGroup var csv: CSVFile
        func run() throws { try csv.run(.awards) }
    }

    struct Stacks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import stacks from JSON; a stack of a stored code replaces it.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The JSON file (- for standard input).", completion: .file()) var file: String

        func run() throws {
            let bytes = try InputFile(path: file).readAll(limit: 16 << 20)
            let summary = try database.write { try $0.stacks.importFile(bytes, file: file) }
            OutputSink.standardOutput().write(summary.description + "\n")
        }
    }

    struct Badges: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a learner's Open Badges and CLR credentials (JSON, JWS, baked PNG or SVG), as one transaction.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The badge files.", completion: .file()) var files: [String]
        @Option(help: "The learner they were issued to.") var learner: String
        @Option(parsing: .upToNextOption, help: "BadgeClass, Issuer or CryptographicKey documents that the badges name by IRI.",
                completion: .file())
        var linked: [String] = []
        @Option(help: "Check recipients against this address instead of the learner's.") var recipient: String?
        @Flag(help: "Import even when the recipient does not match (a bad signature is refused whatever this says).")
        var force = false
        @OptionGroup var output: FormatOptions

        func validate() throws {
            if files.isEmpty { throw ValidationError("give the file to import") }
        }

        func run() throws {
            let read = try files.map { (name: $0, bytes: try InputFile(path: $0).readAll(limit: 64 << 20)) }
            let documents = try BadgeImporter.readLinked(linked)
            let recipient = try recipient.map { try Field.email($0, "recipient") ?? $0 }
            let rows = try database.write { store in
                var importer = BadgeImporter(store: store, importedAt: Timestamp.now())
                importer.linked = documents
                importer.recipient = recipient
                importer.force = force
                return try importer.run(learner: learner, files: read)
            }
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
}
