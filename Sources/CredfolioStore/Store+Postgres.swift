import CredfolioPostgres
import CredfolioCore

extension Store {
    /// A PostgreSQL URL as it may be shown: without its password, should
    /// someone have put one there against the advice.
    static func displayed(_ url: String) -> String {
        guard let slashes = url.firstIndex(of: "/").map({ url.index($0, offsetBy: 2, limitedBy: url.endIndex) }) ?? nil,
              let at = url[slashes...].firstIndex(of: "@"),
              let colon = url[slashes..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// What a PostgreSQL error means to a user: busy when the server failed
    /// the command for another one running at the same time (after the
    /// retries) or it waited too long for a lock; otherwise the server's
    /// message.
    static func postgresFailure(_ error: PostgresError) -> (message: String, busy: Bool) {
        if error.isRetryable || error.sqlState == "55P03" {
            return ("database is busy: another credfolio is using it; try again", true)
        }
        if error.sqlState == "42501" {
            // "permission denied for table …", "new row violates row-level security policy for table …"
            return (error.message + ": your role may not do this (see credfolio team)", false)
        }
        return ("PostgreSQL: " + error.message, false)
    }
}
