import Foundation
import Testing
import CredfolioCore
import CredfolioCTDL

/// The published records of ../shared/ctdl, read as its README says, as
/// far as reading goes: every form, the records' CTIDs and titles, their
/// durations, and references across files. (What each imports as, the
/// catalog entries and the pathway's stack, is `import ctdl`'s test.)
@Suite("CTDL: the published records in ../shared/ctdl, read")
struct CTDLConformanceTests {
    static let folder: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/ctdl").path
        return FileManager.default.fileExists(atPath: path + "/README.md") ? path : nil
    }()

    static let files = ["credential-detailed-record.json", "certificate-careerbridge-outcomes.json", "envelope-learning-opportunity.json",
                        "envelope-organization.json", "legacy-2017-certification-cota.json", "pathway-it-support.jsonld"]

    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Self.folder! + "/" + name)))
    }

    /// The duration profile's calendar weeks (exact, else maximum, else minimum) and hours (timeRequired).
    func duration(_ node: CTDLNode) -> (weeks: Int64?, hours: Int64?) {
        guard case .array(let profiles)? = node["ceterms:estimatedDuration"], let profile = profiles.first else { return (nil, nil) }
        let calendar = ["ceterms:exactDuration", "ceterms:maximumDuration", "ceterms:minimumDuration"].lazy
            .compactMap { profile[$0].flatMap { CTDLValue.text($0) }.flatMap(CTDLDuration.init) }.first
        let time = profile["ceterms:timeRequired"].flatMap { CTDLValue.text($0) }.flatMap(CTDLDuration.init)
        return (calendar?.calendarWeeks, time?.wholeHours)
    }

    @Test("each file reads in its form, with its records' CTIDs, titles and durations", .enabled(if: folder != nil, "../shared/ctdl is not beside this checkout: skipped"))
    func eachFile() throws {
        var graph = CTDLGraph()
        for name in Self.files { try graph.add(file: try bytes(name), name: name) }
        func record(_ ctid: String) throws -> CTDLNode { try #require(graph.node(ctid: ctid), "\(ctid)") }
        let detailed = try record("ce-509682bb-658e-4eb6-87f2-ebff5d5e0aec")
        #expect(CTDLValue.text(detailed["ceterms:name"]) == "My Certification Name")
        #expect(detailed.types == ["ceterms:Certification"])
        let careerBridge = try record("ce-343120e2-c068-4630-bb39-0a09e56d5613")
        #expect(CTDLValue.text(careerBridge["ceterms:name"]) == "A+/MCP Certification Training")
        #expect(duration(careerBridge).weeks == 39)
        let insurance = try record("ce-0b6f0c2f-01b9-4776-b861-894b78f81eda")
        #expect(CTDLValue.text(insurance["ceterms:name"]) == "Insurance Studies Certificate")
        #expect(insurance.types == ["ceterms:LearningOpportunityProfile"])
        let cota = try record("CE-1A4AB486-8212-4708-B7D5-C5167FDD2B47")
        #expect(CTDLValue.text(cota["ceterms:name"]) == "Certified Occupational Therapy Assistant (COTA®)")
        #expect(duration(cota).weeks == 104)
        // NOCTI, from the organization's envelope, resolves a reference written as a /graph/ URI in upper case.
        let nocti = graph.resolve(.string("https://credentialengineregistry.org/graph/ce-6A62B250-A1A2-4D31-A702-CDC2437EFD31"), from: 0)
        #expect(nocti.flatMap { CTDLValue.text($0["ceterms:name"]) } == "NOCTI")
        // The insurance certificate's owner is another organization, in no file here.
        let owner = try #require(insurance["ceterms:ownedBy"]?.arrayFirst)
        #expect(graph.resolve(owner, from: 2) == nil)
        // The pathway's catalog resources, with their calendar weeks and hours.
        let pathway = try record("ce-282a8d76-1f65-44f6-a1d0-d99ba86562b0")
        #expect(pathway.types == ["ceterms:Pathway"])
        let expected: [(String, String, Int64, Int64)] = [
            ("ce-936c2eff-441e-4608-b84d-a326b054af50", "CompTIA A+", 13, 120),
            ("ce-5147d9d1-18c0-4f4e-90c8-5e7360d1392a", "CompTIA Network+", 10, 90),
            ("ce-6ddccd87-1f46-4bff-b026-405db2c92f17", "CompTIA Security+", 9, 100),
            ("ce-9882d889-b113-4dc7-b298-e7b5a179bc24", "Google IT Support Professional Certificate", 26, 240),
            ("ce-7b319750-c81b-4a37-a05e-07d9709ce1ea", "Introduction to IT Support", 4, 40),
        ]
        for (ctid, title, weeks, hours) in expected {
            let node = try record(ctid)
            #expect(CTDLValue.text(node["ceterms:name"]) == title)
            #expect(duration(node) == (weeks, hours), "\(title)")
        }
    }

    @Test("an array of an envelope, a graph and a 2017 object is one input of three records", .enabled(if: folder != nil, "../shared/ctdl is not beside this checkout: skipped"))
    func severalForms() throws {
        var parts = [try bytes("envelope-learning-opportunity.json"), try bytes("certificate-careerbridge-outcomes.json"),
                     try bytes("legacy-2017-certification-cota.json")]
        parts[0].removeFirst(3)  // its byte-order mark: inside an array there is none
        let array = Array("[".utf8) + parts[0] + Array(",".utf8) + parts[1] + Array(",".utf8) + parts[2] + Array("]".utf8)
        var graph = CTDLGraph()
        try graph.add(file: array, name: "three.json")
        let ctids = Set(graph.nodes.compactMap(\.ctid))
        #expect(ctids.isSuperset(of: ["ce-0b6f0c2f-01b9-4776-b861-894b78f81eda", "ce-343120e2-c068-4630-bb39-0a09e56d5613",
                                      "ce-1a4ab486-8212-4708-b7d5-c5167fdd2b47"]))
    }
    func entries(_ names: [String]) throws -> (CTDLGraph, [String: CTDLEntry]) {
        var graph = CTDLGraph()
        for name in names { try graph.add(file: try bytes(name), name: name) }
        var out: [String: CTDLEntry] = [:]
        for node in graph.nodes { if let entry = CTDLEntry(node, in: graph), let ctid = entry.ctid { out[ctid] = entry } }
        return (graph, out)
    }

    @Test("each record maps to the catalog entry its README row gives: kind, cost, weeks, delivery, occupations, URL, issuer",
          .enabled(if: folder != nil, "../shared/ctdl is not beside this checkout: skipped"))
    func records() throws {
        let (_, all) = try entries(Self.files.filter { $0 != "pathway-it-support.jsonld" })
        #expect(all.count == 4, "\(all.keys.sorted())")
        let detailed = try #require(all["ce-509682bb-658e-4eb6-87f2-ebff5d5e0aec"])
        #expect(detailed.kind == .certification && detailed.title == "My Certification Name")
        #expect(detailed.costCents == 1_309_900 && detailed.currency == "USD" && detailed.costNote == "the sum of the required costs")
        #expect(detailed.weeks == nil && detailed.hours == nil && detailed.credits == nil && detailed.deliveries.isEmpty)
        #expect(detailed.validityMonths == nil && detailed.skills.isEmpty)
        #expect(detailed.url == "http://example.com/credential/1234")
        #expect(detailed.occupations == ["15-1122.00", "15-1152.00", "13-2099.01", "13-2052.00", "13-2061.00", "13-2051.00"])
        #expect(detailed.issuer == .unresolved("https://sandbox.credentialengineregistry.org/resources/ce-a588a18b-2616-4c74-bdcd-6507c0693d0e"))
        let careerBridge = try #require(all["ce-343120e2-c068-4630-bb39-0a09e56d5613"])
        #expect(careerBridge.kind == .certificate && careerBridge.weeks == 39 && careerBridge.deliveries == [.inPerson, .online])
        #expect(careerBridge.costCents == nil && careerBridge.hours == nil && careerBridge.validityMonths == nil)
        #expect(careerBridge.url == "https://batestech.edu")
        let insurance = try #require(all["ce-0b6f0c2f-01b9-4776-b861-894b78f81eda"])
        #expect(insurance.kind == .learningOpportunity && insurance.costCents == 840_700 && insurance.currency == "USD")
        #expect(insurance.deliveries == [.inPerson, .online] && insurance.skills.isEmpty)
        #expect(insurance.issuer == .unresolved("https://credentialengineregistry.org/graph/ce-2198982C-EDC9-4E80-8938-D6C73B258858"))
        let cota = try #require(all["ce-1a4ab486-8212-4708-b7d5-c5167fdd2b47"])
        #expect(cota.kind == .certification && cota.weeks == 104 && cota.issuer == nil)
        #expect(cota.costCents == nil, "the only price is the renewal's")
        #expect(cota.occupations == ["29-1122.00", "31-2011.00"] && cota.url == "http://www.nbcot.org/certificants")
        #expect(cota.validityMonths == nil && cota.hours == nil && cota.credits == nil && cota.deliveries.isEmpty)
    }

    @Test("the pathway's file makes exactly its five catalog entries, each as the README's table gives it",
          .enabled(if: folder != nil, "../shared/ctdl is not beside this checkout: skipped"))
    func pathwayCatalog() throws {
        let (_, all) = try entries(["pathway-it-support.jsonld"])
        #expect(all.count == 5)
        typealias Row = (ctid: String, title: String, kind: CredentialKind, cents: Int64, weeks: Int64, hours: Int64, deliveries: [DeliveryFormat],
                         validity: Int64?, occupations: [String], issuer: String)
        let rows: [Row] = [
            ("ce-936c2eff-441e-4608-b84d-a326b054af50", "CompTIA A+", .certification, 50_600, 13, 120, [.inPerson, .online], 36,
             ["15-1232.00"], "CompTIA"),
            ("ce-5147d9d1-18c0-4f4e-90c8-5e7360d1392a", "CompTIA Network+", .certification, 36_900, 10, 90, [.inPerson], 36,
             ["15-1231.00"], "CompTIA"),
            ("ce-6ddccd87-1f46-4bff-b026-405db2c92f17", "CompTIA Security+", .certification, 40_400, 9, 100, [.online], 36,
             ["15-1212.00"], "CompTIA"),
            ("ce-9882d889-b113-4dc7-b298-e7b5a179bc24", "Google IT Support Professional Certificate", .learningProgram, 29_400, 26, 240,
             [.online], nil, ["15-1232.00"], "Google"),
            ("ce-7b319750-c81b-4a37-a05e-07d9709ce1ea", "Introduction to IT Support", .course, 15_000, 4, 40, [.online, .hybrid], nil,
             [], "Lakeside Community College"),
        ]
        for row in rows {
            let entry = try #require(all[row.ctid], "\(row.title)")
            #expect(entry.title == row.title && entry.kind == row.kind, "\(row.title)")
            #expect(entry.costCents == row.cents && entry.currency == "USD", "\(row.title): \(String(describing: entry.costCents))")
            #expect(entry.weeks == row.weeks && entry.hours == row.hours, "\(row.title)")
            #expect(entry.deliveries == row.deliveries && entry.validityMonths == row.validity, "\(row.title)")
            #expect(entry.occupations == row.occupations && entry.issuer == .named(row.issuer), "\(row.title)")
        }
        let security = try #require(all["ce-6ddccd87-1f46-4bff-b026-405db2c92f17"])
        #expect(security.costNote == "the aggregate cost")
        let course = try #require(all["ce-7b319750-c81b-4a37-a05e-07d9709ce1ea"])
        #expect(course.credits == 3 && course.creditUnit == "SemesterHour")
        #expect(course.skills.map(\.code) == ["ITS-01", "ITS-02"] && course.skills.map(\.name) == ["Hardware troubleshooting", "Operating system support"])
        #expect(Set(course.skills.compactMap(\.framework)) == ["https://example.org/frameworks/it-support-skills"])
        let program = try #require(all["ce-9882d889-b113-4dc7-b298-e7b5a179bc24"])
        #expect(program.skills.map(\.code) == ["ITS-02", "ITS-05"] && program.credits == nil)
    }
}
