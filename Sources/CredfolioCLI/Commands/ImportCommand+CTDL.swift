import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

extension ImportCommand {
    /// `import ctdl`: records from the Credential Engine Registry, read as
    /// one graph and stored in one transaction.
    struct CTDL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ctdl",
            abstract: "Import credentials, learning opportunities and pathways from CTDL (Credential Engine Registry) files.",
            discussion: """
                The files are read as one graph: a reference in one may be resolved by a record in another. Entries \
                match stored ones by CTID, never by code; a newer record updates its entry and the report says what \
                changed. Pathways become stacks, or are refused with the reason. All files are one transaction.
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CTDL files: JSON-LD graphs, single records, registry envelopes, or arrays of them.",
                  completion: .file())
        var files: [String]
        @Flag(name: .customLong("dry-run"), help: "Report what would be imported, updated and refused, and store nothing.")
        var dryRun = false
        @Option(help: "The language of titles and descriptions (then en, then en-US, then any).") var language = "en"
        @OptionGroup var output: FormatOptions

        func validate() throws {
            if files.isEmpty { throw ValidationError("give the CTDL files to import") }
        }

        func run() throws {
            let result = try database.write { try CTDLImport(files: files, into: $0, language: language, dryRun: dryRun) }
            let out = OutputSink.standardOutput()
            // Written row by row: a catalog of many records is not held twice, as rows and as text.
            try streamReport(columns: ["action", "kind", "code", "title", "ctid", "detail"], format: output.format, to: out,
                             emptyMessage: "nothing to import") { emit in
                for row in result.rows {
                    emit([.text(row.action.rawValue), .text(row.what.rawValue), .text(row.code), .text(row.title), .text(row.ctid), .text(row.detail)])
                }
            }
            if output.format == .table {
                for count in result.counts {
                    out.write("\(count.what.plural): \(count.new) new, \(count.updated) updated, \(count.unchanged) unchanged, "
                              + "\(count.refused) refused\n")
                }
                out.write("unresolved references: \(result.unresolved)\n")
                // In full: a table cuts long cells.
                for row in result.rows where row.action == .unresolved { out.write("  \(row.ctid ?? "") (\(row.detail))\n") }
                if dryRun { out.write("dry run: nothing was stored\n") }
            }
            try out.flush()
        }
    }
}
