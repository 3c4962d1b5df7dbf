import ArgumentParser
import CredfolioCBC
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

struct LearnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner", abstract: "Add, list, show, edit and remove learners.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Email.self, Goal.self])
}

extension LearnerCommand {
    static func report(_ learners: [Learner]) -> Report {
        var report = Report(columns: ["handle", "name", "email", "cohort", "notes", "created_on"])
        for l in learners {
            report.append([.text(l.handle), .text(l.name), .text(l.email), .text(l.cohort), .text(l.notes), .day(l.createdOn)])
        }
        return report
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",abstract: "Add a learner.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The learner's handle, the id used on the command line (e.g. sarah).") var handle: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Email address (unique when given).") var email: String?
        @Option(help: "The coach's group, e.g. spring-26.") var cohort: String?
        @Option(help: "Free-form notes.") var notes: String = ""
        @Option(name: .customLong("created-on"), help: "The day the learner joined (default: today).") var createdOn: String?
        @Option(parsing: .unconditional, help: "Study hours a week (0.01 to 168), for estimating when goals finish.",
                transform: { try Field.pace($0) })
        var pace: Double?

        func run() throws {
            let created = try parseDay(createdOn, "created_on") ?? Day.today()
            let learner = try database.write { store in
                try store.learners.add(
                    Learner(handle: handle, name: name, email: email, cohort: cohort, notes: notes, createdOn: created, pace: pace))
            }
            let out = OutputSink.standardOutput()
            out.write("added learner \(learner.handle) (\(learner.name))\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",abstract: "List learners by handle.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only learners of this cohort.") var cohort: String?

        func run() throws {
            let store = try database.openForReading()
            try noteUnknownCohort(cohort, in: store)
            let out = OutputSink.standardOutput()
            LearnerCommand.report(try store.learners.list(cohort: cohort))
                .render(output.format, to: out, emptyMessage: "no learners")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a learner: details, pace, every email address, goals with their status, and awards.",
            discussion: "A goal's percent, estimated finish and status are report cohort's, on --as-of.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The learner's handle.") var handle: String
        @Option(name: .customLong("as-of"), help: "The date for the awards' effective status (default: today).") var asOf: String?

        func run() throws {
            let day = try asOfDay(asOf)
            let store = try database.openForReading()
            let learner = try store.learners.get(handle)
            let awards = AwardCommand.report(try store.awards.list(learner: handle), on: day)
            let emails = try store.learners.emails(of: learner)
            var details = Report(columns: ["handle", "name", "email", "cohort", "notes", "created_on", "pace", "emails"])
            details.append([.text(learner.handle), .text(learner.name), .text(learner.email), .text(learner.cohort), .text(learner.notes),
                            .day(learner.createdOn), .decimal(learner.pace.map(NumberText.plain)), .text(emails.joined(separator: ";"))])
            var goals = Report(columns: ["stack", "target_date", "percent", "estimated_finish", "goal_status"])
            for goal in try store.goalStandings(of: learner, on: day, solver: CBCSolver()) {
                goals.append([.text(goal.stack), .day(goal.target), .decimal(ProgressFormatting.percent(goal.percent)), .day(goal.finish),
                              .text(goal.status.rawValue)])
            }
            let out = OutputSink.standardOutput()
            switch output.format {
            case .table:
                details.renderRecord(.table, to: out)
                out.write("\n")
                goals.render(.table, to: out, emptyMessage: "no goals")
                out.write("\n")
                awards.render(.table, to: out, emptyMessage: "no awards")
            case .csv:
                details.renderRecord(.csv, to: out)
            case .json:
                guard case .object(var members) = details.jsonObjects()[0] else { return }
                members[members.count - 1] = ("emails", .array(emails.map(JSONValue.string)))
                members.append(("goals", .array(goals.jsonObjects())))
                members.append(("awards", .array(awards.jsonObjects())))
                out.write(JSONValue.object(members).serialized() + "\n")
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a learner's details.", discussion: "An empty value clears an optional field: --email \"\".")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The learner's handle.") var handle: String
        @Option(name: .customLong("handle"), help: "A new handle.") var newHandle: String?
        @Option(help: "Full name.") var name: String?
        @Option(help: "Email address; empty to clear.") var email: String?
        @Option(help: "Cohort; empty to clear.") var cohort: String?
        @Option(help: "Notes; empty to clear.") var notes: String?
        @Option(parsing: .unconditional, help: "Study hours a week; empty to clear.") var pace: String?

        func validate() throws {
            if newHandle == nil && name == nil && email == nil && cohort == nil && notes == nil && pace == nil {
                throw ValidationError("nothing to change: give at least one of --handle, --name, --email, --cohort, --notes, --pace")
            }
        }

        func run() throws {
            let learner = try database.write { store in
                var learner = try store.learners.get(handle)
                if let newHandle { learner.handle = newHandle }
                if let name { learner.name = name }
                if let email { learner.email = email.isEmpty ? nil : email }
                if let cohort { learner.cohort = cohort.isEmpty ? nil : cohort }
                if let notes { learner.notes = notes }
                if let pace { learner.pace = pace.isEmpty ? nil : try Field.pace(pace) }
                try store.learners.update(learner)
                return learner
            }
            OutputSink.standardOutput().write("updated learner \(learner.handle)\n")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a learner.", discussion: "A learner with awards is kept unless --force, which removes the awards too.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The learner's handle.") var handle: String
        @Flag(help: "Also remove the learner's awards.") var force = false

        func run() throws {
            let awards = try database.write { try $0.learners.remove(handle, force: force) }
            OutputSink.standardOutput().write(
                "removed learner \(handle)" + (awards > 0 ? " and \(NumberText.grouped(awards)) award\(awards == 1 ? "" : "s")" : "") + "\n")
        }
    }
}
