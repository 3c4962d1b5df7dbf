import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

extension LearnerCommand {
    /// `learner goal add|remove|list`: the stacks a learner aims at.
    struct Goal: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "goal",
            abstract: "Add, remove or list a learner's goal stacks: progress, export progress and report cohort show those by default.",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Aim at a stack, optionally by a date.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The learner's handle.") var handle: String
            @Argument(help: "The stack's code.") var stack: String
            @Option(help: "The target date (YYYY-MM-DD).") var by: String?

            func run() throws {
                let goal = LearnerGoal(stack: stack, target: try parseDay(by, "by"))
                let previous = try database.write { try $0.learners.addGoal(handle, goal) }
                var line = "learner \(handle) aims at \(stack)" + (goal.target.map { " by \($0)" } ?? "")
                if let previous, previous.target != goal.target {
                    line += " (replacing " + (previous.target.map { "the target date \($0)" } ?? "no target date") + ")"
                }
                OutputSink.standardOutput().write(line + "\n")
                let today = Day.today()
                if let target = goal.target, target < today {
                    note("the target date \(target) is already past (today is \(today))")
                }
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "remove", abstract: "Drop a goal.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The learner's handle.") var handle: String
            @Argument(help: "The stack's code.") var stack: String

            func run() throws {
                try database.write { try $0.learners.removeGoal(handle, stack) }
                OutputSink.standardOutput().write("learner \(handle) no longer aims at \(stack)\n")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List a learner's goals.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var output: FormatOptions
            @Argument(help: "The learner's handle.") var handle: String

            func run() throws {
                let store = try database.openForReading()
                var report = Report(columns: ["stack", "target_date"])
                for goal in try store.learners.goals(of: try store.learners.get(handle)) {
                    report.append([.text(goal.stack), .day(goal.target)])
                }
                report.render(output.format, to: OutputSink.standardOutput(), emptyMessage: "no goals")
            }
        }
    }
}
