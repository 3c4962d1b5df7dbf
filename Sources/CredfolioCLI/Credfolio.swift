public import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

/// `credfolio`: learner portfolios of micro-credentials in one SQLite file.
public struct Credfolio: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "credfolio",
        abstract: "Keep learner portfolios of micro-credentials, and see how close each learner is to each stack.",
        version: CredfolioVersion.current,
        subcommands: [
            LearnerCommand.self, SkillCommand.self, CredentialCommand.self, AwardCommand.self, StackCommand.self,
            ProgressCommand.self, NextCommand.self, GapCommand.self, PortfolioCommand.self, ReportCommand.self,
            ImportCommand.self, ExportCommand.self, KeyCommand.self, IssuerCommand.self, TeamCommand.self, BackupCommand.self, RestoreCommand.self, CopyCommand.self,
            DoctorCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line. Errors the user can act on print as one
    /// `error:` line on standard error with exit status 1 (75 when the
    /// database stayed busy); usage errors print one `error:` line too, with
    /// ArgumentParser's exit status 64. Help and `--version` go to standard
    /// output with status 0.
    public static func main() {
        // Past a file-size limit, write(2) then fails with EFBIG and the
        // command says so, instead of dying silently of SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        let arguments = Credfolio.hoistingDatabaseOption(Array(CommandLine.arguments.dropFirst()))
        if let unknown = unknownCommand(in: arguments) { fail(unknown, status: ExitCode.validationFailure.rawValue) }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let interruption as Interruption {
            note("interrupted: every file written so far is whole; run the command again to finish")
            interruption.end()
        } catch let error as CredfolioError {
            fail(error.message, status: error.kind == .busy ? 75 : 1)
        } catch {
            if let failure = Store.failure(error) { fail(failure.message, status: failure.busy ? 75 : 1) }
            let code = exitCode(for: error)
            if code.isSuccess {
                let sink = OutputSink.standardOutput()
                sink.write(fullMessage(for: error) + "\n")
                do { try sink.flush() } catch { fail("\(error)", status: 1) }
                Glibc.exit(0)
            }
            var message = message(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            fail(message.asOneLine() + " (see credfolio help)", status: code.rawValue)
        }
    }

    /// `--db PATH` (or `--db=PATH`) given before the subcommand applies to
    /// the whole command: it is read here and handed on as `$CREDFOLIO_DB`,
    /// which a `--db` after the subcommand still overrides.
    static func hoistingDatabaseOption(_ arguments: [String]) -> [String] {
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("--db") {
            let path: String
            if first == "--db", rest.count >= 2 {
                path = rest[rest.startIndex + 1]
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--db=") {
                path = String(first.dropFirst("--db=".count))
                rest = rest.dropFirst()
            } else {
                break
            }
            // An empty value would read as no value: the default database.
            if path.isEmpty { fail("--db is empty: give the database file's path (see credfolio help)", status: ExitCode.validationFailure.rawValue) }
            setenv("CREDFOLIO_DB", path, 1)
        }
        return Array(rest)
    }

    /// A word where a subcommand's name belongs (after `credfolio`, a
    /// group such as `learner`, or `help`) that names none: the usage
    /// error for it, with the nearest name. ArgumentParser alone says only
    /// "unexpected argument", and takes `help nosuch` for `help`.
    static func unknownCommand(in arguments: [String]) -> String? {
        var words = arguments[...]
        if words.first == "help" { words = words.dropFirst() }
        var command: any ParsableCommand.Type = Credfolio.self
        var path = "credfolio"
        while let word = words.first, !word.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            guard let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) else {
                let names = subcommands.map { $0._commandName }
                return "\(path) has no command \(Field.quoted(word))"
                    + (Field.nearest(to: word, among: names).map { "; did you mean \($0)?" } ?? "") + " (see \(path == "credfolio" ? "credfolio help" : "credfolio help " + path.dropFirst("credfolio ".count)))"
            }
            command = next
            path += " " + next._commandName
            words = words.dropFirst()
        }
        return nil
    }

    static func fail(_ message: String, status: Int32) -> Never {
        NewDatabase.removeAfterFailure()
        let line = "error: " + message.asOneLine() + "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        Glibc.exit(status)
    }
}
