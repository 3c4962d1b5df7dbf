import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

extension CredentialCommand {
    /// `credential link`: a catalog entry typed by hand stands for an
    /// Open Badges achievement, so that its badges import as this
    /// credential, or for a registry record (a CTID starts with `ce-`), so
    /// that a CTDL import updates it.
    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract: "Tie a credential to an Open Badges achievement (BadgeClass or Achievement id) or a registry CTID (ce-…).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The credential's code.") var code: String
        @Argument(help: "The achievement's id, e.g. https://example.org/robotics-badge.json, or a CTID.") var achievement: String

        func run() throws {
            guard try Field.optionalText(achievement, "achievement", maxBytes: 2000) != nil else {
                throw CredfolioError.invalid("achievement is empty")
            }
            try database.write { store in
                if achievement.lowercased().hasPrefix("ce-") {
                    try store.credentials.link(code, ctid: achievement)
                } else {
                    try store.credentials.link(code, achievement: achievement)
                }
            }
            OutputSink.standardOutput().write("linked credential \(code) to \(achievement)\n")
        }
    }
}
