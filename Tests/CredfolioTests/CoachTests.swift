import Foundation
import Testing
@testable import CredfolioCore
@testable import CredfolioEngine
@testable import CredfolioReports

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
        #expect(before.held[0] == .some(day("2026-01-10")))
        #expect(before.lapsed.isEmpty)
        #expect(before.mark(2) == "in progress since 2025-11-01")
        let after = Standing(facts, catalog: catalog, on: day("2026-01-10"))
        #expect(after.held[0] == nil)
        #expect(after.lapsed[0] == day("2026-01-10"))
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
