import Foundation
import Testing
@testable import CredfolioTestSupport

/// The findings of a coach's trial and a line-by-line review: each test
/// pins the corrected behaviour, and failed on the release before it.
@Suite("Advice a coach can trust", .serialized)
struct AdviceTests {
    /// Setup S of the trial: ann aims at `cy` (sec and net) by 2027-01-31
    /// at 10 hours a week, and holds sec, which lapses on 2026-12-10; bob
    /// aims at `other` (net).
    func setupS() throws -> CLI {
        let cli = try CLI()
        try cli.ok("learner", "add", "ann", "--name", "Ann", "--pace", "10")
        try cli.ok("learner", "add", "bob", "--name", "Bob")
        try cli.ok("credential", "add", "sec", "--title", "Sec", "--hours", "90", "--weeks", "10", "--validity-months", "36")
        try cli.ok("credential", "add", "net", "--title", "Net", "--hours", "45", "--weeks", "16")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", """
            [{"code":"cy","title":"Cy","requires":{"all":[{"credential":"sec"},{"credential":"net"}]}},
             {"code":"other","title":"O","requires":{"credential":"net"}}]
            """))
        try cli.ok("learner", "goal", "add", "ann", "cy", "--by", "2027-01-31")
        try cli.ok("learner", "goal", "add", "bob", "other")
        try cli.ok("award", "add", "ann", "sec", "--earned", "2023-12-10")
        return cli
    }

    @Test("7: hours, cost and weeks a badge or a person did not give stay unknown: empty in CSV, null in JSON, never 0")
    func unknownIsKept() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ana", "--name", "Ana", "--email", "ana@example.org")
        let badge = try cli.directory.write("b.json", BadgeFixtures.credential(email: "ana@example.org").serialized(pretty: false))
        try cli.ok("import", "badges", badge, "--learner", "ana")
        let shown = try cli.ok("credential", "show", "cloud-ess", "--format", "json")
        #expect(shown.contains("\"hours\": null,") && shown.contains("\"cost\": null,") && shown.contains("\"weeks\": null,"))
        try cli.ok("credential", "add", "typed", "--title", "Typed", "--hours", "12")
        #expect(try cli.ok("credential", "show", "typed", "--format", "csv").contains("\ntyped,Typed,,certificate,12,,,,USD,,,"))
        #expect(try cli.ok("credential", "list").contains("typed      Typed             certificate       12  unknown  unknown"))
        // An empty option and an empty cell make a value unknown; export writes it back empty, and import keeps it.
        try cli.ok("credential", "edit", "typed", "--hours", "")
        #expect(try cli.ok("credential", "show", "typed", "--format", "csv").contains("\ntyped,Typed,,certificate,,"))
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", "code,title,hours,cost,weeks\nfree,Free,0,0,0\nvague,Vague,,,\n"))
        let exported = try cli.ok("export", "credentials")
        #expect(exported.contains("\nfree,Free,,certificate,0,,,0.00,USD,0,,"))
        #expect(exported.contains("\nvague,Vague,,certificate,,,,,USD,,,"))
        let other = try CLI()
        try other.ok("import", "credentials", try other.directory.write("again.csv", exported))
        #expect(try other.ok("export", "credentials") == exported)
    }

    /// A stack that needs `net` (45 hours, 16 weeks, 100.00) and `vague`,
    /// whose hours, cost and weeks are unknown; and one that may take
    /// `vague` or `long` (200 hours).
    func unknownWorld() throws -> CLI {
        let cli = try CLI()
        try cli.ok("learner", "add", "ann", "--name", "Ann", "--pace", "10")
        try cli.ok("credential", "add", "net", "--title", "Net", "--hours", "45", "--weeks", "16", "--cost", "100")
        try cli.ok("credential", "add", "vague", "--title", "Vague")
        try cli.ok("credential", "add", "long", "--title", "Long", "--hours", "200", "--weeks", "20", "--cost", "50")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", """
            [{"code":"both","requires":{"all":[{"credential":"net"},{"credential":"vague"}]}},
             {"code":"either","requires":{"choose":1,"of":[{"credential":"vague"},{"credential":"long"}]}},
             {"code":"alone","requires":{"credential":"vague"}}]
            """))
        return cli
    }

    @Test("7: a plan by a measure names the credentials whose measure is unknown and counts them apart; it takes them only when needed")
    func plansCountUnknown() throws {
        let cli = try unknownWorld()
        let table = try cli.ok("next", "ann", "both", "--as-of", "2026-12-07")
        #expect(table.contains("\nvague  Vague         unknown             unknown         unknown\ntotal         45 + 1 unknown  100.00 + 1 unknown  16 + 1 unknown\n"))
        #expect(table.contains("total: 45 hours + 1 credential of unknown hours (the plan uses as few credentials of unknown hours as it can)"))
        let json = try cli.ok("next", "ann", "both", "--as-of", "2026-12-07", "--format", "json")
        #expect(json.contains("\"total_hours\": null,\n  \"total_cost\": null,\n  \"total_weeks\": null,\n  \"unknown_hours\": 1,"))
        let csv = try cli.ok("next", "ann", "both", "--as-of", "2026-12-07", "--format", "csv")
        #expect(csv.split(separator: "\n")[1] == "ann,both,hours,true,net;vague,,,,,10,,true,45,true,1,1,1")
        // A known 200 hours beats an unknown: unknown is not free.
        #expect(try cli.ok("next", "ann", "either", "--as-of", "2026-12-07", "--format", "csv").split(separator: "\n")[1]
                .hasPrefix("ann,either,hours,true,long,200,50.00,20,20,"))
        // A limit cannot be kept by what is unknown: the note names it.
        #expect(try cli.ok("next", "ann", "alone", "--max-cost", "1000", "--as-of", "2026-12-07").contains(
            "note: no plan keeps every limit given (vague has a value a limit needs unknown, so cannot be shown to keep it)"))
    }

    @Test("7: weeks that depend on an unknown are unknown: never \"about 0 weeks, fits in six months\", and no goal is on track on them")
    func unknownWeeks() throws {
        let cli = try unknownWorld()
        try cli.ok("learner", "goal", "add", "ann", "alone", "--by", "2027-06-01")
        let table = try cli.ok("next", "ann", "alone", "--as-of", "2026-12-07")
        #expect(!table.contains("about 0 weeks"))
        #expect(table.contains("weeks unknown at 10 hours a week (the learner's pace): the plan has 1 credential of unknown hours"))
        let json = try cli.ok("next", "ann", "alone", "--as-of", "2026-12-07", "--format", "json")
        #expect(json.contains("\"estimated_weeks\": null,") && json.contains("\"fits_six_months\": null,"))
        let summary = try cli.ok("next", "ann", "--as-of", "2026-12-07")
        #expect(summary.contains("\nalone       0.0  vague            1 unknown           1 unknown  unknown  unknown        yes\n"))
        let cohort = try cli.ok("report", "cohort", "--as-of", "2026-12-07", "--format", "csv")
        #expect(cohort.contains("\nann,Ann,,alone,0.0,0.0,false,vague,,true,2027-06-01,,unknown\n"))
        try cli.ok("portfolio", "ann", "--html", "--as-of", "2026-12-07", "-o", cli.directory.file("ann.html"))
        let html = try String(contentsOfFile: cli.directory.file("ann.html"), encoding: .utf8)
        #expect(html.contains("Total: 1 credential of unknown hours, 1 credential of unknown cost in fees; weeks unknown: 1 credential of unknown hours."))
        #expect(html.contains("<span class=\"flag unknown\">on track: unknown (the plan has 1 credential of unknown hours)</span>"))
    }

    @Test("4: stack remove refuses a stack that learners aim at, saying how many goals; --force says what it removed")
    func stackRemoveKeepsGoals() throws {
        let cli = try setupS()
        let refused = try cli.fails("stack", "remove", "cy")
        #expect(refused == "error: stack cy is the goal of 1 learner; use --force to remove those goals too\n")
        #expect(try cli.ok("learner", "goal", "list", "ann", "--format", "csv") == "stack,target_date\ncy,2027-01-31\n")
        #expect(try cli.ok("stack", "remove", "cy", "--force") == "removed stack cy and 1 learner goal\n")
        #expect(try cli.ok("learner", "goal", "list", "ann", "--format", "csv") == "stack,target_date\n")
        #expect(try cli.ok("learner", "goal", "list", "bob", "--format", "csv") == "stack,target_date\nother,\n")
    }

    @Test("3: next estimates at the learner's own pace unless --pace is given, and says which pace it used")
    func nextTakesThePace() throws {
        let cli = try setupS()
        // Before sec lapses: ann needs net alone, 45 hours; at her 10 hours a week, 5 weeks (not net's 16 one after another).
        let own = try cli.ok("next", "ann", "cy", "--as-of", "2026-06-01", "--format", "json")
        #expect(own.contains("\"estimated_weeks\": 5,"))
        #expect(own.contains("\"pace\": 10,\n  \"pace_source\": \"the learner's pace\""))
        let table = try cli.ok("next", "ann", "cy", "--as-of", "2026-06-01")
        #expect(table.contains("about 5 weeks at 10 hours a week (the learner's pace): fits in six months"))
        let given = try cli.ok("next", "ann", "cy", "--as-of", "2026-06-01", "--pace", "3", "--format", "csv")
        // net was typed without a cost: unknown, an empty cell (finding 7), never 0.00.
        #expect(given.split(separator: "\n")[1].hasPrefix("ann,cy,hours,true,net,45,,16,15,3,true,"))
        // bob has no pace: the weeks one after another, and the table says so.
        #expect(try cli.ok("next", "bob", "other", "--as-of", "2026-06-01").contains("about 16 weeks one after another (no pace"))
    }

    @Test("2: --stack narrows the default rows to one stack, goal columns kept; --all-stacks --stack shows every learner on it")
    func stackNarrows() throws {
        let cli = try setupS()
        let header = "learner,name,cohort,stack,percent,projected_percent,complete,missing,last_earned_on,stalled,target_date,estimated_finish,goal_status"
        let ann = "ann,Ann,,cy,50.0,50.0,false,net,2023-12-10,true,2027-01-31,2026-07-06,on-track"
        #expect(try cli.ok("report", "cohort", "--stack", "cy", "--as-of", "2026-06-01", "--format", "csv") == header + "\n" + ann + "\n")
        let every = try cli.ok("report", "cohort", "--all-stacks", "--stack", "cy", "--as-of", "2026-06-01", "--format", "csv")
        #expect(every.split(separator: "\n").map { $0.prefix(4) } == ["lear", "ann,", "bob,"])
        // The per-stack summary counts the rows shown: ann alone.
        #expect(try cli.ok("report", "cohort", "--stack", "cy", "--as-of", "2026-06-01").hasSuffix("cy            1         0            50.0\n"))
        let export = try cli.ok("export", "progress", "--stack", "cy", "--as-of", "2026-06-01").split(separator: "\n")
        #expect(export.count == 2 && export[1] == "ann,Ann,,cy,50.0,50.0,false,1,2,net,2026-06-01")
        #expect(try cli.ok("export", "progress", "--all-stacks", "--stack", "cy", "--as-of", "2026-06-01").split(separator: "\n").count == 3)
    }

    @Test("17: an unknown command word, help topic, or import or export kind is a usage error (64) naming the nearest")
    func unknownWords() throws {
        let cli = try CLI()
        #expect(try cli.fails("help", "nosuch", status: 64) == "error: credfolio has no command \"nosuch\" (see credfolio help)\n")
        #expect(try cli.fails("learner", "shwo", "ann", status: 64)
                == "error: credfolio learner has no command \"shwo\"; did you mean show? (see credfolio help learner)\n")
        #expect(try cli.fails("help", "learner", "goal", "lst", status: 64).contains("has no command \"lst\"; did you mean list?"))
        #expect(try cli.fails("import", "credentails", "x.csv", status: 64)
                == "error: credfolio import has no command \"credentails\"; did you mean credentials? (see credfolio help import)\n")
        #expect(try cli.fails("export", "clrr", status: 64).contains("did you mean clr?"))
        #expect(try cli.run(["help", "learner"], useDatabase: false).stdout.contains("USAGE: credfolio learner <subcommand>"))
    }

    @Test("17: a stack, credential, skill or learner not found suggests the nearest code, not only one that differs in case")
    func nearestCodes() throws {
        let cli = try setupS()
        try cli.ok("skill", "add", "python", "--name", "Python")
        #expect(try cli.fails("next", "ann", "cyy") == "error: no stack \"cyy\"; did you mean cy?\n")
        #expect(try cli.fails("credential", "show", "se") == "error: no credential \"se\"; did you mean sec?\n")
        #expect(try cli.fails("skill", "show", "pyhton") == "error: no skill \"pyhton\"; did you mean python?\n")
        #expect(try cli.fails("learner", "show", "an") == "error: no learner \"an\"; did you mean ann?\n")
        #expect(try cli.fails("learner", "show", "ANN") == "error: no learner \"ANN\"; did you mean ann?\n")
        // Nothing near: no guess.
        #expect(try cli.fails("stack", "show", "zzzz") == "error: no stack \"zzzz\"\n")
    }

    @Test("17: report cohort --help gives the real default order; export --help lists clr")
    func helpTexts() throws {
        let cli = try CLI()
        let cohort = try cli.ok("report", "cohort", "--help")
        #expect(cohort.contains("in learner then stack order"))
        #expect(!cohort.contains("closest to done first"))
        // export's kinds are its subcommands: clr is listed with what it does, and its own help names the learner.
        #expect(try cli.ok("export", "--help").contains("\n  clr                     Export a learner's portfolio as a CLR 2.0 credential"))
        #expect(try cli.ok("export", "clr", "--help").contains("<learner>"))
    }

    @Test("17: learner show gives the pace, every email address, and each goal with its status")
    func learnerShow() throws {
        let cli = try setupS()
        try cli.ok("learner", "edit", "ann", "--email", "ann@example.org")
        try cli.ok("learner", "email", "add", "ann", "ann@work.example")
        let table = try cli.ok("learner", "show", "ann", "--as-of", "2026-06-01")
        #expect(table.contains("pace:       10\nemails:     ann@example.org;ann@work.example\n"))
        #expect(table.contains("STACK  TARGET_DATE  PERCENT  ESTIMATED_FINISH  GOAL_STATUS\ncy     2027-01-31      50.0  2026-07-06        on-track\n"))
        let json = try cli.ok("learner", "show", "ann", "--as-of", "2026-06-01", "--format", "json")
        #expect(json.contains("\"emails\": [\n    \"ann@example.org\",\n    \"ann@work.example\"\n  ],"))
        #expect(json.contains("\"goal_status\": \"on-track\""))
        #expect(try cli.ok("learner", "show", "bob", "--as-of", "2026-06-01", "--format", "csv")
                == "handle,name,email,cohort,notes,created_on,pace,emails\nbob,Bob,,,,\(Self.today),,\n")
    }

    @Test("17: credential show lists the stacks that name it, directly or through a nested stack")
    func credentialShowStacks() throws {
        let cli = try setupS()
        try cli.ok("import", "stacks", try cli.directory.write("big.json", #"[{"code":"big","requires":{"stack":"cy"}}]"#))
        #expect(try cli.ok("credential", "show", "net").contains("\nstacks:             big;cy;other\n"))
        #expect(try cli.ok("credential", "show", "sec", "--format", "json").contains("\"stacks\": [\n    \"big\",\n    \"cy\"\n  ]"))
    }

    @Test("16: export stacks of no stacks writes a file that import stacks reads")
    func emptyStacksRoundTrip() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ann", "--name", "Ann")
        let file = cli.directory.file("none.json")
        try cli.ok("export", "stacks", "-o", file)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "[]\n")
        #expect(try cli.ok("import", "stacks", file) == "imported 0 stacks: 0 new, 0 updated, 0 unchanged\n")
    }

    @Test("16: award add --earned of a credential in progress turns that award into the earned one, and says so")
    func earnedFinishesUnderWay() throws {
        let cli = try setupS()
        try cli.ok("award", "add", "bob", "net", "--status", "in-progress", "--started", "2026-10-01")
        #expect(try cli.ok("award", "add", "bob", "net", "--earned", "2026-11-20")
                == "recorded earned award of net to bob on 2026-11-20; it was in progress since 2026-10-01, and that award is now earned\n")
        #expect(try cli.ok("award", "list", "--learner", "bob", "--as-of", "2026-12-01", "--format", "csv")
                == "id,learner,credential,title,status,effective_status,started_on,earned_on,expires_on,evidence_url,notes\n"
                    + "2,bob,net,Net,earned,earned,2026-10-01,2026-11-20,,,\n")
    }

    @Test("16: award edit --earned D where no award was earned on D points to --earned-on")
    func editEarnedHint() throws {
        let cli = try setupS()
        try cli.ok("award", "add", "bob", "net", "--status", "planned")
        #expect(try cli.fails("award", "edit", "bob", "net", "--earned", "2026-11-20", "--status", "earned")
                == "error: learner bob has no award of net earned on 2026-11-20 (--earned picks the award earned that day; "
                    + "to set the day it was earned, use --earned-on 2026-11-20)\n")
    }

    @Test("16: learner goal add warns of a past target date, and says which target it replaced")
    func goalDates() throws {
        let cli = try setupS()
        let past = try cli.run(["learner", "goal", "add", "bob", "other", "--by", "2020-01-31"])
        #expect(past.status == 0 && past.stdout == "learner bob aims at other by 2020-01-31 (replacing no target date)\n")
        #expect(past.stderr.hasPrefix("note: the target date 2020-01-31 is already past (today is "))
        #expect(try cli.ok("learner", "goal", "add", "ann", "cy", "--by", "2027-03-31")
                == "learner ann aims at cy by 2027-03-31 (replacing the target date 2027-01-31)\n")
        #expect(try cli.ok("learner", "goal", "add", "ann", "cy") == "learner ann aims at cy (replacing the target date 2027-03-31)\n")
        #expect(try cli.ok("learner", "goal", "add", "ann", "cy") == "learner ann aims at cy\n")
    }

    @Test("15: --db \"\" is refused; with no HOME and no XDG_DATA_HOME there is no default, and nothing is made")
    func noDefaultDatabase() throws {
        let cli = try CLI()
        for arguments in [["--db", "", "learner", "list"], ["learner", "list", "--db", ""], ["--db=", "learner", "list"]] {
            let result = try cli.run(arguments, useDatabase: false)
            #expect(result.status == 64 && result.stderr == "error: --db is empty: give the database file's path (see credfolio help)\n")
        }
        let env = ["HOME": "", "XDG_DATA_HOME": "", "CREDFOLIO_DB": ""]
        let result = try cli.run(["learner", "add", "x", "--name", "X"], environment: env, useDatabase: false)
        #expect(result.status == 1)
        #expect(result.stderr == "error: no database given, and no default one: HOME and XDG_DATA_HOME are not set "
                + "(give --db FILE, or set CREDFOLIO_DB)\n")
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file(".local")))
    }

    @Test("15: a mistyped --db folder leaves no file or folder; a failed first command leaves no new database")
    func mistypedDatabase() throws {
        let cli = try CLI()
        let typo = cli.directory.file("typo/c.db")
        #expect(try cli.fails("learner", "add", "x", "--name", "X", "--db", typo)
                == "error: cannot write \(typo): there is no folder \(cli.directory.file("typo"))\n")
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("typo")))
        let fresh = cli.directory.file("fresh.db")
        #expect(try cli.fails("learner", "add", "x", "--name", "", "--db", fresh) == "error: name is empty\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasPrefix("fresh") }.isEmpty)
    }

    @Test("15: -o, --write-model, backup and key generate refuse a missing folder alike, naming it; report html -o makes it")
    func missingFolders() throws {
        let cli = try setupS()
        let folder = cli.directory.file("nodir")
        for (arguments, file) in [(["export", "learners", "-o"], "x.csv"), (["next", "ann", "cy", "--write-model"], "m.lp"),
                                  (["backup"], "b.db")] {
            #expect(try cli.fails(arguments + [folder + "/" + file]) == "error: cannot write \(folder)/\(file): there is no folder \(folder)\n")
        }
        let key = try cli.run(["key", "generate", folder + "/k.jwk"], useDatabase: false)
        #expect(key.status == 1 && key.stderr == "error: cannot write \(folder)/k.jwk: there is no folder \(folder)\n")
        #expect(!FileManager.default.fileExists(atPath: folder))
        try cli.ok("report", "html", "-o", cli.directory.file("a/b/site"), "--as-of", "2026-06-01")
        #expect(FileManager.default.fileExists(atPath: cli.directory.file("a/b/site/index.html")))
    }

    @Test("14: key generate never replaces a file: the key gets its name by an exclusive link")
    func keyGenerateExclusive() throws {
        let cli = try CLI()
        let key = cli.directory.file("k.jwk")
        try "keep me\n".write(toFile: key, atomically: false, encoding: .utf8)
        let refused = try cli.run(["key", "generate", key], useDatabase: false)
        #expect(refused.status == 1 && refused.stderr == "error: \(key) already exists; choose a new file for the key\n")
        #expect(try String(contentsOfFile: key, encoding: .utf8) == "keep me\n")
        #expect(try cli.run(["key", "generate", cli.directory.file("new.jwk")], useDatabase: false).status == 0)
        #expect(try String(contentsOfFile: cli.directory.file("new.jwk"), encoding: .utf8).contains("\"crv\": \"Ed25519\""))
    }

    @Test("18: --db /dev/null, a folder, a truncated JWT and choose 1e23 each say what they are")
    func explainingMessages() throws {
        let cli = try setupS()
        #expect(try cli.fails("learner", "list", "--db", "/dev/null") == "error: /dev/null is not a regular file, so not a database\n")
        #expect(try cli.fails("learner", "list", "--db", cli.directory.path)
                == "error: \(cli.directory.path) is a folder, not a database file\n")
        let twoParts = try cli.directory.write("cut.jwt", "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0")
        #expect(try cli.fails("import", "badges", twoParts, "--learner", "ann")
                == "error: \(twoParts): a truncated JWT: it has 2 of the 3 parts of a signed one (header.payload.signature)\n")
        // A signature cut to 43 characters: 32 of EdDSA's 64 bytes.
        let shortSignature = try cli.directory.write("short.jwt", "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0." + String(repeating: "A", count: 43))
        #expect(try cli.fails("import", "badges", shortSignature, "--learner", "ann")
                == "error: \(shortSignature): a truncated JWT: its signature is 32 bytes, and EdDSA signatures are 64\n")
        let huge = try cli.directory.write("huge.json", #"[{"code":"q","requires":{"choose":1e23,"of":[{"credential":"sec"}]}}]"#)
        #expect(try cli.fails("import", "stacks", huge)
                == "error: \(huge): stack q: at requires: choose 1e+23 is out of range: it has 1 requirement to choose from\n")
    }

    @Test("14: handles and codes refuse format and zero-width characters, and are stored composed (NFC), one code however typed")
    func codesAndHandles() throws {
        let cli = try CLI()
        #expect(try cli.fails("learner", "add", "jose\u{200B}", "--name", "Jose")
                == "error: handle \"jose\\u{200b}\" is not a valid code (1 to 64 characters, no spaces, no control, format or zero-width characters, no \";\")\n")
        try cli.ok("learner", "add", "jos\u{E9}", "--name", "José")
        // The same handle typed decomposed: the same learner, found and refused as a duplicate.
        #expect(try cli.fails("learner", "add", "jose\u{301}", "--name", "José") == "error: learner jos\u{E9} already exists\n")
        #expect(try cli.ok("learner", "show", "jose\u{301}", "--format", "csv").contains("\njos\u{E9},José,"))
        try cli.ok("credential", "add", "caf\u{E9}", "--title", "Café")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", "{\"code\":\"s\",\"requires\":{\"credential\":\"cafe\u{301}\"}}"))
        #expect(try cli.ok("export", "credentials").split(separator: "\n").count == 2)
        #expect(try cli.ok("stack", "show", "s", "--format", "json").contains("\"credential\": \"caf\u{E9}\""))
    }

    @Test("14: names and titles are one line; bidirectional overrides are refused and shown escaped")
    func namesOnOneLine() throws {
        let cli = try CLI()
        #expect(try cli.fails("learner", "add", "x", "--name", "a\tb") == "error: name \"a\\tb\" holds a tab or a line break: a name is one line\n")
        #expect(try cli.fails("credential", "add", "c", "--title", "T\nU") == "error: title \"T\\nU\" holds a tab or a line break: a title is one line\n")
        #expect(try cli.fails("learner", "add", "y", "--name", "evil\u{202E}txt.exe")
                == "error: name \"evil\\u{202e}txt.exe\" holds a control character\n")
    }

    @Test("14: tables align by display width (wide characters two columns, combining marks none) and cut cells past 80 columns")
    func tableWidths() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "a", "--name", "山田太郎", "--created-on", "2026-01-01")
        try cli.ok("learner", "add", "b", "--name", "Rene\u{301}", "--created-on", "2026-01-01")
        try cli.ok("learner", "add", "c", "--name", "Emo 🎉", "--created-on", "2026-01-01")
        try cli.ok("learner", "add", "d", "--name", String(repeating: "x", count: 100), "--created-on", "2026-01-01")
        let lines = try cli.ok("learner", "list").split(separator: "\n").map(String.init)
        #expect(lines[1] == "a       山田太郎" + String(repeating: " ", count: 72) + "                        2026-01-01")
        #expect(lines[2] == "b       Rene\u{301}" + String(repeating: " ", count: 76) + "                        2026-01-01")
        #expect(lines[3] == "c       Emo 🎉" + String(repeating: " ", count: 74) + "                        2026-01-01")
        #expect(lines[4] == "d       " + String(repeating: "x", count: 79) + "…" + "                        2026-01-01")
        // CSV and JSON keep the cell whole.
        #expect(try cli.ok("learner", "list", "--format", "csv").contains(String(repeating: "x", count: 100) + ","))
    }

    @Test("6: the projection counts awards earned after the as-of date (planned, as award list says), and no tree says in progress since a later date")
    func futureDatedAwards() throws {
        let cli = try setupS()
        try cli.ok("award", "add", "bob", "net", "--earned", "2027-01-01")
        try cli.ok("award", "add", "ann", "net", "--status", "in-progress", "--started", "2026-09-01")
        #expect(try cli.ok("award", "list", "--learner", "bob", "--as-of", "2026-06-01", "--format", "csv").contains(",earned,planned,"))
        let bob = try cli.ok("progress", "bob", "--as-of", "2026-06-01")
        #expect(bob.contains("0.0%   projected 100.0%"))
        #expect(bob.contains("credential net  missing: to be earned 2027-01-01"))
        let ann = try cli.ok("progress", "ann", "--as-of", "2026-06-01")
        #expect(ann.contains("credential net  missing: planned, from 2026-09-01"))
        #expect(!ann.contains("in progress since 2026-09-01"))
        #expect(try cli.ok("progress", "ann", "--as-of", "2026-10-01").contains("credential net  missing: in progress since 2026-09-01"))
        let export = try cli.ok("export", "progress", "--all-stacks", "--as-of", "2026-06-01").split(separator: "\n")
        #expect(export.contains("bob,Bob,,other,0.0,100.0,false,0,1,net,2026-06-01"))
    }

    @Test("5: a completed stack that grants g counts as holding g for every other stack, from the day it completes; cycles are refused")
    func grants() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ann", "--name", "Ann")
        for code in ["a", "b", "g", "x"] { try cli.ok("credential", "add", code, "--title", code.uppercased(), "--hours", "10") }
        try cli.ok("import", "stacks", try cli.directory.write("s.json", """
            [{"code":"base","requires":{"all":[{"credential":"a"},{"credential":"b"}]},"grants":"g"},
             {"code":"top","requires":{"all":[{"credential":"g"},{"credential":"x"}]}}]
            """))
        try cli.ok("award", "add", "ann", "a", "--earned", "2026-01-01")
        try cli.ok("award", "add", "ann", "b", "--earned", "2026-02-01")
        #expect(try cli.ok("export", "progress", "--stack", "top", "--as-of", "2026-03-01").hasSuffix("ann,Ann,,top,50.0,50.0,false,1,2,x,2026-03-01\n"))
        // Before base was complete, nothing was granted.
        #expect(try cli.ok("export", "progress", "--stack", "top", "--as-of", "2026-01-15").hasSuffix("ann,Ann,,top,0.0,50.0,false,0,2,g;x,2026-01-15\n"))
        let next = try cli.ok("next", "ann", "top", "--as-of", "2026-03-01", "--format", "csv").split(separator: "\n")
        #expect(next[1].hasPrefix("ann,top,hours,true,x,10,"))
        let cycle = try cli.directory.write("cycle.json", """
            [{"code":"c1","requires":{"credential":"x"},"grants":"a"},{"code":"c2","requires":{"credential":"a"},"grants":"x"}]
            """)
        #expect(try cli.fails("import", "stacks", cycle) == "error: \(cycle): stack c1: grants form a cycle (c1 grants a, which c2 needs; "
                + "c2 grants x, which c1 needs): none of these stacks could ever be complete\n")
    }

    @Test("1: a held credential that lapses before the estimated finish is renewed in the plan; the finish moves, and the words say so")
    func lapseBeforeFinish() throws {
        let cli = try setupS()
        // sec lapses 2026-12-10; net (45 h) alone would finish 2027-01-11, on track. With sec's renewal (90 h): 14 weeks.
        let csv = try cli.ok("report", "cohort", "--as-of", "2026-12-07", "--format", "csv").split(separator: "\n")
        #expect(csv[1] == "ann,Ann,,cy,50.0,50.0,false,net,2023-12-10,true,2027-01-31,2027-03-15,off-track")
        #expect(try cli.ok("report", "cohort", "--as-of", "2026-12-07").contains("off-track (sec lapses 2026-12-10: renew)"))
        let next = try cli.ok("next", "ann", "cy", "--as-of", "2026-12-07")
        #expect(next.contains("sec    Sec       90    unknown     10  renewal: lapses 2026-12-10, before the finish"))
        #expect(next.contains("about 14 weeks at 10 hours a week (the learner's pace)"))
        #expect(try cli.ok("gap", "ann", "cy", "--as-of", "2026-12-07", "--format", "csv")
                == "requirement,kind,code,options,note\ncredential net,credential,net,net,\ncredential sec,credential,sec,sec,\"lapses 2026-12-10, before the finish: renew\"\n")
        let page = cli.directory.file("ann.html")
        try cli.ok("portfolio", "ann", "--html", "-o", page, "--as-of", "2026-12-07")
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("estimated finish 2027-03-15 · sec lapses 2026-12-10: renew"))
        // Months earlier, nothing lapses before the finish: net alone.
        #expect(try cli.ok("report", "cohort", "--as-of", "2026-06-01", "--format", "csv").contains(",2027-01-31,2026-07-06,on-track"))
    }

    @Test("8: export clr then import badges into a new database keeps the catalog, and reports the CLR's own signature")
    func clrRoundTrip() throws {
        let cli = try CLI()
        try cli.ok("learner", "add", "ann", "--name", "Ann", "--email", "ann@example.org")
        try cli.ok("skill", "add", "python", "--name", "Python")
        try cli.ok("credential", "add", "sec", "--title", "Sec", "--hours", "90", "--weeks", "10", "--validity-months", "36",
                   "--cost", "49.99", "--credits", "3", "--credit-unit", "ECTS", "--delivery", "hybrid", "--skill", "python")
        try cli.ok("credential", "add", "net", "--title", "Net", "--hours", "45", "--weeks", "16")
        let stacks = try cli.directory.write("s.json", #"{"code":"cy","requires":{"all":[{"credential":"sec"},{"hours":100}]}}"#)
        try cli.ok("import", "stacks", stacks)
        try cli.ok("award", "add", "ann", "sec", "--earned", "2026-01-10")
        try cli.ok("award", "add", "ann", "net", "--earned", "2026-02-10")
        let progress = try cli.ok("export", "progress", "--as-of", "2026-06-01")
        #expect(progress.hasSuffix("ann,Ann,,cy,100.0,100.0,true,2,2,,2026-06-01\n"))
        let key = cli.directory.file("k.jwk")
        #expect(try cli.run(["key", "generate", key], useDatabase: false).status == 0)
        let clr = cli.directory.file("clr.jwt")
        try cli.ok("export", "clr", "ann", "--as-of", "2026-06-01", "--sign-key", key, "-o", clr)
        let fields = ["hours", "credits", "credit_unit", "cost", "currency", "weeks", "format", "validity_months", "skills"]
        func catalog(_ cli: CLI) throws -> [String] {
            let record = try cli.ok("credential", "show", "sec", "--format", "json")
            let object = try JSONSerialization.jsonObject(with: Data(record.utf8)) as! [String: Any]
            return fields.map { "\($0)=\(object[$0].map { "\($0)" } ?? "nil")" }
        }
        let copy = try CLI()
        try copy.ok("learner", "add", "ann", "--name", "Ann", "--email", "ann@example.org")
        let imported = try copy.run(["import", "badges", clr, "--learner", "ann"])
        #expect(imported.status == 0)
        #expect(imported.stderr == "note: \(clr): the CLR's own signature or proof: intact (key carried by the credential)\n")
        #expect(try catalog(copy) == (try catalog(cli)))
        try copy.ok("import", "stacks", stacks)
        #expect(try copy.ok("export", "progress", "--as-of", "2026-06-01") == progress)
    }

    /// Today, as the command line writes it (a learner added without --created-on joins today).
    static var today: String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
