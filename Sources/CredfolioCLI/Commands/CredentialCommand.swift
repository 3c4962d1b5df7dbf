import ArgumentParser
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioStore

struct CredentialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential", abstract: "Add, list, show, edit and remove catalog credentials.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Link.self])
}

/// The catalog fields, shared by `credential add` and `credential edit`.
struct CredentialFields: ParsableArguments {
    @Option(help: "Title, e.g. \"AWS Certified Cloud Practitioner\".") var title: String?
    @Option(help: "The issuing organisation.") var issuer: String?
    @Option(help: "badge, certificate, certification, course, micro-credential, license, degree, diploma, credential, learning-opportunity, learning-program or assessment.")
    var kind: CredentialKind?
    @Option(parsing: .unconditional, help: "Notional workload in whole hours; empty for unknown.") var hours: String?
    @Option(parsing: .unconditional, help: "Credits (with --credit-unit); empty to clear.") var credits: String?
    @Option(help: "The credits' unit: ECTS, semester-hour, CEU, …") var creditUnit: String?
    @Option(parsing: .unconditional, help: "Cost in the currency's units, e.g. 100 or 49.99; empty for unknown.") var cost: String?
    @Option(help: "ISO 4217 currency code (default USD).") var currency: String?
    @Option(parsing: .unconditional, help: "Typical duration in weeks; empty for unknown.") var weeks: String?
    @Option(parsing: .unconditional, help: "Delivery: in-person, online or hybrid, or several as in-person;online; empty for unknown.")
    var delivery: String?
    @Option(help: "Level, e.g. foundational, associate, professional.") var level: String?
    @Option(parsing: .unconditional, help: "Months until an earned award lapses, or never; empty for unknown.") var validityMonths: String?
    @Option(help: "What it is, in a sentence or a paragraph.") var description: String?
    @Option(name: .customLong("occupation"), help: "An O*NET-SOC code of an occupation it prepares for (repeat for several).")
    var occupations: [String] = []
    @Option(help: "Whether employers validated it: true or false.") var employerValidated: String?
    @Option(help: "The accrediting or endorsing body.") var accreditation: String?
    @Option(help: "Its web page.") var url: String?
    @Option(name: .customLong("skill"), help: "A skill it teaches (repeat for several).") var skills: [String] = []

    /// Applies every option given to `credential`.
    func apply(to c: inout Credential) throws {
        func clear(_ text: String?) -> String?? { text.map { $0.isEmpty ? nil : $0 } }
        if let title { c.title = title }
        if let v = clear(issuer) { c.issuer = v }
        if let kind { c.kind = kind }
        if let hours { c.hours = hours.isEmpty ? nil : try Field.hours(hours) }
        if let credits { c.credits = credits.isEmpty ? nil : try Field.credits(credits) }
        if let v = clear(creditUnit) { c.creditUnit = v }
        if let cost { c.costCents = cost.isEmpty ? nil : try Field.cents(cost, "cost") }
        if let currency { c.currency = try Field.currency(currency) }
        if let weeks { c.weeks = weeks.isEmpty ? nil : try Field.weeks(weeks) }
        if let delivery { c.deliveries = try Field.deliveries(delivery, "delivery") }
        if let v = clear(level) { c.level = v }
        if let validityMonths { c.validity = try Field.validity(validityMonths) }
        if let v = clear(description) { c.description = v }
        if !occupations.isEmpty { c.occupations = occupations.filter { !$0.isEmpty } }
        if let employerValidated { c.employerValidated = try Field.bool(employerValidated, "employer_validated") }
        if let v = clear(accreditation) { c.accreditation = v }
        if let v = clear(url) { c.url = v }
        if !skills.isEmpty { c.skills = skills.filter { !$0.isEmpty } }
    }

    var isEmpty: Bool {
        title == nil && issuer == nil && kind == nil && hours == nil && credits == nil && creditUnit == nil
            && cost == nil && currency == nil && weeks == nil && delivery == nil && level == nil
            && validityMonths == nil && employerValidated == nil && accreditation == nil && url == nil && skills.isEmpty
            && description == nil && occupations.isEmpty
    }
}

extension CredentialCommand {
    static let columns = [
        "code", "title", "issuer", "kind", "hours", "credits", "credit_unit", "cost", "currency", "weeks", "format",
        "level", "validity_months", "employer_validated", "accreditation", "url", "skills", "ctid", "description", "occupations",
        "prerequisites",
    ]

