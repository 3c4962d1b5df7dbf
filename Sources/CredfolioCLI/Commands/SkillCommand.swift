import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

struct SkillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skill", abstract: "Add, list, show, edit and remove skills.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self])
}

extension SkillCommand {
    static func report(_ skills: [Skill]) -> Report {
        var report = Report(columns: ["code", "name", "category", "framework", "framework_id"])
        for s in skills {
            report.append([.text(s.code), .text(s.name), .text(s.category), .text(s.framework), .text(s.frameworkID)])
        }
        return report
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",abstract: "Add a skill.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The skill's code, e.g. python.") var code: String
        @Option(help: "Its name.") var name: String
        @Option(help: "Category, e.g. Technology, Healthcare, Business.") var category: String?
        @Option(help: "The skills framework it comes from: ESCO, O*NET, Lightcast, …") var framework: String?
        @Option(help: "Its id in that framework.") var frameworkId: String?

        func run() throws {
            let skill = try database.write {
                try $0.skills.add(Skill(code: code, name: name, category: category, framework: framework, frameworkID: frameworkId))
            }
            OutputSink.standardOutput().write("added skill \(skill.code) (\(skill.name))\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",abstract: "List skills by code.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only skills of this category.") var category: String?

        func run() throws {
            let store = try database.openForReading()
            SkillCommand.report(try store.skills.list(category: category))
                .render(output.format, to: OutputSink.standardOutput(), emptyMessage: "no skills")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",abstract: "Show a skill and the credentials that teach it.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The skill's code.") var code: String

        func run() throws {
            let store = try database.openForReading()
            let skill = try store.skills.get(code)
            let teaching = try store.credentials.list(skill: code).map(\.code)
            var report = Report(columns: ["code", "name", "category", "framework", "framework_id", "credentials"])
            report.append([.text(skill.code), .text(skill.name), .text(skill.category), .text(skill.framework),
                           .text(skill.frameworkID), .text(teaching.joined(separator: ";"))])
            report.renderRecord(output.format, to: OutputSink.standardOutput(), listing: ["credentials": teaching])
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a skill.", discussion: "An empty value clears an optional field.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The skill's code.") var code: String
        @Option(name: .customLong("code"), help: "A new code.") var newCode: String?
        @Option(help: "Its name.") var name: String?
        @Option(help: "Category; empty to clear.") var category: String?
        @Option(help: "Framework; empty to clear.") var framework: String?
        @Option(help: "Framework id; empty to clear.") var frameworkId: String?

        func validate() throws {
            if newCode == nil && name == nil && category == nil && framework == nil && frameworkId == nil {
                throw ValidationError("nothing to change: give at least one of --code, --name, --category, --framework, --framework-id")
            }
        }

        func run() throws {
            let skill = try database.write { store in
                var skill = try store.skills.get(code)
                if let newCode { skill.code = newCode }
                if let name { skill.name = name }
                if let category { skill.category = category.isEmpty ? nil : category }
                if let framework { skill.framework = framework.isEmpty ? nil : framework }
                if let frameworkId { skill.frameworkID = frameworkId.isEmpty ? nil : frameworkId }
                try store.skills.update(skill)
                return skill
            }
            OutputSink.standardOutput().write("updated skill \(skill.code)\n")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a skill.",
            discussion: "A skill taught by credentials is kept unless --force, which drops it from them; a skill a stack requires is always kept.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The skill's code.") var code: String
        @Flag(help: "Also drop it from the credentials that teach it.") var force = false

        func run() throws {
            try database.write { try $0.skills.remove(code, force: force) }
            OutputSink.standardOutput().write("removed skill \(code)\n")
        }
    }
}
