@testable import CredfolioCore
@testable public import CredfolioStore
@testable import CredfolioApp

/// 301 learners in three cohorts, twelve credentials, two stacks, and
/// goals (with and without target dates and paces) for some learners,
/// with hostile text in names and cohorts.
public func cohortWorld(_ dir: TemporaryDirectory) throws -> Store {
    let store = try Store(path: dir.file("cohort.db"))
    var learners = "handle,name,cohort,pace,goals\n", credentials = "code,title,hours,validity_months\n"
    var awards = "learner,credential,status,earned_on\n"
    for c in 0..<12 { credentials += "c\(c),\"Credential \(c), part \(c % 3)\",\(5 + c * 7),\(c % 4 == 0 ? "12" : "")\n" }
    var rng = SeededRandom(seed: 7)
    for l in 0..<301 {
        let goals = l % 5 == 0 ? "b@2027-0\(1 + l % 9)-01" : l % 7 == 0 ? "a;b" : ""
        let name = l % 11 == 0 ? "\"Zoë \"\"=SUM\"\", \(l)\"" : "Learner \(l)"
        learners += "l\(String(l + 1000)),\(name),\(l % 13 == 0 ? "日本-\(l % 3)" : "c\(l % 3)"),\(l % 3 == 0 ? "6" : ""),\(goals)\n"
        for c in 0..<12 where Int.random(in: 0..<3, using: &rng) == 0 {
            let status = ["earned", "earned", "in-progress", "revoked"].randomElement(using: &rng)!
            awards += "l\(String(l + 1000)),c\(c),\(status),\(status == "in-progress" ? "" : "2025-0\(1 + c % 9)-1\(l % 10)")\n"
        }
    }
    _ = try Importer(store.database).run(.credentials, reader: CSVReader(text: credentials), file: "credentials.csv")
    _ = try store.stacks.importFile(Array("""
        [{"code": "a", "requires": {"all": [{"credential": "c1"}, {"choose": 2, "of": [{"credential": "c2"}, {"credential": "c3"}, {"hours": 40}]}]}},
         {"code": "b", "requires": {"all": [{"stack": "a"}, {"credential": "c6"}, {"hours": 30, "from": ["c4", "c5"]}]}}]
        """.utf8), file: "s.json")
    for (kind, text) in [(Importer.Kind.learners, learners), (.awards, awards)] {
        _ = try Importer(store.database).run(kind, reader: CSVReader(text: text), file: "\(kind).csv")
    }
    return store
}

