public import CredfolioCore

/// One credential read from a badge file: what becomes a catalog entry,
/// what becomes an award, whom it was issued to, what could be verified,
/// and the original bytes to keep.
public struct ImportedBadge: Sendable {
    /// `ob2-json`, `ob2-jws`, `ob2-png`, `ob2-svg`, `ob3-json`, `ob3-jwt`,
    /// `ob3-png`, `ob3-svg`, `clr-json`, `clr-jwt`, `clr-png` or `clr-svg`.
    public var format: String
    public var achievementID: String?
    public var humanCode: String?
    public var name: String
    public var description: String?
    public var issuerName: String?
    public var achievementType: String?
    public var credits: Double?
    public var criteriaURL: String?
    public var alignments: [Alignment] = []
    /// What credfolio's own extension of an exported achievement carries
    /// (``CatalogExtension``): read back, a CLR round trip keeps the catalog.
    public var catalog: CatalogExtension?
    /// For a credential inside a CLR: what the CLR's own signature or proof
    /// proves, as ``verification`` words it.
    public var containerVerification: String?
    /// The assertion's or credential's own id: a newer version of the same
    /// one replaces the award.
    public var assertionID: String?
    public var earnedOn: Day?
    public var expiresOn: Day?
    public var evidenceURL: String?
    public var revoked = false
    public var recipient: Recipient
    /// `verified`, `intact (key carried by the credential)` or `not verified: REASON`.
    public var verification: String
    /// The bytes kept: the whole file, or for a credential inside a CLR the
    /// JWT or the JSON object as it stood there.
    public var original: [UInt8]

    /// The catalog fields Open Badges 3.0 has no place for, which `export clr`
    /// writes in an achievement under the term `credfolio:catalog` (the
    /// prefix `credfolio` is defined in the credential's `@context`).
    public struct CatalogExtension: Sendable, Equatable {
        public static let term = "credfolio:catalog"
        public static let namespace = "https://credfolio.invalid/ns/catalog#"
        public var hours: Int64?
        public var costCents: Int64?
        public var currency: String?
        public var weeks: Int64?
        public var validityMonths: Int64?
        /// The credential never lapses (`"validity": "never"`); without it
        /// and without `validityMonths`, how long it lasts is unknown.
        public var neverLapses = false
        public var format: String?
        public var creditUnit: String?
        public var level: String?
    }

    public struct Alignment: Sendable, Equatable {
        public var name: String
        public var framework: String?
        public var code: String?
    }

    /// Whom the badge names.
    public enum Recipient: Sendable, Equatable {
        /// `sha256$…` or `md5$…` of the address plus `salt`.
        case hashed(algorithm: String, digest: String, salt: String)
        case email(String)
        /// A DID or URL only: nothing to compare an email with.
        case unverifiable(String?)
    }

    /// A readable, stable code: the humanCode, else a slug of issuer and name.
    public var code: String {
        if let humanCode, Slug.isValid(humanCode) { return humanCode }
        return Slug.from([issuerName, name].compactMap { $0 }.joined(separator: " "), otherwise: "badge")
    }
}

/// Reads Open Badges 2.0 and 3.0 and CLR 2.0 files, recognised from their
/// content, offline: JSON, compact JWS / VC-JWT, PNG baked with `iTXt`, and
/// SVG baked with `<openbadges:assertion>` or `<openbadges:credential>`.
public struct BadgeReader: Sendable {
    /// Documents passed with `--linked` (BadgeClass, Issuer profile,
    /// CryptographicKey), by their `id`.
    public let linked: [String: JSONValue]
    /// The local trust store: keys (PEM or JWK) trusted for each issuer id.
    public let trusted: [String: [String]]

    public init(linked: [JSONValue] = [], trusted: [String: [String]] = [:]) {
        var byID: [String: JSONValue] = [:]
        for document in linked { if case .string(let id)? = document["id"] { byID[id] = document } }
        self.linked = byID
        self.trusted = trusted
    }

    /// The words of a signature that checks with a key supplied beside the
    /// file (or carried by it) but not trusted for its issuer.
    static let suppliedKey = "signed (key supplied with the file, not confirmed with the issuer)"

