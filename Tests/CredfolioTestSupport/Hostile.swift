import Foundation
import Testing
import CredfolioCore

/// Strings that would run, load or break markup if a page copied them
/// into HTML unescaped.
public enum Hostile {
    public static let scriptName = "<script>document.body.setAttribute('data-pwned','1')</script>"
    public static let imageName = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"
    public static let stackTitle = "<b onmouseover=alert(1)>Hostile</b> & 'quoted'"
    public static let credentialTitle = "</td></tr><script>document.body.setAttribute('data-pwned','3')</script>"
    public static let javascriptURL = "javascript:document.body.setAttribute('data-pwned','4')"
    public static let dataURL = "data:text/html,<script>alert(5)</script>"
    public static let webURL = "https://example.org/evidence?a=1&b=\"2\""
    public static let badgeName = "<svg onload=\"document.body.setAttribute('data-pwned','6')\">Badge</svg>"

    /// A world of two hostile learners, a hostile stack, credential,
    /// evidence links and an imported badge with a hostile name.
    public static func world() throws -> CLI {
        let cli = try CLI()
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", """
            code,title,issuer,hours,url
            a,"\(credentialTitle.replacingOccurrences(of: "\"", with: "\"\""))",Issuer <i>,10,"\(javascriptURL)"
            b,Plain B,Issuer,20,https://example.org/b
            """))
        try cli.ok("import", "stacks", try cli.directory.write("s.json", """
            {"code": "s", "title": \(JSONValue.string(stackTitle).serialized()), "requires": {"all": [{"credential": "a"}, {"credential": "b"}]}}
            """))
        try cli.ok("learner", "add", "ana", "--name", scriptName, "--email", "ana@example.org", "--cohort", "k")
        try cli.ok("learner", "add", "ben", "--name", imageName, "--cohort", "k")
        try cli.ok("award", "add", "ana", "a", "--earned", "2026-01-05", "--evidence", javascriptURL)
        try cli.ok("award", "add", "ana", "b", "--status", "in-progress", "--evidence", dataURL)
        try cli.ok("award", "add", "ben", "a", "--earned", "2026-02-05", "--evidence", webURL)
        let badge = BadgeFixtures.json(BadgeFixtures.credential(email: "ana@example.org", name: badgeName))
        let path = cli.directory.file("badge.json")
        try Data(badge).write(to: URL(fileURLWithPath: path))
        let imported = try cli.run(["import", "badges", path, "--learner", "ana"])
        if imported.status != 0 { try cli.ok("import", "badges", path, "--learner", "ana", "--force") }
        return cli
    }
}
