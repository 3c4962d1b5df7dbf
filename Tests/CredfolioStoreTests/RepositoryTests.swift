import Testing
@testable import CredfolioTestSupport
@testable import CredfolioApp
@testable import CredfolioCore
@testable import CredfolioStore

@Suite("Repositories")
struct RepositoryTests {
    @Test("learners: add, find, list by cohort, edit including the handle")
    func learners() throws {
        let store = try sampleStore()
        #expect(try store.learners.list().map(\.handle) == ["omar", "sarah"])
        #expect(try store.learners.list(cohort: "spring-26").count == 2)
        #expect(try store.learners.list(cohort: "fall-26").isEmpty)
        var sarah = try store.learners.get("sarah")
        #expect(sarah.email == "sarah@example.org")
        sarah.handle = "sarah-chen"
        sarah.cohort = nil
        try store.learners.update(sarah)
        #expect(try store.learners.find("sarah") == nil)
        #expect(try store.learners.get("sarah-chen").cohort == nil)
    }

    @Test("learners: duplicate handles and emails, bad handles and emails are refused with the reason")
    func learnerRules() throws {
        let store = try sampleStore()
        #expect(throws: CredfolioError.conflict("learner sarah already exists")) {
            try store.learners.add(Learner(handle: "sarah", name: "Other"))
        }
        #expect(throws: CredfolioError.conflict("email sarah@example.org is already used by learner sarah")) {
            try store.learners.add(Learner(handle: "s2", name: "Other", email: "sarah@example.org"))
        }
        #expect(throws: CredfolioError.invalid(#"handle "two words" is not a valid code (1 to 64 characters, no spaces, no control, format or zero-width characters, no ";")"#)) {
            try store.learners.add(Learner(handle: "two words", name: "X"))
        }
        #expect(throws: CredfolioError.invalid(#"email "nope" is not an email address"#)) {
            try store.learners.add(Learner(handle: "x", name: "X", email: "nope"))
        }
        #expect(throws: CredfolioError.notFound(#"no learner "zed""#)) { try store.learners.get("zed") }
    }

    @Test("removing a learner with awards is refused unless forced, which removes the awards")
    func removeLearner() throws {
        let store = try sampleStore()
        try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2026-03-14")))
        #expect(throws: CredfolioError.conflict("learner sarah has 1 award; use --force to remove them too")) {
            try store.learners.remove("sarah", force: false)
        }
        #expect(try store.learners.find("sarah") != nil)
        #expect(try store.learners.remove("sarah", force: true) == 1)
        #expect(try store.awards.list().isEmpty)
        #expect(try store.learners.remove("omar", force: false) == 0)
    }

    @Test("skills: add, list by category, edit, remove with the references that block it")
    func skills() throws {
        let store = try sampleStore()
        #expect(try store.skills.list(category: "Technology").map(\.code) == ["cloud", "python"])
        #expect(try store.skills.get("python").frameworkID == "S1.2.3")
        var python = try store.skills.get("python")
        python.name = "Python programming"
        try store.skills.update(python)
        #expect(try store.skills.get("python").name == "Python programming")
        #expect(throws: CredfolioError.conflict("skill cloud is taught by credential aws-ccp; use --force to remove it from them")) {
            try store.skills.remove("cloud", force: false)
        }
        try store.skills.remove("cloud", force: true)
        #expect(try store.credentials.get("aws-ccp").skills.isEmpty)
    }

    @Test("credentials: every field round-trips, skills are stored sorted, unknown skills are refused")
    func credentials() throws {
        let store = try sampleStore()
        let full = Credential(code: "pmp", title: "Project Management Professional", issuer: "PMI", kind: .certification,
                              hours: 35, credits: 3.5, creditUnit: "CEU", costCents: 57_500, currency: "EUR", weeks: 12,
                              deliveries: [.hybrid], level: "professional", validity: .months(36), employerValidated: true,
                              accreditation: "ANSI", url: "https://example.org/pmp", skills: ["python", "cloud"])
        let added = try store.credentials.add(full)
        var expected = full
        expected.id = added.id
        expected.skills = ["cloud", "python"]
        #expect(try store.credentials.get("pmp") == expected)
        #expect(try store.credentials.list(skill: "python").map(\.code) == ["pmp", "py-data"])
        #expect(throws: CredfolioError.notFound(#"skill "nope" does not exist"#)) {
            try store.credentials.add(Credential(code: "x", title: "X", skills: ["nope"]))
        }
        #expect(throws: CredfolioError.invalid("credits 2 need a credit_unit (such as ECTS or CEU)")) {
            try store.credentials.add(Credential(code: "y", title: "Y", credits: 2))
        }
        var edited = try store.credentials.get("pmp")
        edited.skills = ["cloud"]
        edited.costCents = 1
        try store.credentials.update(edited)
        #expect(try store.credentials.get("pmp").skills == ["cloud"])
        #expect(try store.credentials.get("pmp").costCents == 1)
    }

    @Test("removing a credential with awards is refused unless forced")
    func removeCredential() throws {
        let store = try sampleStore()
        try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2026-03-14")))
        try store.awards.add(Award(learner: "omar", credential: "aws-ccp", status: .planned))
        #expect(throws: CredfolioError.conflict("credential aws-ccp has 2 awards (2 learners); use --force to remove them too")) {
            try store.credentials.remove("aws-ccp", force: false)
        }
        #expect(try store.credentials.remove("aws-ccp", force: true) == 2)
        #expect(try store.credentials.find("aws-ccp") == nil)
        #expect(try store.credentials.remove("sql-basics", force: false) == 0)
    }

    @Test("awards: expiry is derived from validity unless given; renewals are separate awards")
    func awards() throws {
        let store = try sampleStore()
        let first = try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2023-03-14")))
        #expect(first.expires == day("2026-03-14"))
        let renewal = try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned,
                                                 earnedOn: day("2026-03-01"), expiresOn: day("2028-01-01")))
        #expect(renewal.expires == day("2028-01-01"))
        let noExpiry = try store.awards.add(Award(learner: "sarah", credential: "sql-basics", status: .earned, earnedOn: day("2026-01-05")))
        #expect(noExpiry.expires == nil)
        #expect(try store.awards.list(learner: "sarah").map(\.award.credential) == ["aws-ccp", "aws-ccp", "sql-basics"])
        #expect(try store.awards.list(status: .earned, cohort: "spring-26").count == 3)
    }

    @Test("a learner's awards read with the learner stream are award list's records in its order, and startedOn's dates")
    func awardDetailsInTheStream() throws {
        let store = try sampleStore()
        // Codes whose byte order differs from a case-blind or Unicode-aware order, added out of that order.
        for code in ["e-2", "é-1", "Z-1", "a-1"] {
            try store.credentials.add(Credential(code: code, title: "Title of \(code)", hours: 5, validity: code == "a-1" ? .months(12) : .never))
        }
        try store.learners.add(Learner(handle: "ann", name: "Ann", cohort: "spring-26"))
        try store.learners.add(Learner(handle: "zed", name: "Zed"))  // no awards at all
        for (credential, status, earned, started) in [
            ("py-data", AwardStatus.inProgress, nil, "2026-09-01"), ("e-2", .earned, "2026-01-02", nil), ("é-1", .earned, "2025-05-05", nil),
            ("Z-1", .planned, nil, "2026-10-10"), ("a-1", .earned, "2024-02-02", nil), ("a-1", .earned, "2023-02-02", nil),
            ("a-1", .inProgress, nil, nil), ("aws-ccp", .revoked, "2022-01-01", nil),
            // SQLite sorts an unfinished award as '9999': after 2026, before a date in the year 9999.
            ("e-2", .earned, "9999-03-03", nil), ("e-2", .inProgress, nil, nil),
        ] as [(String, AwardStatus, String?, String?)] {
            try store.awards.add(Award(learner: "ann", credential: credential, status: status, startedOn: started.flatMap(day),
                                       earnedOn: earned.flatMap(day), evidenceURL: earned.map { "https://x.test/\($0)" },
                                       notes: "note \(credential)"))
        }
        try store.awards.add(Award(learner: "sarah", credential: "sql-basics", status: .earned, earnedOn: day("2026-01-05")))
        let reader = LearnerReader(store, try Portfolio(store))
        var seen: [String] = []
        try reader.forEachLearner(details: true) { learner, facts, details in
            seen.append(learner.handle)
            let details = try #require(details)
            #expect(details.records == (try store.awards.list(learner: learner.handle)), "\(learner.handle)")
            #expect(details.startedOn == (try reader.startedOn(of: learner)), "\(learner.handle)")
            #expect(details.records.count == facts.count)
        }
        #expect(seen == ["ann", "omar", "sarah", "zed"])
        let ann = try store.awards.list(learner: "ann").map(\.award.credential)
        #expect(ann == ["Z-1", "a-1", "a-1", "a-1", "aws-ccp", "e-2", "e-2", "e-2", "py-data", "é-1"])
        let e2 = try store.awards.list(learner: "ann", credential: "e-2").map { $0.award.earnedOn?.description ?? "unfinished" }
        #expect(e2 == ["2026-01-02", "unfinished", "9999-03-03"])
        try reader.forEachLearner(details: false) { _, _, details in #expect(details == nil) }
    }

    @Test("awards: the same earned-on date twice, two unfinished awards, and bad states are refused")
    func awardRules() throws {
        let store = try sampleStore()
        try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2026-03-14")))
        #expect(throws: CredfolioError.conflict("learner sarah already has aws-ccp earned on 2026-03-14")) {
            try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2026-03-14")))
        }
        try store.awards.add(Award(learner: "sarah", credential: "py-data", status: .inProgress))
        #expect(throws: CredfolioError.conflict("learner sarah already has an unfinished award of py-data")) {
            try store.awards.add(Award(learner: "sarah", credential: "py-data", status: .planned))
        }
        #expect(throws: CredfolioError.invalid("status earned needs earned_on, the day it was earned")) {
            try store.awards.add(Award(learner: "sarah", credential: "sql-basics", status: .earned))
        }
        #expect(throws: CredfolioError.invalid(#"expires_on "2026-01-01" is not after earned_on 2026-03-14"#)) {
            try store.awards.add(Award(learner: "omar", credential: "sql-basics", status: .earned,
                                       earnedOn: day("2026-03-14"), expiresOn: day("2026-01-01")))
        }
        #expect(throws: CredfolioError.notFound(#"no credential "nope""#)) {
            try store.awards.add(Award(learner: "sarah", credential: "nope", status: .planned))
        }
    }

    @Test("revoking keeps the award on record; several awards need the date to pick one")
    func revoke() throws {
        let store = try sampleStore()
        try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2023-03-14")))
        try store.awards.add(Award(learner: "sarah", credential: "aws-ccp", status: .earned, earnedOn: day("2026-03-14")))
        #expect(throws: CredfolioError.invalid("learner sarah has 2 awards of aws-ccp (earned on 2023-03-14, 2026-03-14); give --earned DATE")) {
            try store.awards.revoke(learner: "sarah", credential: "aws-ccp", earnedOn: nil)
        }
        let revoked = try store.awards.revoke(learner: "sarah", credential: "aws-ccp", earnedOn: day("2026-03-14"))
        #expect(revoked.award.status == .revoked)
        // Only one is still not revoked, so no date is needed now.
        #expect(try store.awards.revoke(learner: "sarah", credential: "aws-ccp", earnedOn: nil).award.earnedOn == day("2023-03-14"))
        #expect(try store.awards.list(learner: "sarah").map(\.award.status) == [.revoked, .revoked])
        let removed = try store.awards.remove(learner: "sarah", credential: "aws-ccp", earnedOn: day("2023-03-14"))
        #expect(removed.award.earnedOn == day("2023-03-14"))
        #expect(try store.awards.list(learner: "sarah").count == 1)
    }

    @Test("editing an award marks a planned one earned")
    func editAward() throws {
        let store = try sampleStore()
        try store.awards.add(Award(learner: "omar", credential: "py-data", status: .planned))
        var award = try store.awards.locate(learner: "omar", credential: "py-data", earnedOn: nil).award
        award.status = .earned
        award.earnedOn = day("2026-06-01")
        try store.awards.update(award)
        #expect(try store.awards.list(learner: "omar").map(\.award.status) == [.earned])
    }
}