    /// Every credential in `bytes` (one, or several for a CLR). Throws
    /// with the reason when the file cannot be read, is not a badge, needs
    /// the network, or carries a signature that does not match.
    public func read(_ bytes: [UInt8]) throws(CredfolioError) -> [ImportedBadge] {
        guard !bytes.isEmpty else { throw .invalid("the file is empty") }
        if PNGChunks.isPNG(bytes) {
            let baked = try PNGChunks.texts(bytes).filter { BadgeKeyword(rawValue: $0.keyword) != nil }
            guard let first = baked.first else {
                throw .invalid("the PNG image has no baked-in badge (no openbadges, openbadgecredential or clrcredential chunk)")
            }
            // Two different badges in one image: which one the image stands for cannot be told.
            if baked.contains(where: { $0.text != first.text }) {
                throw .invalid("the PNG image is ambiguous: it holds \(baked.count) baked-in badge chunks that differ; a baked badge holds one")
            }
            return try readText(first.text, container: "png", original: bytes)
        }
        guard let text = bytes.withUnsafeBufferPointer({ UTF8Check.isValid($0) }) ? String(decoding: bytes, as: UTF8.self) : nil else {
            throw .invalid("not a badge: neither a PNG image nor UTF-8 text")
        }
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("<") {
            guard let baked = SVGBadge.baked(trimmed) else {
                throw .invalid(SVGBadge.looksLikeSVG(trimmed) ? "the SVG image has no baked-in badge (no openbadges:assertion or openbadges:credential element)"
                               : "not a badge: XML that is not an SVG image")
            }
            if let content = baked.content {
                return try readText(content, container: "svg", original: bytes)
            }
            if let verify = baked.verify {
                return try readText(verify, container: "svg", original: bytes)
            }
            throw .invalid("the SVG's \(baked.element) element is empty")
        }
        return try readText(trimmed, container: nil, original: bytes)
    }

