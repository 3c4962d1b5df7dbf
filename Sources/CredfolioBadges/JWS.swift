public import Crypto
import _CryptoExtras
public import CredfolioCore

/// A compact JWS (`header.payload.signature`, base64url each), as OB 2.0
/// signed assertions and OB 3.0 / CLR VC-JWTs arrive.
public struct JWS: Sendable {
    public let header: JSONValue
    public let payload: [UInt8]
    let signingInput: [UInt8]
    let signature: [UInt8]

    /// True for three base64url parts separated by dots, nothing else.
    /// Text that is a compact JWS, or what is left of one (a JWT cut short
    /// has fewer parts): base64url parts joined by dots, the first a JSON
    /// header (`eyJ…`, the encoding of `{"`).
    public static func looksLikeJWS(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts[0].hasPrefix("eyJ") && parts.allSatisfy { part in
            part.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 }
        }
    }

    public init(_ text: String) throws(CredfolioError) {
        let parts = text.trimmingSpaces().split(separator: ".", omittingEmptySubsequences: false)
        if parts.count < 3 && parts.first?.hasPrefix("eyJ") == true {
            throw .invalid("a truncated JWT: it has \(parts.count) of the 3 parts of a signed one (header.payload.signature)")
        }
        guard parts.count == 3, let header = Base64.decode(parts[0]), let payload = Base64.decode(parts[1]) else {
            throw .invalid("not a compact JWS (three base64url parts)")
        }
        // A base64url part cannot be one character over a multiple of four: the file was cut there.
        guard let signature = Base64.decode(parts[2]) else { throw .invalid("a truncated JWT: its signature is cut short") }
        do {
            self.header = try JSONParser.parse(header)
        } catch {
            throw .invalid("the JWS header is not JSON: \(error)")
        }
        if let alg = Self.algorithmName(self.header), let expected = Self.signatureBytes[alg], signature.count < expected {
            throw .invalid("a truncated JWT: its signature is \(signature.count) bytes, and \(alg) signatures are \(expected)")
        }
        self.payload = payload
        self.signature = signature
        signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
    }

    public var algorithm: String? { Self.algorithmName(header) }

    private static func algorithmName(_ header: JSONValue) -> String? {
        if case .string(let alg)? = header["alg"] { return alg }
        return nil
    }

    /// The length of a signature, for algorithms whose signatures have one
    /// length: a shorter one was cut short.
    private static let signatureBytes = ["EdDSA": 64, "ES256": 64, "ES384": 96]

    /// The payload as JSON.
    public func payloadJSON() throws(CredfolioError) -> JSONValue {
        do {
            return try JSONParser.parse(payload)
        } catch {
            throw .invalid("the JWS payload is not JSON: \(error)")
        }
    }

    /// Checks the signature with an RSA public key in PEM (RS256).
    public func verify(pem: String) throws(CredfolioError) -> Bool {
        guard algorithm == "RS256" else { throw .invalid("the JWS is signed with \(algorithm ?? "no algorithm"), not RS256") }
        do {
            let key = try _RSA.Signing.PublicKey(pemRepresentation: pem)
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput,
                                        padding: .insecurePKCS1v1_5)
        } catch {
            throw .invalid("the issuer's public key cannot be read: \(error)")
        }
    }

    /// Checks the signature with the key in the header's `jwk` (RS256,
    /// ES256 or EdDSA); nil when the header carries no such key.
    public func verifyWithEmbeddedKey() throws(CredfolioError) -> Bool? {
        guard let jwk = header["jwk"] else { return nil }
        return try verify(jwk: jwk)
    }

    /// Checks the signature with the public key `jwk` (RS256, ES256 or EdDSA).
    func verify(jwk: JSONValue) throws(CredfolioError) -> Bool {
        func field(_ name: String) throws(CredfolioError) -> [UInt8] {
            guard case .string(let text)? = jwk[name], let bytes = Base64.decode(text) else {
                throw .invalid("the JWS header's jwk has no \(name)")
            }
            return bytes
        }
        do {
            switch algorithm {
            case "RS256":
                let key = try _RSA.Signing.PublicKey(n: try field("n"), e: try field("e"))
                return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput,
                                            padding: .insecurePKCS1v1_5)
            case "ES256":
                let key = try P256.Signing.PublicKey(rawRepresentation: try field("x") + field("y"))
                return key.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: signingInput)
            case "EdDSA", "Ed25519":
                let key = try Curve25519.Signing.PublicKey(rawRepresentation: try field("x"))
                return key.isValidSignature(signature, for: signingInput)
            default:
                throw CredfolioError.invalid("the JWS is signed with \(algorithm ?? "no algorithm"), which credfolio does not check")
            }
        } catch let error as CredfolioError {
            throw error
        } catch {
            throw .invalid("the key in the JWS header cannot be read: \(error)")
        }
    }

    /// A public key as `issuer key add` takes it, PEM or JWK: its kind
    /// (`RSA`, `EC P-256`, `Ed25519`); throws when it is none of these, or
    /// holds a private part (the trust store keeps public keys only).
    public static func keyKind(_ text: String) throws(CredfolioError) -> String {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("-----BEGIN") {
            guard !trimmed.contains("PRIVATE KEY") else { throw .invalid("the file holds a private key: give the public key") }
            if (try? _RSA.Signing.PublicKey(pemRepresentation: trimmed)) != nil { return "RSA" }
            if (try? P256.Signing.PublicKey(pemRepresentation: trimmed)) != nil { return "EC P-256" }
            throw .invalid("the PEM file is not an RSA or EC P-256 public key (give an Ed25519 key as a JWK)")
        }
        guard let jwk = try? JSONParser.parse(Array(trimmed.utf8)), case .string(let kty)? = jwk["kty"] else {
            throw .invalid("not a public key: give a PEM file or a JWK")
        }
        guard jwk["d"] == nil else { throw .invalid("the JWK holds a private key (its d): give the public key") }
        switch (kty, jwk["crv"]) {
        case ("RSA", _): return "RSA"
        case ("EC", .string("P-256")?): return "EC P-256"
        case ("OKP", .string("Ed25519")?): return "Ed25519"
        default: throw .invalid("the JWK is not an RSA, EC P-256 or Ed25519 key")
        }
    }

    /// Checks the signature with a trusted key (PEM or JWK, as
    /// ``keyKind(_:)`` reads it); false when the key is of another kind
    /// than the signature's algorithm, or the signature does not check.
    public func verify(trusted text: String) -> Bool {
        let trimmed = text.trimmingSpaces()
        do {
            if trimmed.hasPrefix("-----BEGIN") {
                switch algorithm {
                case "RS256":
                    return try _RSA.Signing.PublicKey(pemRepresentation: trimmed)
                        .isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput, padding: .insecurePKCS1v1_5)
                case "ES256":
                    return try P256.Signing.PublicKey(pemRepresentation: trimmed)
                        .isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: signature), for: signingInput)
                default:
                    return false
                }
            }
            return try verify(jwk: try JSONParser.parse(Array(trimmed.utf8)))
        } catch {
            return false
        }
    }

    /// A compact JWS of `payload`, signed with an Ed25519 key, its public
    /// half in the header's `jwk` (`alg` EdDSA).
    public static func signEdDSA(payload: [UInt8], key: Curve25519.Signing.PrivateKey, type: String? = nil) throws -> String {
        var header: [(String, JSONValue)] = [("alg", .string("EdDSA"))]
        if let type { header.append(("typ", .string(type))) }
        header.append(("jwk", .object([("kty", .string("OKP")), ("crv", .string("Ed25519")),
                                       ("x", .string(Base64.urlEncode(key.publicKey.rawRepresentation)))])))
        let input = Base64.urlEncode(Array(JSONValue.object(header).serialized(pretty: false).utf8)) + "." + Base64.urlEncode(payload)
        let signature = try key.signature(for: Array(input.utf8))
        return input + "." + Base64.urlEncode(signature)
    }
}
