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
}
