import ArgumentParser
import CredfolioCore
import CredfolioSystem
import CredfolioStore

/// A team's PostgreSQL database: its roles and who sees which cohorts.
struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "A team's PostgreSQL database: roles, and which cohorts each coach or viewer sees.",
        discussion: """
            The server enforces it, with row-level security: a coach sees and changes only the learners of \
            the cohorts granted to them, through credfolio or psql alike. See the README's "A team's database".
            """,
        subcommands: [Init.self, Grant.self, Revoke.self, List.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the team's roles (owner, admin, coach, viewer) and turn on row-level security; run as the database's owner.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try database.write(retrying: false) { store in
                try store.team.initialize()
                return store
            }
            OutputSink.standardOutput().write(
                "team ready in \(store.path): give people roles in credfolio_admin, credfolio_coach or credfolio_viewer, then credfolio team grant\n")
        }
    }

    /// A role and a cohort: what grant and revoke take.
    struct CohortGrant: ParsableArguments {
        @Argument(help: "The role: a person's login role, or a group of them.") var role: String
        @Option(help: "The cohort.") var cohort: String
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a coach or viewer role see (and a coach change) a cohort.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var grant: CohortGrant

        func run() throws {
            let (role, cohort) = (grant.role, grant.cohort)
            let added = try database.write { try $0.team.grant(role, cohort: cohort) }
            OutputSink.standardOutput().write(added ? "granted cohort \(cohort) to \(role)\n" : "\(role) already has cohort \(cohort)\n")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a cohort back from a role.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var grant: CohortGrant

        func run() throws {
            let (role, cohort) = (grant.role, grant.cohort)
            try database.write { try $0.team.revoke(role, cohort: cohort) }
            OutputSink.standardOutput().write("revoked cohort \(cohort) from \(role)\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the grants: role, kind and cohort.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            var report = Report(columns: ["role", "kind", "cohort"])
            for grant in try database.openForReading().team.grants() {
                report.append([.text(grant.role), .text(grant.kind), .text(grant.cohort)])
            }
            report.render(output.format, to: OutputSink.standardOutput(), emptyMessage: "no grants")
        }
    }
}
