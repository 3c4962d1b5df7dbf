import CredfolioPostgres
import CredfolioCore

extension Store {
    /// A PostgreSQL URL as it may be shown: its password (`user:secret@`, or a
    /// `password=` parameter) replaced by `***`.
    static func displayed(_ url: String) -> String {
        var shown = url
        if let slashes = url.firstIndex(of: "/").map({ url.index($0, offsetBy: 2, limitedBy: url.endIndex) }) ?? nil,
           let at = url[slashes...].firstIndex(of: "@"),
           let colon = url[slashes..<at].firstIndex(of: ":") {
            shown = String(url[..<colon]) + ":***" + String(url[at...])
        }
        guard let query = shown.firstIndex(of: "?") else { return shown }
        let parameters = shown[shown.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
        }
        return String(shown[...query]) + parameters.joined(separator: "&")
    }

    /// Whether a PostgreSQL URL carries a password (`user:secret@`, or a
    /// `password=` parameter): on a command line any user of the machine can
    /// read it, so credfolio refuses it.
    static func hasPassword(_ url: String) -> Bool {
        displayed(url) != url
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