    /// The record in the columns import reads; `prerequisites` is that cell
    /// (the routes' JSON for programs, their words for a person).
    static func row(_ c: Credential, prerequisites: Cell) -> [Cell] {
        [.text(c.code), .text(c.title), .text(c.issuer), .text(c.kind.rawValue), .known(c.hours),
         .decimal(c.credits.map(NumberText.plain)), .text(c.creditUnit), .knownCost(c.costCents),
         .text(c.currency), .known(c.weeks), .deliveries(c.deliveries), .text(c.level), .validity(c.validity),
         .bool(c.employerValidated), .text(c.accreditation), .text(c.url), .text(c.skills.joined(separator: ";")),
         .text(c.ctid), .text(c.description), .text(c.occupations.joined(separator: ";")), prerequisites]
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",abstract: "Add a credential to the catalog.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The credential's code, e.g. aws-ccp.") var code: String
        @OptionGroup var fields: CredentialFields

        func validate() throws {
            guard fields.title != nil else { throw ValidationError("missing --title") }
        }

        func run() throws {
            var credential = Credential(code: code, title: "")
            try fields.apply(to: &credential)
            credential = try database.write { [credential] in try $0.credentials.add(credential) }
            OutputSink.standardOutput().write("added credential \(credential.code) (\(credential.title))\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",abstract: "List the catalog by code.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only credentials that teach this skill.") var skill: String?
        @Option(help: "Only credentials that prepare for this occupation (an O*NET-SOC code, such as 15-1232.00).")
        var occupation: String?
        @Option(help: "Only credentials offered this way (repeat for any of several).") var delivery: [DeliveryFormat] = []

        func run() throws {
            let store = try database.openForReading()
            if let skill { _ = try store.skills.get(skill) }
            let credentials = try store.credentials.list(skill: skill, occupation: try occupation.map { try Field.occupation($0) },
                                                         deliveries: delivery)
            let out = OutputSink.standardOutput()
            if output.format == .table {
                // The full record is wide; a person's list shows what decides a choice.
                var report = Report(columns: ["code", "title", "kind", "hours", "cost", "weeks", "validity_months", "skills"])
                for c in credentials {
                    report.append([.text(c.code), .text(c.title), .text(c.kind.rawValue), .known(c.hours),
                                   .knownCost(c.costCents), .known(c.weeks),
                                   .validity(c.validity), .text(c.skills.joined(separator: ";"))])
                }
                report.render(.table, to: out, emptyMessage: "no credentials")
            } else {
                let routes = try store.credentials.routesByCredential()
                var report = Report(columns: CredentialCommand.columns)
                for c in credentials { report.append(CredentialCommand.row(c, prerequisites: .text(CredentialRoute.cell(routes[c.id!] ?? [])))) }
                report.render(output.format, to: out)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one credential, and the stacks that name it (directly or through a stack they nest).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The credential's code.") var code: String

        func run() throws {
            let store = try database.openForReading()
            let credential = try store.credentials.get(code)
            let stacks = try store.credentials.namingStacks(code)
            let routes = (try store.credentials.routesByCredential(only: credential.id!)[credential.id!] ?? []).map(\.words)
            var report = Report(columns: CredentialCommand.columns + ["stacks"])
            report.append(CredentialCommand.row(credential, prerequisites: .text(routes.joined(separator: " | "))) + [.text(stacks.joined(separator: ";"))])
            report.renderRecord(output.format, to: OutputSink.standardOutput(),
                                listing: ["skills": credential.skills, "stacks": stacks, "occupations": credential.occupations,
                                          "prerequisites": routes])
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a credential.",
            discussion: "Options given replace the stored values; --skill replaces the whole skill list. An empty value clears an optional field.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The credential's code.") var code: String
        @Option(name: .customLong("code"), help: "A new code.") var newCode: String?
        @OptionGroup var fields: CredentialFields

        func validate() throws {
            if fields.isEmpty && newCode == nil { throw ValidationError("nothing to change") }
        }

        func run() throws {
            let credential = try database.write { store in
                var credential = try store.credentials.get(code)
                if let newCode { credential.code = newCode }
                try fields.apply(to: &credential)
                try store.credentials.update(credential)
                return credential
            }
            OutputSink.standardOutput().write("updated credential \(credential.code)\n")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a credential from the catalog.",
            discussion: "A credential with awards is kept unless --force, which removes the awards too; one that a stack names is always kept.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The credential's code.") var code: String
        @Flag(help: "Also remove every award of it.") var force = false

        func run() throws {
            let awards = try database.write { try $0.credentials.remove(code, force: force) }
            OutputSink.standardOutput().write(
                "removed credential \(code)" + (awards > 0 ? " and \(NumberText.grouped(awards)) award\(awards == 1 ? "" : "s")" : "") + "\n")
        }
    }
}
