public import ArgumentParser
import CredfolioCore
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

/// `credfolio`: learner portfolios of micro-credentials in one SQLite file.
public struct Credfolio: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "credfolio",
        abstract: "Keep learner portfolios of micro-credentials, and see how close each learner is to each stack.",
        version: "0.1.0",
        subcommands: [
            LearnerCommand.self, SkillCommand.self, CredentialCommand.self, AwardCommand.self, StackCommand.self,
            ProgressCommand.self, NextCommand.self, GapCommand.self, ReportCommand.self,
            ImportCommand.self, ExportCommand.self, BackupCommand.self, RestoreCommand.self, DoctorCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line. Errors the user can act on print as one
    /// `error:` line on standard error with exit status 1 (75 when the
    /// database stayed busy); usage errors keep ArgumentParser's help and
    /// its exit status 64.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CredfolioError {
            fail(error.message, status: error.kind == .busy ? 75 : 1)
        } catch let error as DatabaseError {
            switch error.resultCode {
            case DatabaseError.SQLITE_BUSY, DatabaseError.SQLITE_LOCKED:
                fail("database is busy: another credfolio is using it; try again", status: 75)
            default:
                fail(error.description, status: 1)
            }
        } catch {
            exit(withError: error)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let line = "error: " + message.replacingNewlines() + "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        Glibc.exit(status)
    }
}

extension String {
    /// One line, whatever the message holds.
    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
