import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioCore
@testable import CredfolioEngine
@testable import CredfolioApp
@testable import CredfolioCLI
import CredfolioSystem

@Suite("Coach's workflow: effective status, lapses and work under way")
struct EffectiveStatusTests {
    @Test("effective status on the exact expiry day is expired; the day before, earned; before it was earned, planned")
    func boundary() {
        let earned = day("2025-09-15"), expiry = day("2026-09-15")
        #expect(EffectiveStatus(status: .earned, earnedOn: earned, expiry: expiry, on: day("2026-09-14")) == .earned)
        #expect(EffectiveStatus(status: .earned, earnedOn: earned, expiry: expiry, on: day("2026-09-15")) == .expired)
        #expect(EffectiveStatus(status: .earned, earnedOn: earned, expiry: nil, on: day("2099-01-01")) == .earned)
        #expect(EffectiveStatus(status: .earned, earnedOn: earned, expiry: expiry, on: day("2025-09-14")) == .planned)
        #expect(EffectiveStatus(status: .revoked, earnedOn: earned, expiry: nil, on: day("2026-01-01")) == .revoked)
        #expect(EffectiveStatus(status: .inProgress, earnedOn: nil, expiry: nil, on: day("2026-01-01")) == .inProgress)
    }

    @Test("the longest-lasting award decides; a lapse is the latest expiry of a credential no longer held")
    func standing() {
        let catalog = Catalog([cred("aws", validity: 12), cred("sql"), cred("react")])
        let facts = [
            AwardFact(credential: 0, status: .earned, earnedOn: day("2024-06-01"), expiresOn: nil),
            AwardFact(credential: 0, status: .earned, earnedOn: day("2025-01-10"), expiresOn: nil),
            AwardFact(credential: 1, status: .earned, earnedOn: day("2025-01-10"), expiresOn: day("2027-01-01")),
            AwardFact(credential: 2, status: .inProgress, earnedOn: nil, expiresOn: nil),
        ]
        let before = Standing(facts, catalog: catalog, on: day("2025-12-01"), startedOn: [2: day("2025-11-01")])
        #expect(before.held[0] == Standing.Held(earned: day("2025-01-10"), expires: day("2026-01-10")))
        #expect(before.lapsed.isEmpty)
        #expect(before.mark(2) == "in progress since 2025-11-01")
        let after = Standing(facts, catalog: catalog, on: day("2026-01-10"))
        #expect(after.held[0] == nil)
        #expect(after.lapsed[0] == Standing.Lapse(earned: day("2025-01-10"), expired: day("2026-01-10")))
        #expect(after.mark(0) == "expired 2026-01-10: renew")
        #expect(after.mark(2) == "in progress")
        #expect(after.mark(1) == nil)
    }
}

