public import Crypto
public import _CryptoExtras
import Foundation
@testable public import CredfolioCore
@testable import CredfolioBadges

/// Badge fixtures the tests make themselves: documents, signatures with
/// test keys, baked PNGs and SVGs.
public enum BadgeFixtures {
    public static func json(_ value: JSONValue) -> [UInt8] { Array(value.serialized(pretty: false).utf8) }

    public static func sha256Identity(_ email: String, salt: String) -> String {
        "sha256$" + SHA256.hash(data: Array((email + salt).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func md5Identity(_ email: String, salt: String) -> String {
        "md5$" + Insecure.MD5.hash(data: Array((email + salt).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static let badgeClass: JSONValue = .object([
        ("@context", .string("https://w3id.org/openbadges/v2")), ("type", .string("BadgeClass")),
        ("id", .string("https://issuer.test/badges/sql.json")), ("name", .string("SQL Fundamentals")),
        ("description", .string("Writes joins")), ("criteria", .string("https://issuer.test/criteria/sql")),
        ("issuer", .string("https://issuer.test/issuer.json")),
        ("alignment", .array([.object([("targetName", .string("Query databases")), ("targetFramework", .string("ESCO")),
                                       ("targetCode", .string("S1.2.3"))])])),
    ])

    public static func issuer(key: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("@context", .string("https://w3id.org/openbadges/v2")), ("type", .string("Issuer")),
                                              ("id", .string("https://issuer.test/issuer.json")), ("name", .string("Test College"))]
        if let key { members.append(("publicKey", .string(key))) }
        return .object(members)
    }

    public static func cryptographicKey(pem: String) -> JSONValue {
        .object([("@context", .string("https://w3id.org/openbadges/v2")), ("type", .string("CryptographicKey")),
                 ("id", .string("https://issuer.test/key.json")), ("owner", .string("https://issuer.test/issuer.json")),
                 ("publicKeyPem", .string(pem))])
    }

    public static func assertion(identity: String, hashed: Bool = true, id: String = "https://issuer.test/assertions/1",
                          issuedOn: String = "2026-03-14T09:00:00-05:00", expires: String? = nil, embedded: Bool = false,
                          signed: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("@context", .string("https://w3id.org/openbadges/v2")), ("type", .string("Assertion")), ("id", .string(id)),
            ("recipient", .object([("type", .string("email")), ("hashed", .bool(hashed)), ("salt", .string("pepper")),
                                   ("identity", .string(identity))])),
            ("badge", embedded ? .object(Array(badgeClassMembers) + [("issuer", issuer())]) : .string("https://issuer.test/badges/sql.json")),
            ("issuedOn", .string(issuedOn)),
            ("evidence", .string("https://portfolio.test/sql")),
            ("verification", signed ? .object([("type", .string("signed")), ("creator", .string("https://issuer.test/key.json"))])
                : .object([("type", .string("hosted"))])),
        ]
        if let expires { members.append(("expires", .string(expires))) }
        return .object(members)
    }

    public static var badgeClassMembers: [(String, JSONValue)] {
        guard case .object(let members) = badgeClass else { return [] }
        return members.filter { $0.0 != "issuer" }
    }

    /// An OB 3.0 credential; `vcdm11` uses issuanceDate/expirationDate.
    public static func credential(email: String?, vcdm11: Bool = false, name: String = "Cloud Essentials",
                           achievementID: String = "https://issuer.test/achievements/cloud") -> JSONValue {
        var subject: [(String, JSONValue)] = [("type", .array([.string("AchievementSubject")]))]
        if let email {
            subject.append(("identifier", .array([.object([
                ("type", .string("IdentityObject")), ("identityHash", .string(sha256Identity(email, salt: "salt3"))),
                ("identityType", .string("emailAddress")), ("hashed", .bool(true)), ("salt", .string("salt3"))])])))
        } else {
            subject.append(("id", .string("did:example:learner")))
        }
        subject.append(("achievement", .object([
            ("id", .string(achievementID)), ("type", .array([.string("Achievement")])), ("name", .string(name)),
            ("humanCode", .string("cloud-ess")), ("achievementType", .string("Certificate")), ("creditsAvailable", .integer(3)),
            ("criteria", .object([("id", .string("https://issuer.test/criteria/cloud"))])),
        ])))
        return .object([
            ("@context", .array([.string(vcdm11 ? "https://www.w3.org/2018/credentials/v1" : "https://www.w3.org/ns/credentials/v2")])),
            ("id", .string("urn:uuid:cloud-1")), ("type", .array([.string("VerifiableCredential"), .string("OpenBadgeCredential")])),
            ("issuer", .object([("id", .string("https://issuer.test")), ("name", .string("Cloud Academy"))])),
            (vcdm11 ? "issuanceDate" : "validFrom", .string("2026-05-01T00:00:00Z")),
            (vcdm11 ? "expirationDate" : "validUntil", .string("2029-05-01T00:00:00Z")),
            ("credentialSubject", .object(subject)),
        ])
    }

    public static func jws(header: JSONValue, payload: [UInt8], sign: ([UInt8]) throws -> [UInt8]) rethrows -> String {
        let input = Base64.urlEncode(json(header)) + "." + Base64.urlEncode(payload)
        return input + "." + Base64.urlEncode(try sign(Array(input.utf8)))
    }

    public static func rs256(_ payload: [UInt8], key: _RSA.Signing.PrivateKey, embedKey: Bool) throws -> String {
        var header: [(String, JSONValue)] = [("alg", .string("RS256"))]
        if embedKey {
            let primitives = try key.publicKey.getKeyPrimitives()
            header.append(("jwk", .object([("kty", .string("RSA")), ("n", .string(Base64.urlEncode(Array(primitives.modulus)))),
                                           ("e", .string(Base64.urlEncode(Array(primitives.publicExponent))))])))
        }
        return try jws(header: .object(header), payload: payload) {
            Array(try key.signature(for: $0, padding: .insecurePKCS1v1_5).rawRepresentation)
        }
    }

    public static func es256(_ payload: [UInt8], key: P256.Signing.PrivateKey) throws -> String {
        let raw = Array(key.publicKey.rawRepresentation)
        let header: JSONValue = .object([("alg", .string("ES256")), ("jwk", .object([
            ("kty", .string("EC")), ("crv", .string("P-256")), ("x", .string(Base64.urlEncode(raw[0..<32]))),
            ("y", .string(Base64.urlEncode(raw[32..<64])))]))])
        return try jws(header: header, payload: payload) { Array(try key.signature(for: $0).rawRepresentation) }
    }

    /// A 1×1 grey PNG, valid to any viewer.
    public static let png: [UInt8] = {
        var bytes = PNGChunks.signature
        bytes += PNGChunks.chunk(type: "IHDR", data: [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        bytes += PNGChunks.chunk(type: "IDAT", data: [0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, 0x80, 0x00, 0x81, 0x00, 0x81])
        bytes += PNGChunks.chunk(type: "IEND", data: [])
        return bytes
    }()

    public static let svg = #"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#
}

