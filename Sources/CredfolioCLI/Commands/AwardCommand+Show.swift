import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

extension AwardCommand {
    /// `award show`: one award with where it came from.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one award and its source: the badge file it was imported from, and what was verified.",
            discussion: "source is null for an award typed by hand. source.verification is verified, intact (key carried by the credential) or not verified: REASON; source.recipient is match, forced or not checked.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @OptionGroup var selector: AwardSelector
        @Option(name: .customLong("as-of"), help: "The date for the effective status (default: today).") var asOf: String?

        func run() throws {
            let day = try asOfDay(asOf)
            let store = try database.openForReading()
            let record = try store.awards.locate(learner: selector.learner, credential: selector.credential,
                                                 earnedOn: try parseDay(selector.earnedOn, "earned_on"))
            let source = try store.awards.source(of: record.award.id!)
            var report = AwardCommand.report([record], on: day)
            let sourceColumns = ["source_format", "source_sha256", "source_imported_at", "source_verification", "source_recipient"]
            report.columns += sourceColumns
            report.rows[0] += [.text(source?.format), .text(source?.sha256), .text(source?.importedAt),
                               .text(source?.verification), .text(source?.recipient)]
            let out = OutputSink.standardOutput()
            if output.format == .json {
                guard case .object(var members) = report.jsonObjects()[0] else { return }
                members.removeAll { sourceColumns.contains($0.0) }
                members.append(("source", source.map { s in
                    .object([("format", .string(s.format)), ("sha256", .string(s.sha256)), ("imported_at", .string(s.importedAt)),
                             ("verification", .string(s.verification)), ("recipient", .string(s.recipient)),
                             ("bytes", .integer(Int64(s.original.count)))])
                } ?? .null))
                out.write(JSONValue.object(members).serialized() + "\n")
            } else {
                report.renderRecord(output.format, to: out)
            }
        }
    }
}
