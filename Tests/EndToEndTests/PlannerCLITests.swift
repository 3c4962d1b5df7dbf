import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioCore
@testable import CredfolioEngine

@Suite("next: plans from COIN-OR CBC on the command line", .serialized)
struct PlannerCLITests {
    @Test("14: --time-limit 1 stops a hard model within about a second, with optimal false and a proven bound below the plan")
    func timeLimitOnAHardModel() throws {
        // Two knapsack constraints at once (hours, and credits of one unit), costs their sum, thresholds half
        // the totals plus one: a market-split-like model whose optimum CBC cannot prove in a second.
        let cli = try CLI()
        try cli.ok("learner", "add", "a", "--name", "A")
        var random = SeededRandom(seed: 9)
        var csv = "code,title,hours,credits,credit_unit,cost\n", hours = 0, credits = 0
        for i in 0..<45 {
            let h = Int.random(in: 100...9_999, using: &random), c = Int.random(in: 100...9_999, using: &random)
            csv += "c\(i),C\(i),\(h),\(c),X,\(h + c).00\n"
            hours += h
            credits += c
        }
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", csv))
        try cli.ok("import", "stacks", try cli.directory.write("s.json", """
            {"code":"hard","shared":true,"requires":{"all":[{"hours":\(hours / 2 + 1)},{"credits":\(credits / 2 + 1),"unit":"X"}]}}
            """))
        let start = Date()
        let json = try cli.ok("next", "a", "hard", "--by", "cost", "--time-limit", "1", "--format", "json")
        let elapsed = Date().timeIntervalSince(start)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(object["completable"] as? Bool == true)
        #expect(object["optimal"] as? Bool == false)
        let total = try #require(object["total_cost"] as? Double), bound = try #require(object["bound"] as? Double)
        #expect(bound < total && bound >= Double(hours / 2 + 1 + credits / 2 + 1))
        #expect(elapsed < 4, "the solver ran \(elapsed) s with a time limit of 1 s")
    }

