import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

extension LearnerCommand {
    /// `learner email add|remove|list`: the other addresses a learner's
    /// badges may be issued to.
    struct Email: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "email", abstract: "Add, remove or list a learner's other email addresses (for badges issued to them).",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an address.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The learner's handle.") var handle: String
            @Argument(help: "The address.") var address: String

            func run() throws {
                try database.write { try $0.learners.addEmail(handle, address) }
                OutputSink.standardOutput().write("added \(address) to learner \(handle)\n")
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an address.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The learner's handle.") var handle: String
            @Argument(help: "The address.") var address: String

            func run() throws {
                try database.write { try $0.learners.removeEmail(handle, address) }
                OutputSink.standardOutput().write("removed \(address) from learner \(handle)\n")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List every address, the main one first.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var output: FormatOptions
            @Argument(help: "The learner's handle.") var handle: String

            func run() throws {
                let store = try database.openForReading()
                let learner = try store.learners.get(handle)
                var report = Report(columns: ["address", "main"])
                for address in try store.learners.emails(of: learner) {
                    report.append([.text(address), .bool(address == learner.email)])
                }
                report.render(output.format, to: OutputSink.standardOutput(), emptyMessage: "no addresses")
            }
        }
    }
}