@Suite("Coach's workflow on the command line", .serialized)
struct CoachCLITests {
    func world() throws -> CLI {
        let cli = try CLI()
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", """
            code,title,hours,cost,validity_months
            aws-ccp,AWS Cloud Practitioner,40,100,12
            sec-plus,Security+,80,400,
            meta-react,Meta React,80,49,
            """))
        try cli.ok("learner", "add", "ben", "--name", "Ben", "--cohort", "c1")
        try cli.ok("award", "add", "ben", "aws-ccp", "--earned", "2025-09-15")
        try cli.ok("award", "add", "ben", "sec-plus", "--earned", "2025-06-01")
        try cli.ok("award", "add", "ben", "meta-react", "--status", "in-progress", "--started", "2026-10-01")
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"""
            [{"code": "cloud-security", "requires": {"all": [{"credential": "aws-ccp"}, {"credential": "sec-plus"}]}},
             {"code": "web", "requires": {"credential": "meta-react"}}]
            """#))
        return cli
    }

    @Test("award list and learner show give effective_status beside the stored status, on --as-of")
    func effectiveColumns() throws {
        let cli = try world()
        let csv = try cli.ok("award", "list", "--as-of", "2026-11-29", "--format", "csv").split(separator: "\n")
        #expect(csv[0] == "id,learner,credential,title,status,effective_status,started_on,earned_on,expires_on,evidence_url,notes")
        #expect(csv[1] == "1,ben,aws-ccp,AWS Cloud Practitioner,earned,expired,,2025-09-15,2026-09-15,,")
        #expect(csv[2] == "3,ben,meta-react,Meta React,in-progress,in-progress,2026-10-01,,,,")
        #expect(csv[3] == "2,ben,sec-plus,Security+,earned,earned,,2025-06-01,,,")
        // On the exact expiry day it has lapsed; the day before it had not.
        #expect(try cli.ok("award", "list", "--as-of", "2026-09-15", "--status", "expired", "--format", "csv").split(separator: "\n").count == 2)
        #expect(try cli.ok("award", "list", "--as-of", "2026-09-14", "--status", "expired", "--format", "csv").split(separator: "\n").count == 1)
        let json = try cli.ok("learner", "show", "ben", "--as-of", "2026-11-29", "--format", "json")
        #expect(json.contains("\"effective_status\": \"expired\""))
    }

    @Test("award list filters: --since, --until, --status (effective) and --limit; an empty match says so and keeps the header")
    func awardFilters() throws {
        let cli = try world()
        func codes(_ arguments: String...) throws -> [String] {
            try cli.ok(["award", "list", "--as-of", "2026-11-29", "--format", "csv"] + arguments).split(separator: "\n").dropFirst()
                .map { String($0.split(separator: ",")[2]) }
        }
        #expect(try codes("--since", "2025-07-01") == ["aws-ccp"])
        #expect(try codes("--until", "2025-07-01") == ["sec-plus"])
        #expect(try codes("--status", "earned") == ["sec-plus"])
        #expect(try codes("--status", "in-progress") == ["meta-react"])
        #expect(try codes("--limit", "2") == ["aws-ccp", "meta-react"])
        let none = try cli.run(["award", "list", "--status", "revoked", "--format", "csv"])
        #expect(none.status == 0 && none.stderr == "note: no award matches the filters\n")
        #expect(none.stdout == "id,learner,credential,title,status,effective_status,started_on,earned_on,expires_on,evidence_url,notes\n")
        #expect(try cli.fails("award", "list", "--limit", "0", status: 64).contains("limit \"0\" must be at least 1"))
    }

    @Test("report expiring --lapsed lists what lapsed, not renewed, counting toward a stack; --since narrows it")
    func lapsed() throws {
        let cli = try world()
        try cli.ok("credential", "add", "old", "--title", "Old", "--validity-months", "1")
        try cli.ok("award", "add", "ben", "old", "--earned", "2026-01-01")  // lapsed, but counts in no stack
        let csv = try cli.ok("report", "expiring", "--lapsed", "--as-of", "2026-11-29", "--format", "csv")
        #expect(csv == "learner,name,cohort,credential,title,earned_on,expired_on,days_since\nben,Ben,c1,aws-ccp,AWS Cloud Practitioner,2025-09-15,2026-09-15,75\n")
        #expect(try cli.ok("report", "expiring", "--lapsed", "--since", "2026-09-16", "--as-of", "2026-11-29")
                == "nothing that counts toward a stack has lapsed by 2026-11-29 since 2026-09-16\n")
        // Renewed, it is no longer lapsed.
        try cli.ok("award", "add", "ben", "aws-ccp", "--earned", "2026-10-01")
        #expect(try cli.ok("report", "expiring", "--lapsed", "--as-of", "2026-11-29", "--format", "csv").split(separator: "\n").count == 1)
        #expect(try cli.fails("report", "expiring", "--since", "2026-01-01", status: 64).contains("--since goes with --lapsed"))
    }

    @Test("progress, gap and next mark what a lapsed credential or work under way would meet")
    func marks() throws {
        let cli = try world()
        let tree = try cli.ok("progress", "ben", "--as-of", "2026-11-29")
        #expect(tree.contains("missing: expired 2026-09-15: renew"))
        #expect(tree.contains("missing: in progress since 2026-10-01"))
        let json = try cli.ok("progress", "ben", "--stack", "web", "--as-of", "2026-11-29", "--format", "json")
        #expect(json.contains("\"mark\": \"in progress since 2026-10-01\""))
        let gap = try cli.ok("gap", "ben", "cloud-security", "--as-of", "2026-11-29", "--format", "csv")
        #expect(gap == "requirement,kind,code,options,note\ncredential aws-ccp,credential,aws-ccp,aws-ccp,expired 2026-09-15: renew\n")
        let next = try cli.ok("next", "ben", "cloud-security", "--as-of", "2026-11-29", "--format", "json")
        #expect(next.contains("\"renewal\": true"))
        let web = try cli.ok("next", "ben", "web", "--as-of", "2026-11-29", "--format", "json")
        #expect(web.contains("\"started\": true"))
    }
}

@Suite("Coach's workflow: stalls, filters, order and limits", .serialized)
struct CohortFilterTests {
    /// Four learners toward one two-credential stack: ana complete, ben half
    /// (last earned 2026-08-01), cy half (last earned 2026-06-02), dee nothing toward it.
    func world() throws -> CLI {
        let cli = try CLI()
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", "code,title\na,A\nb,B\nx,X\n"))
        try cli.ok("import", "learners", try cli.directory.write("l.csv", "handle,name,cohort\nana,Ana,k\nben,Ben,k\ncy,Cy,k\ndee,Dee,k\n"))
        try cli.ok("import", "awards", try cli.directory.write("a.csv", """
            learner,credential,earned_on
            ana,a,2026-01-05
            ana,b,2026-02-05
            ben,a,2026-08-01
            cy,b,2026-06-02
            dee,x,2025-01-01
            """))
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"{"code": "s", "requires": {"all": [{"credential": "a"}, {"credential": "b"}]}}"#))
        return cli
    }

    func handles(_ cli: CLI, _ arguments: String...) throws -> [String] {
        try cli.ok(["report", "cohort", "--as-of", "2026-08-31", "--format", "csv"] + arguments).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",")[0]) }
    }

    @Test("stalled: no award earned in the last 90 days while incomplete; the boundary day pinned")
    func stalledBoundary() throws {
        let cli = try world()
        let csv = try cli.ok("report", "cohort", "--as-of", "2026-08-31", "--format", "csv").split(separator: "\n")
        #expect(csv[0] == "learner,name,cohort,stack,percent,projected_percent,complete,missing,last_earned_on,stalled,target_date,estimated_finish,goal_status")
        // cy last earned 2026-06-02: 90 days before 2026-08-31, so outside the window; on 2026-08-30 (89 days) inside.
        #expect(csv.contains("cy,Cy,k,s,50.0,50.0,false,a,2026-06-02,true,,,"))
        #expect(try handles(cli, "--stalled") == ["cy", "dee"])
        let day89 = try cli.ok("report", "cohort", "--as-of", "2026-08-30", "--stalled", "--format", "csv").split(separator: "\n")
        #expect(day89.dropFirst().map { String($0.split(separator: ",")[0]) } == ["dee"])
        // A complete stack is never stalled; --stalled-after moves the window.
        #expect(csv.contains("ana,Ana,k,s,100.0,100.0,true,,2026-02-05,false,,,"))
        #expect(try handles(cli, "--stalled", "--stalled-after", "200") == ["dee"])
    }

    @Test("every filter, every sort and the limit, on report cohort and export progress alike")
    func filters() throws {
        let cli = try world()
        #expect(try handles(cli) == ["ana", "ben", "cy", "dee"])  // closest to done first, then by handle
        #expect(try handles(cli, "--incomplete") == ["ben", "cy", "dee"])
        #expect(try handles(cli, "--complete") == ["ana"])
        #expect(try handles(cli, "--min-percent", "50") == ["ana", "ben", "cy"])
        #expect(try handles(cli, "--max-percent", "50") == ["ben", "cy", "dee"])
        #expect(try handles(cli, "--min-percent", "50", "--max-percent", "50") == ["ben", "cy"])
        #expect(try handles(cli, "--sort", "percent") == ["dee", "ben", "cy", "ana"])
        #expect(try handles(cli, "--sort", "percent", "--desc") == ["ana", "ben", "cy", "dee"])
        #expect(try handles(cli, "--sort", "last-earned") == ["dee", "ana", "cy", "ben"])
        #expect(try handles(cli, "--sort", "name", "--desc") == ["dee", "cy", "ben", "ana"])
        #expect(try handles(cli, "--sort", "projected", "--limit", "2") == ["dee", "ben"])
        #expect(try handles(cli, "--incomplete", "--sort", "last-earned", "--desc", "--limit", "1") == ["ben"])
        func exported(_ arguments: String...) throws -> [String] {
            try cli.ok(["export", "progress", "--as-of", "2026-08-31"] + arguments).split(separator: "\n").dropFirst()
                .map { String($0.split(separator: ",")[0]) }
        }
        #expect(try exported() == ["ana", "ben", "cy", "dee"])
        #expect(try exported("--incomplete") == ["ben", "cy", "dee"])
        #expect(try exported("--stalled") == ["cy", "dee"])
        #expect(try exported("--sort", "percent", "--limit", "3") == ["dee", "ben", "cy"])
        #expect(try exported("--min-percent", "100") == ["ana"])
        // The summary counts the rows the filters admit.
        let json = try cli.ok("report", "cohort", "--incomplete", "--as-of", "2026-08-31", "--format", "json")
        let summary = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any])["summary"] as! [[String: Any]]
        #expect(summary.first?["learners"] as? Int == 3 && summary.first?["median_percent"] as? Double == 50)
    }

    @Test("--sort target: the goal's target date, soonest first (or last with --desc); rows without one last either way")
    func sortByTarget() throws {
        let cli = try world()
        try cli.ok("learner", "goal", "add", "ana", "s", "--by", "2027-03-01")
        try cli.ok("learner", "goal", "add", "ben", "s", "--by", "2026-12-01")
        try cli.ok("learner", "goal", "add", "cy", "s")
        #expect(try handles(cli, "--sort", "target") == ["ben", "ana", "cy", "dee"])
        #expect(try handles(cli, "--sort", "target", "--desc") == ["ana", "ben", "cy", "dee"])
        #expect(try handles(cli, "--sort", "target", "--limit", "1") == ["ben"])
        let exported = try cli.ok("export", "progress", "--as-of", "2026-08-31", "--sort", "target", "--desc").split(separator: "\n")
            .dropFirst().map { String($0.split(separator: ",")[0]) }
        #expect(exported == ["ana", "ben", "cy", "dee"])
    }

    @Test("a filter that matches nothing says so, exits 0 and prints the header; contradictory options are usage errors")
    func emptyAndInvalid() throws {
        let cli = try world()
        let none = try cli.run(["report", "cohort", "--min-percent", "99", "--max-percent", "99.5", "--format", "csv"])
        #expect(none.status == 0 && none.stderr == "note: no learner and stack match the filters\n")
        #expect(none.stdout == "learner,name,cohort,stack,percent,projected_percent,complete,missing,last_earned_on,stalled,target_date,estimated_finish,goal_status\n")
        #expect(try cli.fails("report", "cohort", "--complete", "--incomplete", status: 64).contains("exclude each other"))
        #expect(try cli.fails("report", "cohort", "--min-percent", "60", "--max-percent", "40", status: 64).contains("is above"))
        #expect(try cli.fails("report", "cohort", "--desc", status: 64).contains("--desc goes with --sort"))
        #expect(try cli.fails("report", "cohort", "--min-percent", "101", status: 64).contains("is more than 100"))
    }

    @Test("the median comes from a histogram at one decimal, exactly as shown")
    func histogram() {
        var h = PercentHistogram()
        #expect(h.median == nil)
        for p in [0.0, 33.333, 66.666, 100] { h.add(p, complete: p == 100) }
        #expect(h.median == 50.0)  // (33.3 + 66.7) / 2
        h.add(12.04, complete: false)
        #expect(h.median == 33.3)
        #expect(h.total == 5 && h.complete == 1)
    }
}

@Suite("Coach's workflow: goals", .serialized)
struct GoalTests {
    /// Two stacks; ana aims at web by 2027-03-01 and studies 10 hours a week.
    func world() throws -> CLI {
        let cli = try CLI()
        try cli.ok("import", "credentials", try cli.directory.write("c.csv", "code,title,hours\njs,JavaScript,50\nreact,React,80\ncoding,Medical Coding,120\n"))
        try cli.ok("import", "stacks", try cli.directory.write("s.json", #"""
            [{"code": "web", "requires": {"all": [{"credential": "js"}, {"credential": "react"}]}},
             {"code": "medical", "requires": {"credential": "coding"}}]
            """#))
        try cli.ok("import", "learners", try cli.directory.write("l.csv", """
            handle,name,cohort,pace,goals
            ana,Ana,k,10,web@2027-03-01
            bo,Bo,k,,
            """))
        try cli.ok("award", "add", "ana", "js", "--earned", "2026-10-01")
        return cli
    }

    @Test("report cohort, export progress and progress default to the goal stacks; --all-stacks shows every stack")
    func defaults() throws {
        let cli = try world()
        let rows = try cli.ok("report", "cohort", "--as-of", "2026-11-29", "--format", "csv").split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: ",") }
        #expect(rows == ["ana,Ana,k,web", "bo,Bo,k,medical", "bo,Bo,k,web"])  // bo has no goals: every stack
        let all = try cli.ok("report", "cohort", "--all-stacks", "--as-of", "2026-11-29", "--format", "csv").split(separator: "\n")
        #expect(all.count == 5)
        #expect(try cli.ok("export", "progress", "--as-of", "2026-11-29").split(separator: "\n").count == 4)
        #expect(try cli.ok("export", "progress", "--all-stacks", "--as-of", "2026-11-29").split(separator: "\n").count == 5)
        let progress = try cli.ok("progress", "ana", "--as-of", "2026-11-29", "--format", "json")
        #expect(progress.contains("\"stack\": \"web\"") && !progress.contains("\"stack\": \"medical\""))
        #expect(try cli.ok("progress", "ana", "--all-stacks", "--as-of", "2026-11-29", "--format", "json").contains("\"stack\": \"medical\""))
    }

    @Test("on track, computed by hand: 80 hours left at 10 a week is 8 weeks, 2027-01-24, before 2027-03-01")
    func onTrack() throws {
        let cli = try world()
        let row = try cli.ok("report", "cohort", "--as-of", "2026-11-29", "--format", "csv").split(separator: "\n")[1]
        #expect(row.hasSuffix(",2027-03-01,2027-01-24,on-track"))
        // At 2 hours a week it takes 40 weeks: 2027-09-05, after the target.
        let slow = try cli.ok("report", "cohort", "--pace", "2", "--as-of", "2026-11-29", "--format", "csv").split(separator: "\n")[1]
        #expect(slow.hasSuffix(",2027-03-01,2027-09-05,off-track"))
        // No pace: unknown; a goal done: done.
        try cli.ok("learner", "edit", "ana", "--pace", "")
        #expect(try cli.ok("report", "cohort", "--as-of", "2026-11-29", "--format", "csv").split(separator: "\n")[1].hasSuffix(",2027-03-01,,unknown"))
        try cli.ok("award", "add", "ana", "react", "--earned", "2026-11-01")
        let json = try cli.ok("report", "cohort", "--as-of", "2026-11-29", "--format", "json")
        #expect(json.contains("\"goal_status\": \"done\""))
        #expect(GoalStatus.assess(complete: false, remainingHours: 80, pace: 10, target: day("2027-01-24"), on: day("2026-11-29")).status == .onTrack)
        #expect(GoalStatus.assess(complete: false, remainingHours: 81, pace: 10, target: day("2027-01-24"), on: day("2026-11-29")).status == .offTrack)
        #expect(GoalStatus.assess(complete: false, remainingHours: nil, pace: 10, target: day("2027-01-24"), on: day("2026-11-29")).status == .unknown)
    }

    @Test("goals: add, re-date, list, remove; the learners CSV's goals and pace columns round-trip")
    func goalCommands() throws {
        let cli = try world()
        try cli.ok("learner", "goal", "add", "bo", "medical", "--by", "2027-06-30")
        try cli.ok("learner", "goal", "add", "bo", "web")
        #expect(try cli.ok("learner", "goal", "list", "bo", "--format", "csv") == "stack,target_date\nmedical,2027-06-30\nweb,\n")
        try cli.ok("learner", "goal", "add", "bo", "web", "--by", "2028-01-01")
        try cli.ok("learner", "goal", "remove", "bo", "medical")
        #expect(try cli.ok("learner", "goal", "list", "bo", "--format", "csv") == "stack,target_date\nweb,2028-01-01\n")
        #expect(try cli.fails("learner", "goal", "add", "bo", "nosuch") == "error: no stack \"nosuch\"\n")
        let exported = try cli.ok("export", "learners")
        #expect(exported.contains("\nana,Ana,,k,,"))
        #expect(exported.contains(",10,web@2027-03-01\n") && exported.contains(",,web@2028-01-01\n"))
        let file = try cli.directory.write("back.csv", exported)
        #expect(try cli.ok("import", "learners", file) == "imported 2 learners: 0 new, 0 updated, 2 unchanged\n")
        #expect(try cli.fails("import", "learners", try cli.directory.write("bad.csv", "handle,name,goals\nzed,Zed,web@2027-13-01\n"))
                .contains("goal date \"2027-13-01\" is not a date"))
    }
}

@Suite("Streamed reports")
struct StreamReportTests {
    @Test("a streamed report writes exactly what the in-memory report writes, in every format, hostile text included")
    func sameBytes() throws {
        let columns = ["name", "n", "amount", "ok", "day", "none"]
        let rows: [[CredfolioSystem.Cell]] = [
            [.text("Zoë \"quoted\", with\nnewline\ttab \u{7F} and \u{1}"), .integer(42), .decimal("66.7"), .bool(true),
             .day(day("2026-11-29")), .text(nil)],
            [.text("=SUM(A1)"), .integer(nil), .decimal("100.0"), .bool(false), .day(nil), .decimal(nil)],
            [.text("日本語"), .integer(-3), .decimal("0.0"), .bool(true), .day(day("0001-01-01")), .integer(nil)],
        ]
        let dir = try TemporaryDirectory()
        for format in [CredfolioSystem.OutputFormat.table, .csv, .json] {
            let kept = try captureOutput(in: dir) { sink in
                var report = CredfolioSystem.Report(columns: columns)
                for row in rows { report.append(row) }
                report.render(format, to: sink)
            }
            let streamed = try captureOutput(in: dir) { sink in
                try CredfolioSystem.streamReport(columns: columns, format: format, to: sink) { emit in rows.forEach(emit) }
            }
            #expect(streamed == kept, "\(format)")
        }
    }
}