    /// A small catalog with a learner part-way: ana has started meta-react
    /// and let aws-ccp lapse.
    func world() throws -> CLI {
        let cli = try CLI()
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", """
            code,title,hours,cost,weeks,format,validity_months
            aws-ccp,AWS Cloud Practitioner,40,100,6,online,12
            meta-react,Meta React,80,49,10,online,
            vue-cert,Vue Certification,60,300,8,in-person,
            sql,SQL Basics,20,30,3,hybrid,
            js,JavaScript,50,20,6,online,
            """))
        try cli.ok("learner", "add", "ana", "--name", "Ana")
        try cli.ok("award", "add", "ana", "aws-ccp", "--earned", "2025-01-10")
        try cli.ok("award", "add", "ana", "meta-react", "--status", "in-progress", "--started", "2026-10-01")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", """
            [{"code": "web", "requires": {"all": [{"credential": "js"},
                {"choose": 1, "of": [{"credential": "meta-react"}, {"credential": "vue-cert"}]}]}},
             {"code": "cloud", "requires": {"all": [{"credential": "aws-ccp"}, {"credential": "sql"}]}}]
            """))
        return cli
    }

    func plan(_ cli: CLI, _ arguments: String...) throws -> [String: Any] {
        let result = try cli.run(["next", "ana"] + arguments + ["--as-of", "2026-11-29", "--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    func codes(_ plan: [String: Any]) -> [String] {
        (plan["credentials"] as! [[String: Any]]).map { $0["code"] as! String }
    }

    @Test("work already started is marked started; a lapsed credential needed again is marked renewal")
    func marks() throws {
        let cli = try world()
        let web = try plan(cli, "web", "--by", "cost")
        #expect(codes(web) == ["js", "meta-react"])
        let credentials = web["credentials"] as! [[String: Any]]
        #expect(credentials[1]["started"] as? Bool == true && credentials[0]["started"] as? Bool == false)
        let cloud = try plan(cli, "cloud")
        #expect(codes(cloud) == ["sql", "aws-ccp"])
        #expect((cloud["credentials"] as! [[String: Any]])[1]["renewal"] as? Bool == true)
        let table = try cli.ok("next", "ana", "cloud", "--as-of", "2026-11-29")
        #expect(table.contains("renewal: held before, lapsed"))
        #expect(try cli.ok("next", "ana", "web", "--by", "cost", "--as-of", "2026-11-29").contains("started"))
    }

    @Test("--exclude and --delivery take credentials out of the plan, and say what blocks it when nothing is left")
    func excludeAndDelivery() throws {
        let cli = try world()
        #expect(codes(try plan(cli, "web", "--by", "cost", "--exclude", "meta-react")) == ["js", "vue-cert"])
        #expect(codes(try plan(cli, "web", "--by", "hours", "--delivery", "online", "hybrid")) == ["js", "meta-react"])
        let blocked = try plan(cli, "web", "--exclude", "meta-react", "--delivery", "online")
        #expect(blocked["completable"] as? Bool == false)
        #expect(blocked["reason"] as? String
                == "choose 1 of 2: only 0 can be met (credential meta-react is excluded; credential vue-cert is excluded)")
        #expect(try cli.fails("next", "ana", "web", "--exclude", "nosuch") == "error: no credential \"nosuch\"\n")
    }

    @Test("limits: the cheapest plan within them; when none keeps them, says so and gives the best without")
    func limits() throws {
        let cli = try world()
        // The cheapest plan costs 69.00 (js + meta-react): under 60.00 there is
        // none, so the answer is the best plan without the limit, by hours
        // js + vue-cert (110 h), flagged.
        let tight = try plan(cli, "web", "--max-cost", "60")
        #expect(tight["limits_met"] as? Bool == false)
        #expect(tight["reason"] as? String == "no plan keeps every limit given; this is the best plan without them")
        #expect(codes(tight) == ["js", "vue-cert"])
        // Within 10 weeks at 12 hours a week means at most 120 hours: js + vue-cert (110 h).
        let paced = try plan(cli, "web", "--by", "cost", "--within-weeks", "10", "--pace", "12")
        #expect(paced["limits_met"] as? Bool == true)
        #expect(codes(paced) == ["js", "vue-cert"])
        #expect(paced["estimated_weeks"] as? Int == 10)
        // By cost js + meta-react is cheapest, but without a pace its weeks
        // one after another are 6 + 10 = 16 > 15, and its 130 hours > 120.
        #expect(codes(try plan(cli, "web", "--by", "cost")) == ["js", "meta-react"])
        #expect(codes(try plan(cli, "web", "--by", "cost", "--within-weeks", "15")) == ["js", "vue-cert"])
        #expect(codes(try plan(cli, "web", "--by", "cost", "--max-hours", "120")) == ["js", "vue-cert"])
        let table = try cli.ok("next", "ana", "web", "--max-cost", "60", "--as-of", "2026-11-29")
        #expect(table.contains("note: no plan keeps every limit given; this is the best plan without them"))
    }

    @Test("option values out of range are usage errors; --write-model needs a stack")
    func badOptions() throws {
        let cli = try world()
        #expect(try cli.fails("next", "ana", "web", "--time-limit", "0", status: 64).contains("time-limit \"0\" is less than 0.1 seconds"))
        #expect(try cli.fails("next", "ana", "web", "--max-cost", "-5", status: 64).contains("max-cost \"-5\" is negative"))
        #expect(try cli.fails("next", "ana", "--write-model", "m.lp", status: 64)
                == "error: --write-model needs a stack: one model per stack (see credfolio help)\n")
    }

    /// A generated catalog like the benchmark's: 300 credentials, a learner
    /// holding 12, a stack of each hard kind.
    func generated() throws -> (CLI, [String]) {
        let cli = try CLI()
        var rng = SeededRandom(seed: 300)
        var csv = "code,title,hours,cost,weeks,credits,credit_unit,skills\n"
        let skills = (0..<20).map { "sk\($0)" }
        try cli.ok("import", "skills", try cli.directory.write("k.csv", "code,name\n" + skills.map { "\($0),\($0)\n" }.joined()))
        let codes = (0..<300).map { String(format: "c%03d", $0) }
        for code in codes {
            let hours = [6, 8, 12, 16, 20, 30, 40, 60, 80].randomElement(using: &rng)!
            let credits = Bool.random(using: &rng) ? "\(Int.random(in: 2...6, using: &rng)),ECTS" : ","
            csv += "\(code),\(code),\(hours),\(Int.random(in: 0...900, using: &rng)),\(1 + hours / 8),\(credits),"
                + skills.filter { _ in Int.random(in: 0..<12, using: &rng) == 0 }.joined(separator: ";") + "\n"
        }
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", csv))
        try cli.ok("learner", "add", "pat", "--name", "Pat")
        var awards = "learner,credential,earned_on\n"
        for code in codes.shuffled(using: &rng).prefix(12) { awards += "pat,\(code),2026-01-15\n" }
        try cli.ok("import", "awards", try cli.directory.write("a.csv", awards))
        func sample(_ n: Int) -> [String] { Array(codes.shuffled(using: &rng).prefix(n)) }
        func list(_ items: [String]) -> String { items.map { #"{"credential":"\#($0)"}"# }.joined(separator: ",") }
        let pool = sample(40)
        let stacks = [
            #"{"code":"a","requires":{"all":[{"choose":5,"of":[\#(list(sample(60)))]},{"hours":400},{"credits":12,"unit":"ECTS"},"#
                + skills.prefix(6).map { #"{"skill":"\#($0)"}"# }.joined(separator: ",") + "]}}",
            #"{"code":"b","requires":{"all":[{"choose":3,"of":["#
                + (0..<12).map { _ in #"{"all":[\#(list(sample(4)))]}"# }.joined(separator: ",")
                + #"]},{"hours":900,"from":[\#(sample(200).map { "\"\($0)\"" }.joined(separator: ","))]}]}}"#,
            #"{"code":"c","requires":{"choose":10,"of":["#
                + (0..<25).map { _ in #"{"choose":2,"of":[\#(list(Array(pool.shuffled(using: &rng).prefix(6))))]}"# }
                    .joined(separator: ",") + "]}}",
        ]
        try cli.ok("import", "stacks", try cli.directory.write("s.json", "[" + stacks.joined(separator: ",") + "]"))
        return (cli, ["a", "b", "c"])
    }

    @Test("on a generated 300-credential catalog, every plan is proven optimal and its total is the optimum cbc finds from --write-model's file",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/cbc"), "needs the cbc command (coinor-cbc)"))
    func againstIndependentSolver() throws {
        let (cli, stacks) = try generated()
        for stack in stacks {
            for measure in ["hours", "cost", "weeks"] {
                let model = cli.directory.file("\(stack)-\(measure).lp")
                let json = try cli.ok("next", "pat", stack, "--by", measure, "--write-model", model, "--as-of", "2026-11-29",
                                      "--format", "json")
                let plan = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
                #expect(plan["optimal"] as? Bool == true, "\(stack) by \(measure)")
                #expect(plan["completable"] as? Bool == true, "\(stack) by \(measure)")
                let total = measure == "hours" ? plan["total_hours"] as! Int : measure == "weeks" ? plan["total_weeks"] as! Int
                    : Int(((plan["total_cost"] as! Double) * 100).rounded())
                #expect(plan["bound"] != nil)
                let solved = try cli.shell("cbc '\(model)' solve")
                let line = solved.stdout.split(separator: "\n").first { $0.hasPrefix("Objective value:") }
                let optimum = line.flatMap { Double($0.split(separator: " ").last!) }.map { Int($0.rounded()) }
                #expect(optimum == total, "\(stack) by \(measure): credfolio \(total), cbc \(String(describing: optimum))")
            }
        }
    }

    @Test("next over every stack ranks completable plans first, least total first, and marks unproven ones")
    func ranking() throws {
        let cli = try world()
        let json = try cli.ok("next", "ana", "--as-of", "2026-11-29", "--format", "json")
        let plans = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        #expect(plans.map { $0["stack"] as! String } == ["cloud", "web"])
        #expect(plans.allSatisfy { $0["optimal"] as? Bool == true })
    }
}
