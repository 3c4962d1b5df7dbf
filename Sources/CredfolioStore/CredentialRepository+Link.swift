import CredfolioSQLite
import CredfolioCore

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
