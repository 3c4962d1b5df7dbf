import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioApp
@testable import CredfolioCore
@testable import CredfolioEngine
@testable import CredfolioStore
@testable import CredfolioCLI

@Suite("Command line: stacks, progress, next, gap, reports", .serialized)
struct EngineCLITests {
    static let credentials = """
        code,title,hours,cost,weeks,validity_months,credits,credit_unit,skills
        sql,SQL Basics,20,49,3,,,,sql
        tableau,Tableau Specialist,40,100,6,,,,viz
        powerbi,Power BI Analyst,60,165,8,12,,,viz
        pydata,Python for Data,45,79,6,,3,ECTS,python
        psm,Scrum Master,16,200,2,,,,agile
        """
    static let stacks = """
        [{"code": "analyst", "title": "Data Analyst", "requires": {"all": [
            {"credential": "sql"},
            {"choose": 1, "of": [{"credential": "tableau"}, {"credential": "powerbi"}]},
            {"skill": "python"},
            {"hours": 100},
            {"stack": "basics"}]}},
         {"code": "basics", "requires": {"choose": 1, "of": [{"credential": "psm"}, {"credential": "sql"}]}}]
        """

    func world() throws -> CLI {
        let cli = try CLI()
        try cli.ok("import", "skills", try cli.directory.write("skills.csv", "code,name\nsql,SQL\nviz,Visualisation\npython,Python\nagile,Agile\n"))
        try cli.ok("import", "credentials", try cli.directory.write("credentials.csv", Self.credentials))
        try cli.ok("import", "learners", try cli.directory.write("learners.csv", "handle,name,cohort\nsarah,Sarah Chen,c1\nomar,Omar Haddad,c1\n"))
        try cli.ok("import", "awards", try cli.directory.write("awards.csv", """
            learner,credential,status,earned_on
            sarah,sql,earned,2026-01-10
            sarah,powerbi,earned,2025-06-01
            sarah,pydata,planned,
            omar,psm,earned,2026-02-01

            """))
        #expect(try cli.ok("import", "stacks", try cli.directory.write("stacks.json", Self.stacks))
                == "imported 2 stacks: 2 new, 0 updated, 0 unchanged\n")
        return cli
    }

    @Test("progress explains the tree; expired awards do not count; projected counts planned ones")
    func progress() throws {
        let cli = try world()
        let text = try cli.ok("progress", "sarah", "--stack", "analyst", "--as-of", "2026-06-15")
        // powerbi (12 months from 2025-06-01) lapsed on 2026-06-01.
        #expect(text.contains("[x] credential sql"))
        #expect(text.contains("[ ] credential powerbi"))
        #expect(text.contains("[~] 100 hours"))
        #expect(text.contains("20 of 100 hours (sql)"))
        let csv = try cli.ok("progress", "sarah", "--stack", "analyst", "--as-of", "2026-05-31", "--format", "csv")
        // sql 1, choose (powerbi held) 1, python 0, hours 80/100, basics: sql is taken by its own leaf -> 0;
        // projected adds pydata: python 1, hours 1, basics still 0. Sarah's sql is not "missing" for basics.
        #expect(csv == """
            learner,name,cohort,stack,percent,projected_percent,complete,requirements_met,requirements_total,missing,as_of
            sarah,Sarah Chen,c1,analyst,56.0,80.0,false,2,5,skill:python;hours:20;psm,2026-05-31

            """)
        let assumed = try cli.ok("progress", "sarah", "--stack", "analyst", "--as-of", "2026-05-31", "--assume", "pydata", "psm", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(assumed.utf8)) as! [String: Any]
        let stack = (object["stacks"] as! [[String: Any]])[0]
        #expect(stack["percent"] as? Double == 100.0)
        #expect(stack["complete"] as? Bool == true)
        #expect(object["assumed"] as? [String] == ["pydata", "psm"])
    }

    @Test("next --format json has exactly the documented keys and totals")
    func nextJSON() throws {
        let cli = try world()
        let json = try cli.ok("next", "sarah", "analyst", "--by", "cost", "--pace", "10", "--as-of", "2026-06-15", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(Set(object.keys) == ["learner", "stack", "by", "completable", "credentials", "total_hours", "total_cost",
                                     "total_weeks", "unknown_hours", "unknown_cost", "unknown_weeks", "estimated_weeks", "pace",
                                     "pace_source", "fits_six_months", "optimal", "bound", "limits_met"])
        #expect(object["bound"] as? Double == 379)
        #expect(object["limits_met"] as? Bool == true)
        #expect(Set((object["credentials"] as! [[String: Any]])[0].keys)
                == ["code", "title", "hours", "cost", "weeks", "format", "started", "renewal", "prerequisite_of"])
        // Needs python (pydata 79), a viz credential (tableau 100), and basics (psm 200, since sql meets its own leaf).
        let codes = (object["credentials"] as! [[String: Any]]).map { $0["code"] as! String }
        #expect(codes == ["pydata", "tableau", "psm"])
        #expect(object["total_cost"] as? Double == 379)
        #expect(object["total_hours"] as? Int == 101)
        #expect(object["estimated_weeks"] as? Int == 11)
        #expect(object["fits_six_months"] as? Bool == true)
        #expect(object["optimal"] as? Bool == true)
        #expect(json.hasPrefix("{\n  \"learner\": \"sarah\",\n  \"stack\": \"analyst\",\n  \"by\": \"cost\","))
    }

    @Test("next without a stack ranks every stack by the least remaining effort")
    func nextRanking() throws {
        let cli = try world()
        let json = try cli.ok("next", "omar", "--as-of", "2026-06-15", "--format", "json")
        let plans = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        #expect(plans.map { $0["stack"] as! String } == ["basics", "analyst"])
        #expect(plans[0]["total_hours"] as? Int == 0)
    }

    @Test("a stack the catalog cannot complete is reported as such, with the reason")
    func notCompletable() throws {
        let cli = try world()
        try cli.ok("skill", "add", "ghost", "--name", "Nobody teaches this")
        try cli.ok("import", "stacks", try cli.directory.write("ghost.json", #"{"code": "ghost", "requires": {"skill": "ghost"}}"#))
        let json = try cli.ok("next", "sarah", "ghost", "--as-of", "2026-06-15", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(object["completable"] as? Bool == false)
        #expect(object["reason"] as? String == "skill ghost: no credential in the catalog teaches it")
        #expect(try cli.ok("next", "sarah", "ghost", "--as-of", "2026-06-15").contains("cannot be completed from the catalog: skill ghost: no credential in the catalog teaches it"))
    }

    @Test("gap lists each unmet requirement with the credentials that would meet it, cheapest first")
    func gap() throws {
        let cli = try world()
        let csv = try cli.ok("gap", "omar", "analyst", "--as-of", "2026-06-15", "--format", "csv")
        #expect(csv == """
            requirement,kind,code,options,note
            credential sql,credential,sql,sql,
            choose 1 of 2,choice,1 of (tableau|powerbi),tableau;powerbi,
            skill python,skill,python,pydata,
            100 hours,hours,100 hours,sql;pydata;tableau;powerbi,

            """)
    }

    @Test("the cohort report ranks rows and summarises each stack; expiring lists what lapses soon")
    func reports() throws {
        let cli = try world()
        let json = try cli.ok("report", "cohort", "--cohort", "c1", "--stack", "basics", "--as-of", "2026-06-15", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let rows = object["rows"] as! [[String: Any]]
        #expect(rows.map { $0["learner"] as! String } == ["omar", "sarah"])
        let summary = (object["summary"] as! [[String: Any]])[0]
        #expect(summary["learners"] as? Int == 2)
        #expect(summary["complete"] as? Int == 2)
        #expect(summary["median_percent"] as? Double == 100)
        let expiring = try cli.ok("report", "expiring", "--within", "30", "--as-of", "2026-05-15", "--format", "csv")
        #expect(expiring == """
            learner,name,cohort,credential,title,earned_on,expires_on,days_left
            sarah,Sarah Chen,c1,powerbi,Power BI Analyst,2025-06-01,2026-06-01,17

            """)
        #expect(try cli.ok("report", "expiring", "--within", "10", "--as-of", "2026-05-15") == "nothing held expires by 2026-05-25 (within 10 days of 2026-05-15)\n")
    }

    @Test("bad stack files are refused with file, place and reason, and store nothing")
    func badStacks() throws {
        let cli = try world()
        let before = try cli.run(["stack", "export"]).stdout
        let cases: [(String, String)] = [
            ("{\n  \"code\": \"x\",\n  \"requires\": {\"credential\": \"sql\"\n", "%@:4:1: unexpected end of input in an object"),
            (#"[{"code": "x", "requires": {"stack": "y"}}, {"code": "y", "requires": {"stack": "x"}}]"#, "%@: stack x: nested stacks form a cycle: x -> y -> x"),
            (#"{"code": "x", "requires": {"credential": "nope"}}"#, "%@: stack x: credential nope does not exist"),
            (#"{"code": "x", "requires": {"choose": 3, "of": [{"credential": "sql"}]}}"#, "%@: stack x: at requires: choose 3 is more than its 1 requirements"),
            (#"[{"code": "analyst", "requires": {"credential": "sql"}}, {"code": "x", "requires": {"hours": 0}}]"#, "%@: stack x: at requires: \"hours\" must be positive, not 0"),
        ]
        for (json, message) in cases {
            let file = try cli.directory.write("bad.json", json)
            #expect(try cli.fails("import", "stacks", file) == "error: " + message.replacingOccurrences(of: "%@", with: file) + "\n")
        }
        #expect(try cli.run(["stack", "export"]).stdout == before)
    }

    @Test("stack export then import into a new database gives the same stacks; re-import replaces a definition")
    func stackRoundTrip() throws {
        let cli = try world()
        let exported = try cli.ok("export", "stacks")
        let target = try CLI()
        for kind in ["skills", "credentials"] {
            let file = cli.directory.file("\(kind).csv")
            try target.ok("import", kind, file)
        }
        try target.ok("import", "stacks", try target.directory.write("s.json", exported))
        #expect(try target.ok("export", "stacks") == exported)
        #expect(try cli.ok("import", "stacks", try cli.directory.write("again.json", exported)) == "imported 2 stacks: 0 new, 0 updated, 2 unchanged\n")
        try cli.ok("import", "stacks", try cli.directory.write("new.json", #"{"code": "basics", "requires": {"credential": "psm"}}"#))
        #expect(try cli.ok("stack", "show", "basics", "--format", "json") == "{\n  \"code\": \"basics\",\n  \"requires\": {\n    \"credential\": \"psm\"\n  }\n}\n")
        #expect(try cli.fails("stack", "remove", "basics") == "error: stack basics is nested in stack analyst; change or remove that stack first\n")
        #expect(try cli.fails("credential", "remove", "psm", "--force") == "error: credential psm is named by stack basics; change or remove the stack first\n")
    }

    @Test("export progress writes one row per learner and stack, with the documented columns")
    func exportProgress() throws {
        let cli = try world()
        let csv = try cli.ok("export", "progress", "--as-of", "2026-06-15")
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "learner,name,cohort,stack,percent,projected_percent,complete,requirements_met,requirements_total,missing,as_of")
        #expect(lines.count == 1 + 2 * 2)
        // (0 + 0 + 0 + 16/100 + 1) / 5: psm meets basics.
        #expect(lines[1] == "omar,Omar Haddad,c1,analyst,23.2,23.2,false,1,5,sql;1 of (tableau|powerbi);skill:python;hours:84,2026-06-15")
        #expect(lines[2] == "omar,Omar Haddad,c1,basics,100.0,100.0,true,1,1,,2026-06-15")
    }

    @Test("export progress and next --format json agree with the rules on random worlds")
    func randomWorlds() throws {
        var rng = SeededRandom(seed: 7_2026)
        let asOf = day("2026-06-15")
        for _ in 0..<4 {
            let (credentials, generated) = randomEngineWorld(&rng)
            // Import refuses a stack that can never be complete (one credential
            // required twice, not shared); the generator makes some: share them.
            let generatedByCode = Dictionary(uniqueKeysWithValues: generated.map { ($0.code, $0) })
            let stacks = try generated.map { stack -> StackDefinition in
                var stack = stack
                if try !CompiledStack(stack, catalog: Catalog(credentials), stacks: { generatedByCode[$0] }).canEverComplete {
                    stack.shared = true
                }
                return stack
            }
            let cli = try CLI()
            var skillsCSV = "code,name\n"
            for s in ["s0", "s1", "s2"] { skillsCSV += "\(s),Skill \(s)\n" }
            var catalogCSV = "code,title,hours,cost,weeks,validity_months,credits,credit_unit,skills\n"
            for c in credentials {
                catalogCSV += "\(c.code),\(c.title),\(c.hours!),\(c.costCents! / 100),\(c.weeks!),\(c.validityMonths.map(String.init) ?? ""),"
                    + "\(c.credits.map(NumberText.plain) ?? ""),\(c.creditUnit ?? ""),\(c.skills.joined(separator: ";"))\n"
            }
            var learnersCSV = "handle,name\n", awardsCSV = "learner,credential,status,earned_on,expires_on\n"
            var facts: [String: [(code: String, status: AwardStatus, earned: Day?, expires: Day?)]] = [:]
            for l in 0..<3 {
                learnersCSV += "l\(l),Learner \(l)\n"
                for c in credentials where Int.random(in: 0..<3, using: &rng) == 0 {
                    let status = [AwardStatus.earned, .earned, .earned, .inProgress, .planned, .revoked].randomElement(using: &rng)!
                    let earned = status == .earned || status == .revoked ? asOf.adding(days: -Int.random(in: -30...500, using: &rng))! : nil
                    let expires = earned != nil && Bool.random(using: &rng) ? earned!.adding(days: Int.random(in: 1...600, using: &rng))! : nil
                    awardsCSV += "l\(l),\(c.code),\(status.rawValue),\(earned?.description ?? ""),\(expires?.description ?? "")\n"
                    facts["l\(l)", default: []].append((c.code, status, earned, expires))
                }
            }
            try cli.ok("import", "skills", try cli.directory.write("s.csv", skillsCSV))
            try cli.ok("import", "credentials", try cli.directory.write("c.csv", catalogCSV))
            try cli.ok("import", "learners", try cli.directory.write("l.csv", learnersCSV))
            if awardsCSV.split(separator: "\n").count > 1 { try cli.ok("import", "awards", try cli.directory.write("a.csv", awardsCSV)) }
            try cli.ok("import", "stacks", try cli.directory.write("k.json", JSONValue.array(stacks.map(\.json)).serialized()))

            let byCode = Dictionary(uniqueKeysWithValues: credentials.map { ($0.code, $0) })
            let stackByCode = Dictionary(uniqueKeysWithValues: stacks.map { ($0.code, $0) })
            func held(_ learner: String, projected: Bool) -> Set<String> {
                Set((facts[learner] ?? []).filter { f in
                    if projected && (f.status == .inProgress || f.status == .planned) { return true }
                    guard f.status == .earned, let earned = f.earned, earned <= asOf else { return false }
                    let expiry = f.expires ?? byCode[f.code]!.validityMonths.map { earned.adding(months: Int($0))! }
                    return expiry.map { asOf < $0 } ?? true
                }.map(\.code))
            }

            let rows = try cli.ok("export", "progress", "--as-of", asOf.description).split(separator: "\n").dropFirst()
            #expect(rows.count == 3 * stacks.count)
            for row in rows {
                let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let (learner, stack) = (cells[0], stackByCode[cells[3]]!)
                let now = Reference.evaluate(stack, stacks: stackByCode, catalog: byCode, held: held(learner, projected: false))
                let later = Reference.evaluate(stack, stacks: stackByCode, catalog: byCode, held: held(learner, projected: true))
                #expect(abs(Double(cells[4])! - now * 100) <= 0.05 + 1e-9, "\(row)")
                #expect(abs(Double(cells[5])! - later * 100) <= 0.05 + 1e-9, "\(row)")
                #expect(cells[6] == (now >= 1 - 1e-9 ? "true" : "false"))
            }

            for learner in ["l0", "l1", "l2"] {
                for stack in stacks {
                    let measure = Measure.allCases.randomElement(using: &rng)!
                    let json = try cli.ok("next", learner, stack.code, "--by", measure.rawValue, "--as-of", asOf.description, "--format", "json")
                    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
                    let have = held(learner, projected: false)
                    let best = Reference.plan(stack, stacks: stackByCode, catalog: credentials, held: have, by: { measure.of($0)! })
                    #expect(object["completable"] as? Bool == (best != nil))
                    guard let best else { continue }
                    let key = ["hours": "total_hours", "cost": "total_cost", "weeks": "total_weeks"][measure.rawValue]!
                    let total = measure == .cost ? Int64(((object[key] as! Double) * 100).rounded()) : Int64(object[key] as! Int)
                    #expect(total == best, "\(learner) \(stack.code) by \(measure)")
                    let chosen = Set((object["credentials"] as! [[String: Any]]).map { $0["code"] as! String })
                    #expect(chosen.isDisjoint(with: have))
                    #expect(Reference.evaluate(stack, stacks: stackByCode, catalog: byCode, held: have.union(chosen)) >= 1 - 1e-9)
                    #expect(object["total_weeks"] as? Int == Int(chosen.reduce(Int64(0)) { $0 + byCode[$1]!.weeks! }))
                    #expect(object["estimated_weeks"] as? Int == object["total_weeks"] as? Int)
                    #expect(object["fits_six_months"] as? Bool == ((object["total_weeks"] as! Int) <= 26))
                }
            }
        }
    }
}

@Suite("Export progress on two threads")
struct ParallelExportTests {
    @Test("splitting the learners across two threads writes exactly the rows one thread writes")
    func sameRows() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.file("c.db"))
        var learners = "handle,name,cohort\n", credentials = "code,title,hours,validity_months\n", awards = "learner,credential,status,earned_on\n"
        for c in 0..<12 { credentials += "c\(c),\"Credential \(c), part \(c % 3)\",\(5 + c * 7),\(c % 4 == 0 ? "12" : "")\n" }
        var rng = SeededRandom(seed: 99)
        for l in 0..<301 {
            learners += "l\(String(l + 1000)),\"Learner, \(l)\",c\(l % 3)\n"
            for c in 0..<12 where Int.random(in: 0..<3, using: &rng) == 0 {
                let status = ["earned", "earned", "in-progress", "revoked"].randomElement(using: &rng)!
                awards += "l\(String(l + 1000)),c\(c),\(status),\(status == "in-progress" ? "" : "2025-0\(1 + c % 9)-1\(l % 10)")\n"
            }
        }
        for (kind, text) in [(Importer.Kind.learners, learners), (.credentials, credentials), (.awards, awards)] {
            _ = try Importer(store.database).run(kind, reader: CSVReader(text: text), file: "\(kind).csv")
        }
        _ = try store.stacks.importFile(Array("""
            [{"code": "a", "requires": {"all": [{"credential": "c1"}, {"choose": 2, "of": [{"credential": "c2"}, {"credential": "c3"}, {"hours": 40}]}]}},
             {"code": "b", "requires": {"all": [{"stack": "a"}, {"credential": "c6"}, {"hours": 30, "from": ["c4", "c5"]}]}}]
            """.utf8), file: "s.json")
        func export(threshold: Int, cohort: String?) throws -> String {
            try exportProgress(store, cohort: cohort, asOf: day("2026-06-01"), threshold: threshold, in: dir)
        }
        for cohort in [nil, "c1"] {
            let one = try export(threshold: .max, cohort: cohort)
            let two = try export(threshold: 1, cohort: cohort)
            #expect(one.split(separator: "\n").count == 1 + 2 * (cohort == nil ? 301 : 100))
            #expect(two == one)
        }
    }
}

@Suite("Export progress: the memo against direct evaluation")
struct ProgressMemoTests {
    @Test("every row of export progress over 2,000 learners equals the engine's own evaluation of that learner")
    func memoAgreesWithEvaluation() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.file("m.db"))
        var rng = SeededRandom(seed: 2_026_11_29)
        var credentials = "code,title,hours,validity_months,credits,credit_unit,skills\n"
        for c in 0..<24 {
            credentials += "c\(c),C\(c),\(5 + (c * 13) % 60),\(c % 5 == 0 ? "12" : ""),\(c % 3 == 0 ? "2,ECTS" : ","),\(c % 4 == 0 ? "s\(c % 3)" : "")\n"
        }
        var learners = "handle,name,cohort\n", awards = "learner,credential,status,earned_on\n"
        for l in 0..<2_000 {
            learners += "l\(l),Learner \(l),k\(l % 4)\n"
            // Few credentials each, from a small pool, so that keys repeat and the memo is used.
            for c in 0..<24 where Int.random(in: 0..<(c < 8 ? 3 : 12), using: &rng) == 0 {
                let status = ["earned", "earned", "earned", "in-progress", "planned", "revoked"].randomElement(using: &rng)!
                let earned = status == "earned" || status == "revoked" ? "2025-\(String(format: "%02d", 1 + Int.random(in: 0..<12, using: &rng)))-15" : ""
                awards += "l\(l),c\(c),\(status),\(earned)\n"
            }
        }
        _ = try Importer(store.database).run(.skills, reader: CSVReader(text: "code,name\ns0,S0\ns1,S1\ns2,S2\n"), file: "s.csv")
        for (kind, text) in [(Importer.Kind.credentials, credentials), (.learners, learners), (.awards, awards)] {
            _ = try Importer(store.database).run(kind, reader: CSVReader(text: text), file: "\(kind).csv")
        }
        _ = try store.stacks.importFile(Array("""
            [{"code": "a", "requires": {"all": [{"credential": "c1"}, {"choose": 2, "of": [{"credential": "c2"}, {"credential": "c3"}, {"hours": 40}]}]}},
             {"code": "b", "requires": {"all": [{"stack": "a"}, {"skill": "s1"}, {"hours": 30, "from": ["c4", "c5", "c6"]}]}},
             {"code": "c", "requires": {"choose": 2, "of": [{"credits": 6, "unit": "ECTS"}, {"hours": 90}, {"all": [{"credential": "c7"}, {"credential": "c1"}]}]}}]
            """.utf8), file: "s.json")
        let asOf = day("2026-01-10")
        let exported = try exportProgress(store, asOf: asOf, in: dir).split(separator: "\n").map(String.init)

        // The same rows, each evaluated afresh: no key, no memo.
        let portfolio = try Portfolio(store)
        let stacks = portfolio.stacks.sorted { $0.definition.code < $1.definition.code }
        var expected = [ProgressFormatting.csvColumns.joined(separator: ",")]
        var distinct = Set<ProgressKey>()
        // What the current evaluation shows, by stack and current key: every learner with that key must show the same.
        var shown: [String: [ProgressKey: [String]]] = [:]
        var full: [String: Set<ProgressKey>] = [:]
        try LearnerReader(store, portfolio).forEachLearner { learner, facts in
            let held = portfolio.catalog.holdings(facts, on: asOf)
            let projected = portfolio.catalog.holdings(facts, on: asOf, projected: true)
            for stack in stacks {
                let progress = stack.progress(held: held, projected: projected, catalog: portfolio.catalog)
                var bytes: [UInt8] = []
                ProgressFormatting.learnerCells(learner, into: &bytes)
                bytes += ProgressFormatting.progressCells(progress, catalog: portfolio.catalog, asOf: asOf)
                expected.append(String(decoding: bytes, as: UTF8.self))
                if let key = stack.progressKey(held: held.members, projected: projected.members, catalog: portfolio.catalog) {
                    distinct.insert(key)
                    full[stack.definition.code, default: []].insert(key)
                    // Totals of requirements that count any credential name the learner's own credentials: left out.
                    let tree = stack.nodes.indices.map { id in
                        "\(progress.current.nodeValues[id]) " + (stack.countsAnyCredential(id) ? "" : progress.detail(id, catalog: portfolio.catalog).text)
                    }
                    let current = [String(progress.percent), String(progress.requirementsMet), String(progress.complete)]
                        + progress.missing(catalog: portfolio.catalog) + tree
                    if let earlier = shown[stack.definition.code]?[key.current] {
                        #expect(earlier == current, "\(learner.handle) \(stack.definition.code)")
                    } else {
                        shown[stack.definition.code, default: [:]][key.current] = current
                    }
                }
            }
        }
        // Learners who differ only in what they have under way share their current key.
        for (code, keys) in full { #expect(shown[code, default: [:]].count < keys.count, "\(code)") }
        #expect(exported.count == 1 + 2_000 * 3)
        #expect(exported == expected)
        // The memo was really used: far fewer distinct keys than rows.
        #expect(distinct.count < 2_000)
    }
}
