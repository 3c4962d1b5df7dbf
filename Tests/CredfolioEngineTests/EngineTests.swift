import CredfolioCBC
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioCore
@testable import CredfolioEngine

@Suite("Engine: holding a credential")
struct HoldingTests {
    let catalog = Catalog([cred("aws", validity: 36), cred("sql"), cred("psm")])

    func held(_ facts: [AwardFact], on text: String, projected: Bool = false, assume: [Int] = []) -> [String] {
        catalog.holdings(facts, on: day(text), projected: projected, assume: assume).members.map { catalog[$0].code }
    }

    @Test("earned on or before the day counts; earned after does not")
    func earnedOn() {
        let facts = [AwardFact(credential: 1, status: .earned, earnedOn: day("2026-03-14"), expiresOn: nil)]
        #expect(held(facts, on: "2026-03-13") == [])
        #expect(held(facts, on: "2026-03-14") == ["sql"])
    }

    @Test("expiry is exclusive: held the day before it, not on it (derived from validity months)")
    func derivedExpiryBoundary() {
        let facts = [AwardFact(credential: 0, status: .earned, earnedOn: day("2023-03-14"), expiresOn: nil)]
        #expect(held(facts, on: "2026-03-13") == ["aws"])
        #expect(held(facts, on: "2026-03-14") == [])
    }

    @Test("an explicit expiry wins over the credential's validity")
    func explicitExpiry() {
        let facts = [AwardFact(credential: 0, status: .earned, earnedOn: day("2026-01-01"), expiresOn: day("2026-06-30"))]
        #expect(held(facts, on: "2026-06-29") == ["aws"])
        #expect(held(facts, on: "2026-06-30") == [])
    }

    @Test("a renewal keeps the credential held after the first award lapses")
    func renewal() {
        let facts = [
            AwardFact(credential: 0, status: .earned, earnedOn: day("2023-03-14"), expiresOn: nil),
            AwardFact(credential: 0, status: .earned, earnedOn: day("2026-02-01"), expiresOn: nil),
        ]
        #expect(held(facts, on: "2026-03-14") == ["aws"])
        #expect(held(facts, on: "2029-02-01") == [])
        #expect(held(Array(facts.prefix(1)), on: "2026-03-14") == [])
    }

    @Test("revoked, in-progress and planned awards are not held; projected counts the unfinished ones only")
    func statuses() {
        let facts = [
            AwardFact(credential: 0, status: .revoked, earnedOn: day("2026-01-01"), expiresOn: nil),
            AwardFact(credential: 1, status: .inProgress, earnedOn: nil, expiresOn: nil),
            AwardFact(credential: 2, status: .planned, earnedOn: nil, expiresOn: nil),
        ]
        #expect(held(facts, on: "2026-06-01") == [])
        #expect(held(facts, on: "2026-06-01", projected: true) == ["sql", "psm"])
        #expect(held(facts, on: "2026-06-01", assume: [0]) == ["aws"])
    }
}

