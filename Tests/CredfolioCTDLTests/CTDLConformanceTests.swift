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
}