    /// A badge as text: JSON, a JWS, or a URL (which cannot be read offline).
    func readText(_ text: String, container: String?, original: [UInt8]) throws(CredfolioError) -> [ImportedBadge] {
        let text = text.trimmingSpaces()
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            throw .invalid("the badge carries only the URL \(text): a hosted or Open Badges 1.0 badge cannot be read offline")
        }
        if JWS.looksLikeJWS(text) {
            let jws = try JWS(text)
            var payload = try jws.payloadJSON()
            if let vc = payload["vc"] { payload = vc }
            let family = try Self.family(of: payload)
            let format = family + "-" + (container ?? (family == "ob2" ? "jws" : "jwt"))
            switch family {
            case "ob2":
                return [try assertion(payload, format: format, original: original, jws: jws)]
            case "ob3":
                return [try credential(payload, format: format, original: original, verification: try verification(of: jws, payload: payload))]
            default:
                // A CLR whose own signature does not match is refused whole;
                // each credential inside keeps its own verification.
                return try clr(payload, format: format, original: original, verification: try verification(of: jws, payload: payload))
            }
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw .invalid("the badge's JSON is not valid: \(error)")
        }
        let family = try Self.family(of: json)
        let format = family + "-" + (container ?? "json")
        switch family {
        case "ob2": return [try assertion(json, format: format, original: original, jws: nil)]
        case "ob3": return [try credential(json, format: format, original: original, verification: Self.proofVerification(json))]
        default: return try clr(json, format: format, original: original)
        }
    }

    /// `ob2`, `ob3` or `clr`, from the document's `type`.
    static func family(of json: JSONValue) throws(CredfolioError) -> String {
        let types = strings(json["type"])
        if types.contains("ClrCredential") { return "clr" }
        if types.contains("VerifiableCredential") || types.contains("OpenBadgeCredential") || types.contains("AchievementCredential") {
            guard types.contains("OpenBadgeCredential") || types.contains("AchievementCredential") else {
                throw .invalid("a verifiable credential that is not an OpenBadgeCredential, AchievementCredential or ClrCredential")
            }
            return "ob3"
        }
        if types.contains("Assertion") { return "ob2" }
        // Open Badges 1.0 (and 0.5): an assertion with no type, whose badge is a URL. It is known by its badge
        // URL beside a recipient, or by its own marks: a uid, an identity, hosted verification.
        let legacyMarks = json["uid"] != nil || json["identity"] != nil || json["recipient"]?["identity"] != nil
            || strings(json["verify"]?["type"]).contains("hosted")
        if case .string(let badge)? = json["badge"], json["recipient"] != nil || legacyMarks {
            throw .invalid("an Open Badges 1.0 assertion whose badge is only the URL \(badge): it cannot be read offline")
        }
        if legacyMarks {
            let url = strings(json["verify"]?["url"]).first ?? strings(json["badge"]?["id"]).first
            throw .invalid("an Open Badges 1.0 assertion" + (url.map { " whose badge is only the URL \($0)" } ?? " without its badge")
                           + ": it cannot be read offline")
        }
        throw .invalid("not an Open Badges or CLR document (its type is neither Assertion, OpenBadgeCredential, AchievementCredential nor ClrCredential)")
    }

    // MARK: Open Badges 2.0

    func resolve(_ value: JSONValue?, what: String) throws(CredfolioError) -> JSONValue {
        switch value {
        case .object?: return value!
        case .string(let iri)?:
            guard let document = linked[iri] else {
                throw .invalid("the \(what) is the IRI \(iri), which is not among the --linked files: pass its document with --linked")
            }
            return document
        default:
            throw .invalid("the assertion has no \(what)")
        }
    }

    func assertion(_ json: JSONValue, format: String, original: [UInt8], jws: JWS?) throws(CredfolioError) -> ImportedBadge {
        let badge = try resolve(json["badge"], what: "badge (BadgeClass)")
        let issuer = try resolve(badge["issuer"], what: "issuer (Issuer Profile)")
        guard let name = Self.string(badge["name"]) else { throw .invalid("the BadgeClass has no name") }
        let verification: String
        if let jws {
            let issuerID = Self.string(issuer["id"])
            let keyIRI = Self.string(json["verification"]?["creator"]) ?? Self.string(issuer["publicKey"])
            let trustedKeys = issuerID.flatMap { trusted[$0] } ?? []
            if trustedKeys.contains(where: { jws.verify(trusted: $0) }) {
                // Verified: a key trusted for this issuer; and the documents must not say otherwise: the key's owner
                // is the issuer, and the issuer's publicKey names the key that signed.
                let owner = keyIRI.flatMap { linked[$0] }.flatMap { Self.string($0["owner"]) }
                let named = Self.strings(issuer["publicKey"])
                if let owner, owner != issuerID {
                    verification = "not verified: the key is trusted for \(issuerID ?? "the issuer"), but its document names the owner \(owner)"
                } else if let keyIRI, !named.isEmpty, !named.contains(keyIRI) {
                    verification = "not verified: the issuer's publicKey does not name the key \(keyIRI)"
                } else {
                    verification = "verified"
                }
            } else if !trustedKeys.isEmpty {
                // Keys are trusted for this issuer and none signed it: whatever key came with the file, it is not the issuer's.
                throw .invalid("the signature matches no key trusted for \(issuerID ?? "the issuer"): the file was altered or is not the issuer's")
            } else if let keyIRI, let key = linked[keyIRI], let pem = Self.string(key["publicKeyPem"]) {
                guard try jws.verify(pem: pem) else {
                    throw .invalid("the signature does not match the issuer's key \(keyIRI): the file was altered or is not the issuer's")
                }
                verification = Self.suppliedKey
            } else {
                verification = "not verified: the issuer's key " + (keyIRI.map { "\($0) is not among the --linked files" } ?? "is not named")
            }
        } else if Self.string(json["verification"]?["type"])?.lowercased() == "hosted" {
            verification = "not verified: hosted verification needs the issuer's server"
        } else {
            verification = "not verified: the assertion is not signed"
        }
        var imported = ImportedBadge(
            format: format, achievementID: Self.string(badge["id"]), humanCode: nil, name: name,
            description: Self.string(badge["description"]), issuerName: Self.string(issuer["name"]),
            achievementType: nil, credits: nil, criteriaURL: Self.url(badge["criteria"]),
            assertionID: Self.string(json["id"]), earnedOn: Self.day(json["issuedOn"]), expiresOn: Self.day(json["expires"]),
            evidenceURL: Self.firstURL(json["evidence"]), revoked: json["revoked"] == .bool(true),
            recipient: Self.recipient2(json["recipient"]), verification: verification, original: original)
        imported.alignments = Self.alignments(badge["alignment"])
        guard imported.earnedOn != nil else { throw .invalid("the assertion has no issuedOn date") }
        return imported
    }

    static func recipient2(_ value: JSONValue?) -> ImportedBadge.Recipient {
        guard let value, let identity = string(value["identity"]) else { return .unverifiable(nil) }
        if value["hashed"] == .bool(true), let dollar = identity.firstIndex(of: "$") {
            return .hashed(algorithm: identity[..<dollar].lowercased(), digest: identity[identity.index(after: dollar)...].lowercased(),
                           salt: string(value["salt"]) ?? "")
        }
        if (string(value["type"]) ?? "email") == "email" { return .email(identity) }
        return .unverifiable(identity)
    }

    // MARK: Open Badges 3.0 and CLR 2.0

    func credential(_ json: JSONValue, format: String, original: [UInt8], verification: String) throws(CredfolioError) -> ImportedBadge {
        let subject = json["credentialSubject"]
        // Some published credentials name no achievement: the credential's
        // own name then stands for it.
        let achievement = subject?["achievement"] ?? .object([])
        guard let name = Self.string(achievement["name"]) ?? Self.string(json["name"]) else {
            throw .invalid("the credential names no achievement and has no name")
        }
        let issuer = json["issuer"]
        var credits: Double?
        switch achievement["creditsAvailable"] {
        case .integer(let i)?: credits = Double(i)
        case .number(let d)?: credits = d
        default: credits = nil
        }
        var imported = ImportedBadge(
            format: format, achievementID: Self.string(achievement["id"]), humanCode: Self.string(achievement["humanCode"]),
            name: name, description: Self.string(achievement["description"]),
            issuerName: Self.string(issuer?["name"]) ?? Self.string(achievement["creator"]?["name"]),
            achievementType: Self.string(achievement["achievementType"]), credits: credits,
            criteriaURL: Self.string(achievement["criteria"]?["id"]), assertionID: Self.string(json["id"]),
            earnedOn: Self.day(json["awardedDate"]) ?? Self.day(json["validFrom"]) ?? Self.day(json["issuanceDate"]),
            expiresOn: Self.day(json["validUntil"]) ?? Self.day(json["expirationDate"]),
            evidenceURL: Self.firstURL(json["evidence"]), revoked: false,
            recipient: Self.recipient3(subject), verification: verification, original: original)
        imported.alignments = Self.alignments(achievement["alignment"])
        imported.catalog = Self.catalogExtension(achievement[ImportedBadge.CatalogExtension.term])
        guard imported.earnedOn != nil else { throw .invalid("the credential has no validFrom, issuanceDate or awardedDate") }
        return imported
    }

    static func recipient3(_ subject: JSONValue?) -> ImportedBadge.Recipient {
        if case .array(let identifiers)? = subject?["identifier"] {
            for identifier in identifiers where (string(identifier["identityType"]) ?? "emailAddress") == "emailAddress" {
                guard let hash = string(identifier["identityHash"]) else { continue }
                if identifier["hashed"] == .bool(true), let dollar = hash.firstIndex(of: "$") {
                    return .hashed(algorithm: hash[..<dollar].lowercased(), digest: hash[hash.index(after: dollar)...].lowercased(),
                                   salt: string(identifier["salt"]) ?? "")
                }
                return .email(hash)
            }
        }
        return .unverifiable(string(subject?["id"]))
    }

    func clr(_ json: JSONValue, format: String, original: [UInt8], verification container: String? = nil) throws(CredfolioError)
        -> [ImportedBadge] {
        var out = try clrCredentials(json, format: format, original: original)
        let container = container ?? Self.proofVerification(json)
        for i in out.indices { out[i].containerVerification = container }
        return out
    }

    private func clrCredentials(_ json: JSONValue, format: String, original: [UInt8]) throws(CredfolioError) -> [ImportedBadge] {
        guard case .array(let items)? = json["credentialSubject"]?["verifiableCredential"], !items.isEmpty else {
            throw .invalid("the CLR holds no verifiableCredential")
        }
        var out: [ImportedBadge] = []
        for item in items {
            switch item {
            case .string(let jwt):
                let jws = try JWS(jwt)
                var payload = try jws.payloadJSON()
                if let vc = payload["vc"] { payload = vc }
                out.append(try credential(payload, format: format, original: Array(jwt.utf8), verification: try verification(of: jws, payload: payload)))
            case .object:
                out.append(try credential(item, format: format, original: Array(item.serialized(pretty: false).utf8),
                                          verification: Self.proofVerification(item)))
            default:
                throw .invalid("the CLR's verifiableCredential holds something that is neither a credential nor a JWT")
            }
        }
        return out
    }

    /// What a VC-JWT's signature proves. A signature that does not match
    /// its own key refuses the file, whatever `--force` says.
    func verification(of jws: JWS, payload: JSONValue) throws(CredfolioError) -> String {
        // A key trusted for the credential's issuer (a did:web or any id, added by hand) verifies it.
        let issuerID = Self.string(payload["issuer"]) ?? Self.string(payload["issuer"]?["id"])
        if let keys = issuerID.flatMap({ trusted[$0] }), keys.contains(where: { jws.verify(trusted: $0) }) { return "verified" }
        if let valid = try jws.verifyWithEmbeddedKey() {
            guard valid else { throw .invalid("the signature does not match the key in its header: the file was altered") }
            return "intact (key carried by the credential)"
        }
        if let kid = Self.string(jws.header["kid"]) {
            return "not verified: the key \(kid) would have to be fetched"
        }
        return "not verified: the JWT's header carries no key"
    }

    /// What an embedded proof allows offline: nothing, honestly said.
    static func proofVerification(_ json: JSONValue) -> String {
        var proofs: [JSONValue] = []
        if case .array(let list)? = json["proof"] { proofs = list } else if let one = json["proof"] { proofs = [one] }
        guard let proof = proofs.first else { return "not verified: the credential is not signed" }
        let suite = string(proof["cryptosuite"]) ?? string(proof["type"]) ?? "proof"
        return "not verified: an embedded \(suite) proof needs JSON-LD canonicalisation, which credfolio does not do"
    }

    // MARK: Values

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let s)? = value, !s.isEmpty { return s }
        return nil
    }

    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let s)?: return [s]
        case .array(let items)?: return items.compactMap { string($0) }
        default: return []
        }
    }

    /// The date as the issuer wrote it, in the issuer's own offset: the
    /// first ten characters of an ISO 8601 timestamp.
    static func day(_ value: JSONValue?) -> Day? {
        guard let text = string(value), text.utf8.count >= 10 else { return nil }
        return Day(iso: String(text.prefix(10)))
    }

    static func url(_ value: JSONValue?) -> String? {
        if let s = string(value) { return s }
        return string(value?["id"])
    }

    static func firstURL(_ value: JSONValue?) -> String? {
        if case .array(let items)? = value { return items.lazy.compactMap { url($0) }.first }
        return url(value)
    }

    /// credfolio's extension, with each field kept only when it is valid (a hand-edited file is not trusted further).
    static func catalogExtension(_ value: JSONValue?) -> ImportedBadge.CatalogExtension? {
        guard case .object? = value, let value else { return nil }
        func whole(_ key: String, max: Int64) -> Int64? {
            guard case .integer(let n)? = value[key], n >= 0, n <= max else { return nil }
            return n
        }
        var out = ImportedBadge.CatalogExtension()
        out.hours = whole("hours", max: Int64(Limits.maxHours))
        out.weeks = whole("weeks", max: Limits.maxWeeks)
        out.validityMonths = whole("validityMonths", max: 1_200).flatMap { $0 > 0 ? $0 : nil }
        out.neverLapses = out.validityMonths == nil && string(value["validity"]) == "never"
        if let cost = string(value["cost"]) { out.costCents = try? Field.cents(cost, "cost") }
        out.currency = string(value["currency"])
        out.format = string(value["format"])
        out.creditUnit = string(value["creditUnit"])
        out.level = string(value["level"])
        return out
    }

    static func alignments(_ value: JSONValue?) -> [ImportedBadge.Alignment] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { item in
            guard let name = string(item["targetName"]) else { return nil }
            return .init(name: name, framework: string(item["targetFramework"]), code: string(item["targetCode"]))
        }
    }
}