@Suite("Engine: evaluation")
struct EvaluationTests {
    @Test("a credential leaf is 1 when held, 0 otherwise")
    func credentialLeaf() throws {
        let w = try World([cred("a"), cred("b")], stacks: #"[{"code": "s", "requires": {"credential": "a"}}]"#)
        #expect(try w.value("s", holding: ["a"]) == 1)
        #expect(try w.value("s", holding: ["b"]) == 0)
    }

    @Test("a skill leaf is 1 when any held credential teaches the skill")
    func skillLeaf() throws {
        let w = try World([cred("a", skills: ["py"]), cred("b", skills: ["sql"])],
                          stacks: #"[{"code": "s", "requires": {"skill": "py"}}]"#)
        #expect(try w.value("s", holding: ["a"]) == 1)
        #expect(try w.value("s", holding: ["b"]) == 0)
    }

    @Test("an hours leaf is the held hours (from its list, or all) over the threshold, capped at 1")
    func hoursLeaf() throws {
        let w = try World([cred("a", hours: 30), cred("b", hours: 50), cred("c", hours: 100)], stacks: """
            [{"code": "from", "requires": {"hours": 100, "from": ["a", "b"]}},
             {"code": "any", "requires": {"hours": 120}}]
            """)
        #expect(try w.value("from", holding: ["a"]) == 0.3)
        #expect(try w.value("from", holding: ["a", "c"]) == 0.3)
        #expect(try w.value("from", holding: ["a", "b"]) == 0.8)
        #expect(try w.value("any", holding: ["a", "c"]) == 1)
        #expect(try w.value("any", holding: ["b"]) == 50.0 / 120)
    }

    @Test("a credits leaf counts only credits in its unit")
    func creditsLeaf() throws {
        let w = try World([cred("a", credits: 2, unit: "ECTS"), cred("b", credits: 3, unit: "CEU"), cred("c", credits: 4, unit: "ECTS")],
                          stacks: #"[{"code": "s", "requires": {"credits": 5, "unit": "ECTS"}}]"#)
        #expect(try w.value("s", holding: ["a", "b"]) == 0.4)
        #expect(try w.value("s", holding: ["a", "b", "c"]) == 1)
    }

    @Test("an amount requirement's detail is its total over its threshold, then what made the total, in catalog order")
    func amountDetailText() throws {
        let w = try World([cred("a", hours: 30, credits: 2, unit: "ECTS"), cred("b", hours: 50, credits: 3, unit: "CEU"),
                           cred("c", hours: 1, credits: 4, unit: "ECTS")], stacks: """
            [{"code": "any", "requires": {"hours": 120}},
             {"code": "from", "requires": {"hours": 100, "from": ["b", "a", "b"]}},
             {"code": "ects", "requires": {"credits": 5, "unit": "ECTS"}}]
            """)
        func detail(_ stack: String, _ codes: [String]) throws -> String {
            let compiled = try w.compile(stack)
            // Streamed into a page or built as a string, the text is the same.
            var streamed = ""
            compiled.writeAmountDetail(0, held: w.held(codes), catalog: w.catalog, to: &streamed)
            let built = compiled.amountDetail(0, held: w.held(codes), catalog: w.catalog)
            #expect(streamed == built.text)
            return built.text + " | " + built.satisfiedBy.joined(separator: ",")
        }
        #expect(try detail("any", ["c", "a"]) == "31 of 120 hours (a, c) | a,c")
        #expect(try detail("any", []) == "0 of 120 hours | ")
        #expect(try detail("from", ["a", "b", "c"]) == "80 of 100 hours (a, b) | a,b")
        #expect(try detail("ects", ["a", "b", "c"]) == "6 of 5 ECTS credits (a, c) | a,c")
    }

    @Test("each requirement's detail says what met it, what it lacks, or how many of its parts are met")
    func detailText() throws {
        let w = try World([cred("a", skills: ["py"]), cred("b", skills: ["py"]), cred("c"), cred("d")], stacks: """
            [{"code": "s", "requires": {"all": [{"credential": "a"}, {"choose": 1, "of": [{"credential": "b"}, {"credential": "c"}]},
              {"skill": "py"}, {"skill": "go"}, {"hours": 25}, {"credential": "d"}]}},
             {"code": "twice", "requires": {"all": [{"credential": "a"}, {"credential": "a"}]}}]
            """)
        func details(_ stack: String, holding codes: [String]) throws -> [String] {
            let compiled = try w.compile(stack)
            let held = w.held(codes)
            let p = compiled.progress(held: held, projected: held, catalog: w.catalog)
            return compiled.nodes.indices.map { id in
                var streamed = ""
                p.writeDetail(id, catalog: w.catalog, to: &streamed)
                let (by, text) = p.detail(id, catalog: w.catalog)
                #expect(streamed == text)
                return compiled.nodes[id].label + ": " + text + (by.isEmpty ? "" : " [" + by.joined(separator: ",") + "]")
            }
        }
        // c is not held, and its choice is met by b: not needed.
        #expect(try details("s", holding: ["a", "b"]) == [
            "all of 6: 3 of 6 met",
            "credential a: met by a [a]",
            "choose 1 of 2: 1 of 1 met",
            "credential b: met by b [b]",
            "credential c: not needed",
            "skill py: taught by a, b [a,b]",
            "skill go: missing: no held credential teaches it",
            "25 hours: 20 of 25 hours (a, b) [a,b]",
            "credential d: missing",
        ])
        #expect(try details("twice", holding: ["a"]) == [
            "all of 2: 1 of 2 met", "credential a: met by a [a]", "credential a: held, but counted for another requirement",
        ])
    }

    @Test("all is the mean of its children; choose N is the sum of the N largest over N")
    func groups() throws {
        let w = try World([cred("a", hours: 10), cred("b"), cred("c"), cred("d")], stacks: """
            [{"code": "all", "requires": {"all": [{"credential": "a"}, {"credential": "b"}, {"credential": "c"}, {"credential": "d"}]}},
             {"code": "choose", "requires": {"choose": 2, "of": [{"credential": "a"}, {"hours": 40, "from": ["a"]}, {"credential": "c"}]}}]
            """)
        #expect(try w.value("all", holding: ["a", "c"]) == 0.5)
        #expect(try w.value("choose", holding: ["a"]) == (1 + 0.25) / 2)
        #expect(try w.value("choose", holding: ["a", "c"]) == 1)
    }

    @Test("nested stacks are inlined and evaluated as one tree")
    func nested() throws {
        let w = try World([cred("a"), cred("b"), cred("c")], stacks: """
            [{"code": "inner", "requires": {"all": [{"credential": "b"}, {"credential": "c"}]}},
             {"code": "outer", "requires": {"all": [{"credential": "a"}, {"stack": "inner"}]}}]
            """)
        #expect(try w.value("outer", holding: ["a", "b"]) == 0.75)
        let compiled = try w.compile("outer")
        #expect(compiled.nodes.count == 5)
        #expect(compiled.nodes[2].stack == "inner")
    }

    @Test("exclusive: one held credential meets one leaf; shared: every leaf that names it")
    func sharedVersusExclusive() throws {
        let w = try World([cred("a"), cred("b")], stacks: """
            [{"code": "inner", "requires": {"all": [{"credential": "a"}, {"credential": "b"}]}},
             {"code": "exclusive", "requires": {"all": [{"credential": "a"}, {"stack": "inner"}]}},
             {"code": "shared", "shared": true, "requires": {"all": [{"credential": "a"}, {"stack": "inner"}]}}]
            """)
        #expect(try w.value("exclusive", holding: ["a", "b"]) == 0.75)
        #expect(try w.value("shared", holding: ["a", "b"]) == 1)
    }

    @Test("skill, hours and credits leaves consume nothing: the credential still meets its own leaf")
    func nonConsuming() throws {
        let w = try World([cred("a", hours: 40, skills: ["py"])], stacks: """
            [{"code": "s", "requires": {"all": [{"credential": "a"}, {"skill": "py"}, {"hours": 40, "from": ["a"]}]}}]
            """)
        #expect(try w.value("s", holding: ["a"]) == 1)
    }

    @Test("the greedy trap: assigning leaf by leaf gives 0.5, the best assignment gives 1")
    func greedyTrap() throws {
        let w = try World([cred("a"), cred("b")], stacks: """
            [{"code": "trap", "requires": {"all": [
                {"choose": 1, "of": [{"credential": "a"}, {"credential": "b"}]},
                {"credential": "a"}]}}]
            """)
        // Greedy: give each held credential to the first leaf that names it.
        let compiled = try w.compile("trap")
        let held = w.held(["a", "b"])
        var values = compiled.baseLeafValues(held, catalog: w.catalog)
        var used = Set<Int>()
        for leaf in compiled.leaves {
            if case .credential(let i) = compiled.nodes[leaf].kind, held.contains(i), used.insert(i).inserted { values[leaf] = 1 }
        }
        var scratch: [Double] = []
        #expect(compiled.propagate(&values, scratch: &scratch) == 0.5)
        // The engine finds the assignment that maximises the root.
        let evaluation = compiled.evaluate(held, catalog: w.catalog)
        #expect(evaluation.value == 1)
        #expect(evaluation.exact)
        #expect(evaluation.assignment(of: compiled.leaves[2]) == w.catalog.index["a"])
        #expect(evaluation.assignment(of: compiled.leaves[1]) == w.catalog.index["b"])
    }

    @Test("the assignment search stays fast and exact on a real-sized tree with many contested credentials")
    func largeTree() throws {
        // 12 credentials, each named in three places across nested stacks: 3^12 naive assignments.
        let credentials = (0..<12).map { cred("c\($0)") }
        var inner: [String] = []
        for k in 0..<3 {
            let leaves = (0..<12).map { #"{"credential": "c\#(($0 + k * 5) % 12)"}"# }.joined(separator: ", ")
            inner.append(#"{"code": "part\#(k)", "requires": {"choose": 6, "of": [\#(leaves)]}}"#)
        }
        let outer = #"{"code": "big", "requires": {"all": [{"stack": "part0"}, {"stack": "part1"}, {"stack": "part2"}]}}"#
        let w = try World(credentials, stacks: "[" + (inner + [outer]).joined(separator: ",") + "]")
        let evaluation = try w.compile("big").evaluate(w.held(credentials.map(\.code)), catalog: w.catalog)
        #expect(evaluation.exact)
        #expect(abs(evaluation.value - 12.0 / 18.0) < 1e-9)  // 12 awards for 18 chosen slots
    }

    @Test("an unfinished choose is one missing item, K of (A|B), alternatives joined by +; all needed, they are listed plainly")
    func missingChoice() throws {
        let w = try World([cred("a", hours: 10), cred("b"), cred("c"), cred("d")], stacks: """
            [{"code": "nested", "requires": {"choose": 2, "of": [
                {"all": [{"credential": "a"}, {"credential": "b"}]}, {"credential": "c"}, {"hours": 20, "from": ["a", "d"]}]}},
             {"code": "some", "requires": {"choose": 2, "of": [{"credential": "a"}, {"credential": "b"}, {"credential": "c"}]}},
             {"code": "every", "requires": {"choose": 2, "of": [{"credential": "a"}, {"credential": "b"}, {"credential": "c"}]}}]
            """)
        func missing(_ stack: String, holding: [String]) throws -> [MissingItem] {
            let compiled = try w.compile(stack)
            return compiled.progress(held: w.held(holding), projected: w.held(holding), catalog: w.catalog).missingItems(catalog: w.catalog)
        }
        let nested = try missing("nested", holding: [])
        #expect(nested.map(\.text) == ["2 of (a+b|c|hours:20)"])
        #expect(JSONValue.array(nested.map(\.json)).serialized(pretty: false)
                == #"[{"choose":2,"of":[["a","b"],["c"],["hours:20"]]}]"#)
        #expect(try missing("some", holding: ["a"]).map(\.text) == ["1 of (b|c)"])
        // Two of three met: nothing is missing.
        #expect(try missing("every", holding: ["a", "b"]).map(\.text) == [])
        #expect(try missing("nested", holding: ["c"]).map(\.text) == ["1 of (a+b|hours:20)"])
    }

    @Test("progress names what is missing, with alternatives under an unfinished choose, nothing under a met one")
    func missing() throws {
        let w = try World([cred("a", hours: 10), cred("b"), cred("c"), cred("d", skills: ["py"])], stacks: """
            [{"code": "s", "requires": {"all": [
                {"choose": 1, "of": [{"credential": "a"}, {"credential": "b"}]},
                {"choose": 1, "of": [{"credential": "c"}, {"credential": "d"}]},
                {"skill": "py"}, {"hours": 25}, {"credits": 2, "unit": "ECTS"}]}}]
            """)
        let compiled = try w.compile("s")
        let progress = compiled.progress(held: w.held(["a"]), projected: w.held(["a", "d"]), catalog: w.catalog)
        #expect(progress.missing(catalog: w.catalog) == ["1 of (c|d)", "skill:py", "hours:15", "credits:2:ECTS"])
        // Joined as one string, whole or cut to its first items (with how many there are in all).
        #expect(progress.missingText(catalog: w.catalog, separator: ";") == ("1 of (c|d);skill:py;hours:15;credits:2:ECTS", 4))
        #expect(progress.missingText(catalog: w.catalog, separator: ", ", limit: 2) == ("1 of (c|d), skill:py", 4))
        #expect(progress.requirementsMet == 1)
        #expect(progress.requirementsTotal == 5)
        #expect(abs(progress.percent - 100 * (1 + 0 + 0 + 0.4 + 0) / 5) < 1e-9)
        #expect(abs(progress.projectedPercent - 100 * (1 + 1 + 1 + 0.8 + 0) / 5) < 1e-9)
    }
}

@Suite("Engine: next-best plan")
struct PlannerTests {
    let w: World

    init() throws {
        w = try World([
            cred("x", hours: 10, cost: 500, weeks: 8), cred("y", hours: 40, cost: 50, weeks: 2), cred("z", hours: 30, cost: 100, weeks: 1),
            cred("base", hours: 20, cost: 10, weeks: 1), cred("t1", hours: 5, cost: 90, weeks: 1, skills: ["py"]),
            cred("t2", hours: 50, cost: 20, weeks: 6, skills: ["py"]),
        ], stacks: """
            [{"code": "pick", "requires": {"all": [{"credential": "base"}, {"choose": 1, "of": [{"credential": "x"}, {"credential": "y"}, {"credential": "z"}]}]}},
             {"code": "skill", "requires": {"skill": "py"}},
             {"code": "hours", "requires": {"hours": 60, "from": ["x", "y", "z", "base"]}},
             {"code": "ghost", "requires": {"all": [{"credential": "base"}, {"skill": "ghost"}]}},
             {"code": "far", "requires": {"hours": 500, "from": ["x", "y"]}},
             {"code": "twice", "requires": {"all": [{"credential": "base"}, {"stack": "pick"}]}}]
            """)
    }

    @Test("by hours, by cost and by weeks each pick the least of their measure")
    func eachMeasure() throws {
        #expect(try w.plan("pick", by: .hours).codes == ["x", "base"])
        #expect(try w.plan("pick", by: .hours).plan.total == 30)
        #expect(try w.plan("pick", by: .cost).codes == ["base", "y"])
        #expect(try w.plan("pick", by: .cost).plan.total == 6_000)
        #expect(try w.plan("pick", by: .weeks).codes == ["base", "z"])
        #expect(try w.plan("pick", by: .weeks).plan.total == 2)
    }

    @Test("held credentials are not bought again, and a complete stack needs nothing")
    func held() throws {
        #expect(try w.plan("pick", holding: ["base"], by: .cost).codes == ["y"])
        let done = try w.plan("pick", holding: ["base", "x"])
        #expect(done.codes.isEmpty && done.plan.completable == true && done.plan.total == 0)
    }

    @Test("skills and hours are met by the cheapest combination, exactly")
    func skillsAndHours() throws {
        #expect(try w.plan("skill", by: .cost).codes == ["t2"])
        #expect(try w.plan("skill", by: .hours).codes == ["t1"])
        // 60 hours from x(10) y(40) z(30) base(20): least hours is y+base (60), least cost base+y (60 h, $60).
        #expect(try w.plan("hours", by: .hours).plan.total == 60)
        #expect(try w.plan("hours", by: .cost).codes == ["base", "y"])
        // Least weeks is 3 (y with base, or y with z): a tie of two credentials
        // each, which the solver settles the same way every time.
        let weeks = try w.plan("hours", by: .weeks)
        #expect(weeks.plan.total == 3)
        #expect(weeks.codes == ["base", "y"] || weeks.codes == ["z", "y"])
        for _ in 0..<5 { #expect(try w.plan("hours", by: .weeks).codes == weeks.codes) }
        // By hours, 60 exactly is y and base (2 credentials) or x, z and base
        // (3): a tie, and the fewer credentials win it before codes are compared.
        #expect(try w.plan("hours", by: .hours).codes == ["base", "y"])
    }

    @Test("a stack the catalog cannot complete says which requirement blocks it")
    func uncompletable() throws {
        let ghost = try w.plan("ghost").plan
        #expect(ghost.completable == false)
        #expect(ghost.reason == "skill ghost: no credential in the catalog teaches it")
        #expect(try w.plan("far").plan.reason == "500 hours from x, y: the catalog offers only 50")
        let twice = try w.plan("twice").plan
        #expect(twice.completable == false)
        #expect(twice.reason == "credential base is required more than once and the stack is not shared, so one award cannot meet every requirement")
        // Excluding what a requirement needs is named as the reason.
        let excluded = try w.plan("pick", options: { $0.excluded = [w.catalog.index["base"]!] }).plan
        #expect(excluded.completable == false)
        #expect(excluded.reason == "credential base is excluded")
    }
}

@Suite("Stack definitions")
struct StackDefinitionTests {
    func parseError(_ json: String) -> String? {
        do {
            _ = try StackParser.parse(Array(json.utf8))
            return nil
        } catch let error as CredfolioError {
            return error.message
        } catch let error as JSONSyntaxError {
            return "\(error.line):\(error.column): \(error.reason)"
        } catch {
            return "\(error)"
        }
    }

    func validationError(_ json: String, stored: [StackDefinition] = []) throws -> String? {
        let stacks = try StackParser.parse(Array(json.utf8))
        do {
            try StackValidator.validate(stacks, stored: Dictionary(uniqueKeysWithValues: stored.map { ($0.code, $0) }),
                                        credentialExists: { ["a", "b"].contains($0) }, skillExists: { $0 == "py" })
            return nil
        } catch let error as CredfolioError {
            return error.message
        }
    }

    @Test("the example from the issue parses and writes back the same JSON")
    func example() throws {
        let json = """
            { "code": "data-analyst", "title": "Data Analytics Professional", "issuer": "Metro College",
              "grants": "data-analyst-cert",
              "requires": { "all": [
                  { "credential": "sql-basics" },
                  { "choose": 2, "of": [ { "credential": "tableau" }, { "credential": "power-bi" }, { "credential": "excel-adv" } ] },
                  { "skill": "python" },
                  { "hours": 120, "from": ["sql-basics", "tableau", "power-bi", "excel-adv", "python-data"] },
                  { "stack": "business-foundations" } ] } }
            """
        let stack = try #require(try StackParser.parse(Array(json.utf8)).first)
        #expect(stack.requires == .all([
            .credential("sql-basics"), .choose(2, [.credential("tableau"), .credential("power-bi"), .credential("excel-adv")]),
            .skill("python"), .hours(120, from: ["sql-basics", "tableau", "power-bi", "excel-adv", "python-data"]),
            .stack("business-foundations"),
        ]))
        let again = try StackParser.parse(Array(stack.json.serialized().utf8))
        #expect(again == [stack])
    }

    @Test("invalid shapes are refused with the stack and the place", arguments: [
        (#"{"code": "s", "requires": {"choose": 0, "of": [{"credential": "a"}]}}"#, "stack s: at requires: choose 0 must be at least 1"),
        (#"{"code": "s", "requires": {"choose": 3, "of": [{"credential": "a"}, {"credential": "b"}]}}"#, "stack s: at requires: choose 3 is more than its 2 requirements"),
        (#"{"code": "s", "requires": {"all": []}}"#, "stack s: at requires: empty group: \"all\" lists no requirements"),
        (#"{"code": "s", "requires": {"all": [{"hours": 0}]}}"#, "stack s: at requires.all[0]: \"hours\" must be positive, not 0"),
        (#"{"code": "s", "requires": {"hours": -5}}"#, "stack s: at requires: \"hours\" must be positive, not -5"),
        (#"{"code": "s", "requires": {"credential": "a", "note": 1}}"#, "stack s: at requires: unknown key \"note\" here (allowed: credential)"),
        (#"{"code": "s", "colour": "red", "requires": {"credential": "a"}}"#, "stack s: unknown key \"colour\" (keys are code, description, grants, issuer, requires, shared, title)"),
        (#"{"code": "s", "requires": {"badge": "a"}}"#, "stack s: at requires: unknown key \"badge\" (a requirement is one of credential, skill, hours, credits, stack, all, choose)"),
        (#"{"code": "s", "requires": {"credits": 3}}"#, "stack s: at requires: \"credits\" needs a \"unit\" (such as ECTS or CEU)"),
        (#"{"title": "no code", "requires": {"credential": "a"}}"#, "the stack has no \"code\" string"),
        ("{\n  \"code\": \"s\",\n  \"requires\": {\"credential\": \"a\"\n}", "4:2: unexpected end of input in an object"),
        ("[{\"code\": \"s\" \"requires\": 1}]", "1:15: expected ',' or '}'"),
    ])
    func invalidShapes(json: String, message: String) {
        #expect(parseError(json) == message)
    }

    @Test("unknown codes, duplicates and cycles are refused, naming the stack (and the cycle)")
    func invalidReferences() throws {
        #expect(try validationError(#"{"code": "s", "requires": {"credential": "zz"}}"#) == "stack s: credential zz does not exist")
        #expect(try validationError(#"{"code": "s", "requires": {"skill": "zz"}}"#) == "stack s: skill zz does not exist")
        #expect(try validationError(#"{"code": "s", "requires": {"stack": "zz"}}"#) == "stack s: stack zz does not exist")
        #expect(try validationError(#"{"code": "s", "grants": "zz", "requires": {"credential": "a"}}"#) == "stack s: grants credential zz, which does not exist")
        #expect(try validationError(#"[{"code": "s", "requires": {"credential": "a"}}, {"code": "s", "requires": {"credential": "b"}}]"#)
                == "stack s appears twice in this file")
        #expect(try validationError("""
            [{"code": "a", "requires": {"stack": "b"}}, {"code": "b", "requires": {"all": [{"credential": "a"}, {"stack": "a"}]}}]
            """) == "stack a: nested stacks form a cycle: a -> b -> a")
        #expect(try validationError(#"{"code": "self", "requires": {"stack": "self"}}"#) == "stack self: nested stacks form a cycle: self -> self")
        let stored = StackDefinition(code: "old", requires: .stack("new"))
        #expect(try validationError(#"{"code": "new", "requires": {"stack": "old"}}"#, stored: [stored])
                == "stack new: nested stacks form a cycle: new -> old -> new")
        #expect(try validationError(#"[{"code": "x", "requires": {"stack": "y"}}, {"code": "y", "requires": {"skill": "py"}}]"#) == nil)
    }
}

@Suite("Engine: random worlds against the reference")
struct EnginePropertyTests {
    @Test("evaluation and plans match brute force on 300 random worlds, half of them with unknown hours, costs and weeks")
    func matchesReference() throws {
        var rng = SeededRandom(seed: 20_261_129)
        for round in 0..<300 {
            let (credentials, stacks) = randomEngineWorld(&rng, unknowns: round % 2 == 1)
            let catalog = Catalog(credentials)
            let byCode = Dictionary(uniqueKeysWithValues: stacks.map { ($0.code, $0) })
            let credentialsByCode = Dictionary(uniqueKeysWithValues: credentials.map { ($0.code, $0) })
            let held = Set(credentials.map(\.code).filter { _ in Int.random(in: 0..<3, using: &rng) == 0 })
            let heldSet = HeldSet(capacity: catalog.count, held.map { catalog.index[$0]! })
            for stack in stacks {
                let compiled = try CompiledStack(stack, catalog: catalog, stacks: { byCode[$0] })
                let expected = Reference.evaluate(stack, stacks: byCode, catalog: credentialsByCode, held: held)
                let evaluation = compiled.evaluate(heldSet, catalog: catalog)
                // The fast text form of missing is the structured one, written out.
                let progress = compiled.progress(held: heldSet, projected: heldSet, catalog: catalog)
                #expect(progress.missing(catalog: catalog) == progress.missingItems(catalog: catalog).map(\.text))
                #expect(abs(evaluation.value - expected) < 1e-9, "stack \(stack.json.serialized(pretty: false)) held \(held.sorted())")
                let measure = Measure.allCases.randomElement(using: &rng)!
                let plan = try compiled.plan(held: heldSet, catalog: catalog, options: PlanOptions(measure: measure), solver: CBCSolver())
                let reference = Reference.best(stack, stacks: byCode, catalog: credentials, held: held, allowed: { _ in true },
                                               keeps: { _ in true }, by: measure.of)
                #expect(plan.completable == (reference != nil))
                #expect(plan.optimal)
                if let reference {
                    #expect(plan.total == reference.total, "by \(measure): \(stack.json.serialized(pretty: false))")
                    #expect(plan.credentials.count == reference.codes.count, "tie-break by \(measure): fewest credentials")
                    let chosen = Set(plan.credentials.map { catalog[$0].code })
                    #expect(chosen.isDisjoint(with: held))
                    #expect(plan.credentials.reduce(0) { $0 + (measure.of(catalog[$1]) ?? 0) } == plan.total)
                    #expect(plan.unknown == reference.unknown, "by \(measure): fewest of unknown measure")
                    #expect(plan.knownTotal == (reference.unknown == 0 ? reference.total : nil))
                    #expect(Reference.evaluate(stack, stacks: byCode, catalog: credentialsByCode, held: held.union(chosen)) >= 1 - 1e-9)
                }
            }
        }
    }
}

@Suite("Engine: when a search stops at its budget")
struct BudgetTests {
    @Test("the evaluator out of budget says exact: false, and its value is one real assignment's, never above the best")
    func evaluatorBudget() throws {
        // Eight credentials, each named by two leaves under different groups:
        // every one of them leaves a choice.
        var credentials: [Credential] = []
        var left: [String] = [], right: [String] = []
        for i in 0..<8 {
            credentials.append(cred("c\(i)"))
            left.append(#"{"credential": "c\#(i)"}"#)
            right.append(#"{"credential": "c\#(i)"}"#)
        }
        let w = try World(credentials, stacks: """
            [{"code": "s", "requires": {"all": [{"choose": 5, "of": [\(left.joined(separator: ","))]},
                                                {"choose": 3, "of": [\(right.joined(separator: ","))]}]}}]
            """)
        let stack = try w.compile("s")
        let held = w.held((0..<8).map { "c\($0)" })
        let full = stack.evaluate(held, catalog: w.catalog)
        #expect(full.exact)
        #expect(full.complete)
        let cut = stack.evaluate(held, catalog: w.catalog, budget: 1)
        #expect(!cut.exact)
        #expect(cut.value <= full.value + Evaluation.epsilon)
        // The value it reports is that of the assignment it reports: each
        // credential on one leaf at most, each group counting its met leaves.
        let groups = stack.nodes[stack.root].children
        func met(_ group: Int) -> Double {
            Double(stack.nodes[group].children.filter { cut.assignment(of: $0) != nil }.count)
        }
        let assigned = stack.leaves.compactMap { cut.assignment(of: $0) }
        #expect(Set(assigned).count == assigned.count)
        #expect(abs(cut.value - (min(5, met(groups[0])) / 5 + min(3, met(groups[1])) / 3) / 2) < Evaluation.epsilon)
    }

    @Test("out of states, the evaluator solves the same assignment as a MILP: exact, and equal to brute force on 200 worlds")
    func evaluatorFallback() throws {
        var rng = SeededRandom(seed: 31_337)
        var fellBack = 0
        for _ in 0..<200 {
            let (credentials, stacks) = randomEngineWorld(&rng)
            let catalog = Catalog(credentials)
            let byCode = Dictionary(uniqueKeysWithValues: stacks.map { ($0.code, $0) })
            let credentialsByCode = Dictionary(uniqueKeysWithValues: credentials.map { ($0.code, $0) })
            let held = Set(credentials.map(\.code).filter { _ in Bool.random(using: &rng) })
            let heldSet = HeldSet(capacity: catalog.count, held.map { catalog.index[$0]! })
            for stack in stacks {
                let compiled = try CompiledStack(stack, catalog: catalog, stacks: { byCode[$0] }, fallback: CBCSolver())
                let evaluation = compiled.evaluate(heldSet, catalog: catalog, budget: 0)
                let expected = Reference.evaluate(stack, stacks: byCode, catalog: credentialsByCode, held: held)
                #expect(evaluation.exact)
                #expect(abs(evaluation.value - expected) < 1e-6, "\(stack.json.serialized(pretty: false)) held \(held.sorted())")
                if compiled.evaluate(heldSet, catalog: catalog, budget: 0).exact && compiled.credentialLeafGroups.contains(where: {
                    $0.leaves.count > 1 && heldSet.contains($0.credential) }) && !stack.shared {
                    fellBack += 1
                }
            }
        }
        // The fallback really ran: many of those evaluations had a choice to make.
        #expect(fellBack > 20)
    }

    /// A solver that answers what it is told to, to drive the planner's
    /// handling of a search that stopped at its time limit.
    struct StoppedSolver: MILPSolver {
        let status: Solution.Status
        func solve(_ program: LinearProgram, seconds: Double, nodes: Int?) throws -> Solution {
            // Take every free credential: feasible, and far from the least total.
            let values = program.columns.map { $0.upper }
            switch status {
            case .feasible: return Solution(status: .feasible, values: values, objective: program.objectiveValue(values), bound: 41.2)
            case .unknown: return Solution(status: .unknown, values: [], objective: .infinity, bound: 12.5)
            default: return try CBCSolver().solve(program, seconds: seconds)
            }
        }
    }

    @Test("a plan the time limit cut short says optimal: false with the proven bound; none found is completable: nil")
    func plannerTimeLimit() throws {
        let w = try World([cred("a", hours: 30), cred("b", hours: 40), cred("c", hours: 50)],
                          stacks: #"[{"code": "h", "requires": {"hours": 60}}]"#)
        let stack = try w.compile("h")
        let cut = try stack.plan(held: w.held([]), catalog: w.catalog, options: PlanOptions(), solver: StoppedSolver(status: .feasible))
        #expect(cut.completable == true)
        #expect(!cut.optimal)
        #expect(cut.total == 120)
        #expect(cut.bound == 42)
        var with = w.held([])
        for i in cut.credentials { with.insert(i) }
        #expect(stack.evaluate(with, catalog: w.catalog).complete)
        let none = try stack.plan(held: w.held([]), catalog: w.catalog, options: PlanOptions(), solver: StoppedSolver(status: .unknown))
        #expect(none.completable == nil)
        #expect(!none.optimal)
        #expect(none.bound == 13)
        #expect(none.reason == "no plan was found within the time limit of 10 s")
        let real = try stack.plan(held: w.held([]), catalog: w.catalog, options: PlanOptions(), solver: CBCSolver())
        #expect(real.optimal && real.total == 70 && real.bound == 70)
    }
}

@Suite("Engine: plans with limits, exclusions and formats against brute force")
struct PlanOptionTests {
    @Test("on 150 random worlds, every measure and every option gives the brute-force best, fewest credentials on a tie; unknown values keep no limit")
    func optionsMatchReference() throws {
        var rng = SeededRandom(seed: 9_2026)
        let formats: [DeliveryFormat] = [.online, .hybrid, .inPerson]
        for round in 0..<150 {
            var (credentials, stacks) = randomEngineWorld(&rng, unknowns: round % 2 == 1)
            for i in credentials.indices { credentials[i].deliveries = formats.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }.sorted() }
            let catalog = Catalog(credentials)
            let byCode = Dictionary(uniqueKeysWithValues: stacks.map { ($0.code, $0) })
            let held = Set(credentials.map(\.code).filter { _ in Int.random(in: 0..<4, using: &rng) == 0 })
            let heldSet = HeldSet(capacity: catalog.count, held.map { catalog.index[$0]! })
            var options = PlanOptions(measure: Measure.allCases.randomElement(using: &rng)!)
            switch round % 6 {
            case 0: options.maxCostCents = Int64.random(in: 0...400, using: &rng) * 100
            case 1: options.maxHours = Int64.random(in: 0...80, using: &rng)
            case 2: options.withinWeeks = Int64.random(in: 0...12, using: &rng)
            case 3:
                options.withinWeeks = Int64.random(in: 1...6, using: &rng)
                options.pace = Double(Int.random(in: 1...20, using: &rng))
            case 4: options.excluded = Set((0..<catalog.count).filter { _ in Int.random(in: 0..<4, using: &rng) == 0 })
            default: options.formats = Set(formats.filter { _ in Bool.random(using: &rng) })
            }
            let allowed: (Credential) -> Bool = { c in
                !options.excluded.contains(catalog.index[c.code]!) && (options.formats.map { f in c.deliveries.contains(where: f.contains) } ?? true)
            }
            let keeps: ([Credential]) -> Bool = { taken in
                // An unknown value cannot be shown to keep a limit.
                func sum(_ value: (Credential) -> Int64?) -> Int64? {
                    taken.reduce(Int64(0)) { total, c in total.flatMap { t in value(c).map { t + $0 } } }
                }
                if let max = options.maxCostCents, (sum(\.costCents) ?? .max) > max { return false }
                if let max = options.maxHours, (sum(\.hours) ?? .max) > max { return false }
                if let weeks = options.withinWeeks {
                    if let pace = options.pace {
                        guard let hours = sum(\.hours) else { return false }
                        if (Double(hours) / pace - 1e-9).rounded(.up) > Double(weeks) { return false }
                    } else if (sum(\.weeks) ?? .max) > weeks { return false }
                }
                return true
            }
            for stack in stacks {
                let compiled = try CompiledStack(stack, catalog: catalog, stacks: { byCode[$0] })
                let plan = try compiled.plan(held: heldSet, catalog: catalog, options: options, solver: CBCSolver())
                let limited = Reference.best(stack, stacks: byCode, catalog: credentials, held: held, allowed: allowed,
                                             keeps: keeps, by: options.measure.of)
                let unlimited = Reference.best(stack, stacks: byCode, catalog: credentials, held: held, allowed: allowed,
                                               keeps: { _ in true }, by: options.measure.of)
                let what = "round \(round) \(options.measure): \(stack.json.serialized(pretty: false))"
                let expected = limited ?? unlimited
                #expect(plan.completable == (expected != nil), "\(what)")
                #expect(plan.limitsMet == (limited != nil || unlimited == nil || !options.hasLimits), "\(what)")
                guard let expected else { continue }
                #expect(plan.optimal, "\(what)")
                #expect(plan.total == expected.total, "\(what)")
                #expect(plan.unknown == expected.unknown, "\(what): fewest of unknown measure")
                #expect(plan.credentials.count == expected.codes.count, "\(what): fewest credentials")
                // Every plan, checked by evaluating it: with its credentials added, the stack is complete.
                var with = heldSet
                for i in plan.credentials { with.insert(i) }
                #expect(compiled.evaluate(with, catalog: catalog).complete, "\(what)")
            }
        }
    }

    @Test("on 150 random catalogs with prerequisite routes, plans take what a route needs and match brute force")
    func routesMatchReference() throws {
        var rng = SeededRandom(seed: 24_2026)
        var constrained = 0
        for round in 0..<150 {
            let (credentials, stacks) = randomEngineWorld(&rng, unknowns: round % 2 == 1)
            let codes = credentials.map(\.code)
            // Up to three credentials get one to three routes each: one or two others, none (text only), or one
            // outside the catalog (never open).
            var routes: [String: [[String]?]] = [:]
            for code in codes.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)) {
                routes[code] = (0..<Int.random(in: 1...3, using: &rng)).map { _ -> [String]? in
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0: return nil
                    case 1: return []
                    default: return Array(codes.filter { $0 != code }.shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)))
                    }
                }
            }
            let catalog = Catalog(credentials, routes: routes)
            let byCode = Dictionary(uniqueKeysWithValues: stacks.map { ($0.code, $0) })
            let held = Set(codes.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 })
            let heldSet = HeldSet(capacity: catalog.count, held.map { catalog.index[$0]! })
            let options = PlanOptions(measure: Measure.allCases.randomElement(using: &rng)!)
            for stack in stacks {
                let compiled = try CompiledStack(stack, catalog: catalog, stacks: { byCode[$0] })
                let plan = try compiled.plan(held: heldSet, catalog: catalog, options: options, solver: CBCSolver())
                let expected = Reference.best(stack, stacks: byCode, catalog: credentials, held: held, allowed: { _ in true },
                                              keeps: { _ in true }, routes: routes, by: options.measure.of)
                let free = Reference.best(stack, stacks: byCode, catalog: credentials, held: held, allowed: { _ in true },
                                          keeps: { _ in true }, by: options.measure.of)
                if expected?.codes != free?.codes { constrained += 1 }
                let what = "round \(round) \(options.measure) routes \(routes): \(stack.json.serialized(pretty: false))"
                #expect(plan.completable == (expected != nil), "\(what)")
                guard let expected else { continue }
                #expect(plan.optimal && plan.total == expected.total && plan.unknown == expected.unknown, "\(what)")
                #expect(plan.credentials.count == expected.codes.count, "\(what): fewest credentials")
                // Each credential taken has an open route among what is held and taken.
                let taken = Set(plan.credentials).union(heldSet.members)
                for i in plan.credentials {
                    guard let open = catalog.routes[i] else { continue }
                    #expect(open.contains { $0.allSatisfy(taken.contains) }, "\(what): \(catalog.codes[i]) taken without its prerequisites")
                }
            }
        }
        // The routes changed the best plan often enough for the comparison to mean something.
        #expect(constrained > 20)
    }

    @Test("a route's credentials are in the model as its constraints, and a credential no route can reach is fixed at 0")
    func routeRows() throws {
        let credentials = [cred("intro", hours: 40), cred("a-plus", hours: 120), cred("lab", hours: 10), cred("closed", hours: 1)]
        let w = try World(credentials, stacks: #"[{"code": "p", "requires": {"choose": 1, "of": [{"credential": "a-plus"}, {"credential": "closed"}]}}]"#)
        let catalog = Catalog(credentials, routes: ["a-plus": [["intro"], ["lab", "intro"]], "closed": [nil]])
        let stack = try CompiledStack(w.stacks["p"]!, catalog: catalog, stacks: { _ in nil })
        let model = stack.planningModel(held: HeldSet(capacity: 4), catalog: catalog, options: PlanOptions(), withLimits: true)
        let text = model.program.lpText
        #expect(text.contains("prerequisite1: x1 - y1_0 - y1_1 <= 0"), "\(text)")
        #expect(text.contains("route1_0_0: y1_0 - x0 <= 0") && text.contains("route1_1_2: y1_1 - x2 <= 0"), "\(text)")
        #expect(text.contains("\\ x3 = closed (no route to it can be met)"), "\(text)")
        let plan = try stack.plan(held: HeldSet(capacity: 4), catalog: catalog, options: PlanOptions(), solver: CBCSolver())
        #expect(plan.credentials.map { catalog.codes[$0] } == ["intro", "a-plus"] && plan.total == 160)
    }

    @Test("the model written for --write-model is the one solved: its optimum, by any solver, is the plan's total")
    func modelFile() throws {
        let w = try World([cred("x", hours: 10, cost: 500), cred("y", hours: 40, cost: 50), cred("base", hours: 20, cost: 10)],
                          stacks: #"[{"code": "p", "requires": {"all": [{"credential": "base"}, {"choose": 1, "of": [{"credential": "x"}, {"credential": "y"}]}]}}]"#)
        let stack = try w.compile("p")
        let model = stack.planningModel(held: w.held([]), catalog: w.catalog, options: PlanOptions(measure: .cost), withLimits: true)
        #expect(model.program.lpText.contains("Minimize\n obj: 50000 x0 + 1000 x2 + 5000 x1\n")
                || model.program.lpText.contains("obj:"))
        let solution = try CBCSolver().solve(model.program, seconds: 10)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 6_000)
        #expect(model.program.isFeasible(solution.values))
    }
}

@Suite("Engine: the progress-key table the memos use")
struct ProgressKeyTableTests {
    /// Keys that differ in one field at a time, and keys whose folded words share their top bits.
    func keys() -> [ProgressKey] {
        var out: [ProgressKey] = []
        for i in 0..<3_000 {
            var key = ProgressKey()
            let bits = UInt64(i)
            switch i % 5 {
            case 0: key.held = (bits, 0)
            case 1: key.held = (0, bits)
            case 2: key.projected = (bits &* 0x1_0000_0001, bits)
            case 3: key.totals = (Double(i), Double(i) / 2, 0, 0)
            default: key.held = (bits, bits); key.projected = (bits, bits); key.totals = (0, 0, 0.5, Double(i))
            }
            out.append(key)
        }
        return out
    }

    @Test("it finds every key it was given, with the value last set, and no key it was not given, as a Dictionary does")
    func agreesWithDictionary() {
        let all = keys()
        #expect(Set(all).count == all.count)
        var table = ProgressKeyTable<Int>()
        var model: [ProgressKey: Int] = [:]
        for (i, key) in all.enumerated() where i % 3 != 2 {
            table[key] = i
            model[key] = i
        }
        // Replacing a value keeps one entry.
        for (i, key) in all.enumerated() where i % 7 == 0 && i % 3 != 2 {
            table[key] = -i
            model[key] = -i
        }
        #expect(table.count == model.count)
        for key in all { #expect(table[key] == model[key]) }
        // An empty table finds nothing.
        #expect(ProgressKeyTable<Int>()[all[0]] == nil)
    }
}
