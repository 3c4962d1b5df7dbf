import ArgumentParser
import CredfolioBadges
import CredfolioCore
import CredfolioStore
import CredfolioSystem

/// `issuer key add|list|remove`: the local trust store of issuers' keys.
struct IssuerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issuer", abstract: "Keys trusted for badge issuers: a signature that checks with one is verified.",
        subcommands: [Key.self])

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key", abstract: "Add, list and remove keys trusted for an issuer.", subcommands: [Add.self, List.self, Remove.self])
    }
}

extension IssuerCommand.Key {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Trust a public key (PEM, or a JWK) for the issuer id (its IRI, or a did:web).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The issuer's id, as its badges name it.") var issuer: String
        @Argument(help: "The public key: a PEM file (RSA, EC P-256) or a JWK (RSA, EC P-256, Ed25519).", completion: .file()) var file: String

        func run() throws {
            let text = String(decoding: try InputFile(path: file).readAll(limit: 20_000), as: UTF8.self)
            let kind = try JWS.keyKind(text)
            let id = try Field.text(issuer, "issuer", maxBytes: 2_000)
            let added = try database.write { try $0.issuerKeys.add(TrustedKey(issuerID: id, text: text, kind: kind, addedOn: Day.today())) }
            OutputSink.standardOutput().write("trusted \(kind) key \(added.id ?? 0) for \(id)\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the trusted keys, by issuer.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            var report = Report(columns: ["id", "issuer", "kind", "added_on", "fingerprint"])
            for key in try database.openForReading().issuerKeys.list() {
                report.append([.integer(key.id), .text(key.issuerID), .text(key.kind), .day(key.addedOn),
                               .text(String(Fingerprint.sha256(Array(key.text.utf8)).prefix(16)))])
            }
            report.render(output.format, to: OutputSink.standardOutput(), emptyMessage: "no trusted keys")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Stop trusting a key of the issuer (the id issuer key list gives), or all of its keys.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The issuer's id.") var issuer: String
        @Argument(help: "The key's id (default: every key of the issuer).") var key: Int64?

        func run() throws {
            let removed = try database.write { try $0.issuerKeys.remove(issuerID: issuer, id: key) }
            OutputSink.standardOutput().write("no longer trusting \(removed) key\(removed == 1 ? "" : "s") for \(issuer)\n")
        }
    }
}
