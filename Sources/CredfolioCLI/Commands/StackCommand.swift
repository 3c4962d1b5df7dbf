import ArgumentParser
import CredfolioCore
import CredfolioSystem
import CredfolioEngine
import CredfolioApp
import CredfolioStore

struct StackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "List, show, remove and export stacks (import them with credfolio import stacks FILE).",
        subcommands: [List.self, Show.self, Remove.self, Export.self])
}

extension StackCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",abstract: "List stacks by code.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try database.openForReading()
            var report = Report(columns: ["code", "title", "issuer", "grants", "shared", "requirements", "credentials"])
            for s in try store.stacks.list() {
                let count: Int
                switch s.requires {
                case .all(let c), .choose(_, let c): count = c.count
                default: count = 1
                }
                report.append([.text(s.code), .text(s.title), .text(s.issuer), .text(s.grants), .bool(s.shared),
                               .integer(Int64(count)), .text(s.requires.references.credentials.sorted().joined(separator: ";"))])
            }
            report.render(output.format, to: OutputSink.standardOutput(), emptyMessage: "no stacks")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",abstract: "Show a stack's requirement tree, nested stacks inlined.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The stack's code.") var code: String

        func run() throws {
            let store = try database.openForReading()
            let definition = try store.stacks.get(code)
            let out = OutputSink.standardOutput()
            switch output.format {
            case .json:
                out.write(definition.json.serialized() + "\n")
            case .csv:
                var report = Report(columns: ["code", "title", "issuer", "description", "grants", "shared", "requires"])
                report.append([.text(definition.code), .text(definition.title), .text(definition.issuer),
                               .text(definition.description), .text(definition.grants), .bool(definition.shared),
                               .text(definition.requires.json.serialized(pretty: false))])
                report.renderRecord(.csv, to: out)
            case .table:
                let compiled = try Portfolio(store, only: code).stack(code)
                out.write("\(definition.code)" + (definition.title.map { " — \($0)" } ?? "") + "\n")
                if let issuer = definition.issuer { out.write("issuer: \(issuer)\n") }
                if let grants = definition.grants { out.write("grants: \(grants)\n") }
                if let description = definition.description { out.write(description + "\n") }
                out.write(definition.shared ? "shared: one credential may meet several requirements\n"
                                            : "exclusive: each credential meets at most one requirement\n")
                func visit(_ id: Int, _ depth: Int) {
                    let node = compiled.nodes[id]
                    out.write(String(repeating: "    ", count: depth + 1) + ProgressFormatting.label(node) + "\n")
                    for child in node.children { visit(child, depth + 1) }
                }
                visit(compiled.root, 0)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a stack.",
            discussion: "Refused while another stack nests it; a stack that learners aim at is kept unless --force, which removes those goals too.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The stack's code.") var code: String
        @Flag(help: "Also remove every learner's goal of it.") var force = false

        func run() throws {
            let goals = try database.write { try $0.stacks.remove(code, force: force) }
            OutputSink.standardOutput().write(
                "removed stack \(code)" + (goals > 0 ? " and \(NumberText.grouped(goals)) learner goal\(goals == 1 ? "" : "s")" : "") + "\n")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write stacks as the JSON that import stacks reads: every stack as a list, or one as an object.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Only this stack.") var code: String?
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            try Self.write(try database.openForReading(), code: code, to: output)
        }

        static func write(_ store: Store, code: String?, to output: String?) throws {
            let json: JSONValue = try code.map { try store.stacks.get($0).json } ?? .array(try store.stacks.list().map(\.json))
            try writeOutput(to: output) { $0.write(json.serialized() + "\n") }
        }
    }
}
