public import CredfolioSQL
public import CredfolioCore

/// A key trusted for an issuer: its text as given (PEM or JWK), and what kind of key it is.
public struct TrustedKey: Sendable, Equatable {
    public var id: Int64?
    public var issuerID: String
    public var text: String
    public var kind: String
    public var addedOn: Day

    public init(id: Int64? = nil, issuerID: String, text: String, kind: String, addedOn: Day) {
        self.id = id
        self.issuerID = issuerID
        self.text = text
        self.kind = kind
        self.addedOn = addedOn
    }
}

/// The local trust store: issuers' keys, added by hand.
public struct IssuerKeyRepository {
    let db: any SQLConnection

    public init(_ db: any SQLConnection) { self.db = db }

    static let select = "SELECT id, issuer_id, key_text, kind, added_on FROM issuer_key"

    static func read(_ row: any SQLRow) -> TrustedKey {
        TrustedKey(id: row.int64(0), issuerID: row.string(1), text: row.string(2), kind: row.string(3),
                   addedOn: row.optionalDay(4) ?? Day.first)
    }

    /// Every trusted key, by issuer, then in the order added.
    public func list() throws -> [TrustedKey] {
        try db.fetch(Self.select + " ORDER BY issuer_id, id", [], row: Self.read)
    }

    /// The keys trusted for each issuer id.
    public func byIssuer() throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for key in try list() { out[key.issuerID, default: []].append(key.text) }
        return out
    }

    /// Adds `key`; a key already trusted for the issuer is refused.
    @discardableResult
    public func add(_ key: TrustedKey) throws -> TrustedKey {
        guard try db.scalar(Int64.self, "SELECT id FROM issuer_key WHERE issuer_id = ? AND key_text = ?", key.issuerID, key.text) == nil else {
            throw CredfolioError.conflict("that key is already trusted for \(key.issuerID)")
        }
        var added = key
        added.id = try db.scalar(Int64.self, "INSERT INTO issuer_key (issuer_id, key_text, kind, added_on) VALUES (?, ?, ?, ?) RETURNING id",
                                 key.issuerID, key.text, key.kind, key.addedOn)
        return added
    }

    /// Removes the key numbered `id`, or every key of `issuerID` when `id` is nil; returns how many went.
    public func remove(issuerID: String, id: Int64?) throws -> Int {
        let removed = try id.map { try db.execute("DELETE FROM issuer_key WHERE issuer_id = ? AND id = ?", issuerID, $0) }
            ?? db.execute("DELETE FROM issuer_key WHERE issuer_id = ?", issuerID)
        guard removed > 0 else {
            throw CredfolioError.notFound("no key " + (id.map { "\($0) " } ?? "") + "is trusted for \(issuerID)")
        }
        return removed
    }
}

extension Store {
    public var issuerKeys: IssuerKeyRepository { IssuerKeyRepository(database) }
}
