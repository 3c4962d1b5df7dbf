import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

extension CredentialCommand {
    /// `credential link`: a catalog entry typed by hand stands for an
    /// Open Badges achievement, so that its badges import as this credential.
    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link", abstract: "Tie a credential to an Open Badges achievement (BadgeClass or Achievement id).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The credential's code.") var code: String
        @Argument(help: "The achievement's id, e.g. https://example.org/robotics-badge.json.") var achievement: String

        func run() throws {
            guard try Field.optionalText(achievement, "achievement", maxBytes: 2000) != nil else {
                throw CredfolioError.invalid("achievement is empty")
            }
            let store = try database.open()
            try store.credentials.link(code, achievement: achievement)
            OutputSink.standardOutput().write("linked credential \(code) to \(achievement)\n")
        }
    }
}
