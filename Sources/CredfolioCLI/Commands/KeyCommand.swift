import ArgumentParser
import CredfolioBadges
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// `key generate`: an Ed25519 key for signing exported portfolios.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Make a signing key for export clr --sign-key.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a new Ed25519 private key, as a JWK, to a new file readable by its owner only.")
        @Argument(help: "The new key file.", completion: .file()) var file: String

        func run() throws {
            if access(file, F_OK) == 0 { throw CredfolioError.conflict("\(file) already exists; choose a new file for the key") }
            let key = Curve25519.Signing.PrivateKey()
            let jwk = JSONValue.object([
                ("kty", .string("OKP")), ("crv", .string("Ed25519")),
                ("x", .string(Base64.urlEncode(key.publicKey.rawRepresentation))),
                ("d", .string(Base64.urlEncode(key.rawRepresentation))),
            ])
            // Never over a file made meanwhile: the key file gets its name by an exclusive link.
            try writeOutput(to: file, replacing: false) { $0.write(jwk.serialized() + "\n") }
            OutputSink.standardOutput().write("wrote an Ed25519 signing key to \(file) (keep it private)\n")
        }
    }

    /// Reads a key that `key generate` wrote.
    static func read(_ path: String) throws -> Curve25519.Signing.PrivateKey {
        let bytes = try InputFile(path: path).readAll(limit: 64 << 10)
        guard let jwk = try? JSONParser.parse(bytes), case .string("Ed25519")? = jwk["crv"], case .string(let d)? = jwk["d"],
              let raw = Base64.decode(d), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw CredfolioError.invalid("\(path) is not an Ed25519 key made by credfolio key generate") }
        return key
    }
}
