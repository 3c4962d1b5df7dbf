import CredfolioSQL
public import CredfolioCore

extension CredentialRepository {
    /// Ties a catalog credential to an Open Badges achievement id, so that
    /// badges of that achievement are imported as this credential.
    public func link(_ code: String, achievement: String) throws {
        let credential = try get(code)
        if let other = try db.scalar(String.self, "SELECT code FROM credential WHERE achievement_id = ? AND id <> ?", achievement, credential.id!) {
            throw CredfolioError.conflict("achievement \(achievement) is already linked to credential \(other)")
        }
        try db.execute("UPDATE credential SET achievement_id = ? WHERE id = ?", achievement, credential.id!)
    }

    /// The code of the credential linked to the achievement `id`, if any.
    public func code(achievement id: String) throws -> String? {
        try db.scalar(String.self, "SELECT code FROM credential WHERE achievement_id = ?", id)
    }

    /// The achievement id linked to the credential (row id `credential`), if any.
    public func achievementID(of credential: Int64) throws -> String? {
        try db.scalar(String.self, "SELECT achievement_id FROM credential WHERE id = ?", credential)
    }

    /// Links the credential (row id `credential`) to the achievement `id`.
    public func setAchievement(_ id: String, of credential: Int64) throws {
        try db.execute("UPDATE credential SET achievement_id = ? WHERE id = ?", id, credential)
    }
}

extension CredentialRepository {
    /// Ties credential `code` to the registry record `ctid`, so that a CTDL
    /// import updates it instead of adding another entry, and routes that
    /// name the CTID resolve to it.
    public func link(_ code: String, ctid: String) throws {
        let ctid = try Field.ctid(ctid)
        let credential = try get(code)
        if let other = try db.scalar(String.self, "SELECT code FROM credential WHERE registry_ctid = ? AND id <> ?", ctid, credential.id!) {
            throw CredfolioError.conflict("CTID \(ctid) is already linked to credential \(other)")
        }
        try db.execute("UPDATE credential SET registry_ctid = ? WHERE id = ?", ctid, credential.id!)
    }

    /// The credential with CTID `ctid` (lower case), with its skills and occupations.
    public func find(ctid: String) throws -> Credential? {
        guard var credential = try db.first(Self.select + " WHERE registry_ctid = ?", [.text(ctid)], Self.read)
        else { return nil }
        credential.skills = try skills(of: credential.id!)
        credential.occupations = try occupations(of: credential.id!)
        return credential
    }

    /// Every code in the catalog.
    public func codes() throws -> Set<String> {
        Set(try db.fetch("SELECT code FROM credential") { $0.string(0) })
    }

    /// The code of each credential that has a CTID, by CTID.
    public func codesByCTID() throws -> [String: String] {
        var map: [String: String] = [:]
        try db.forEachRow("SELECT registry_ctid, code FROM credential WHERE registry_ctid IS NOT NULL") { map[$0.string(0)] = $0.string(1) }
        return map
    }
}
