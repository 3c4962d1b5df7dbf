import Foundation
import Testing
import CredfolioCore
import CredfolioCTDL

@Suite("CTDL: every form the registry serves, read as one graph")
struct CTDLGraphTests {
    static let certification = """
        {"@id": "https://sandbox.credentialengineregistry.org/resources/ce-11111111-2222-4333-8444-555555555555",
         "@type": "ceterms:Certification", "ceterms:ctid": "ce-11111111-2222-4333-8444-555555555555",
         "ceterms:name": {"en-US": "Cloud Practitioner", "fr": "Praticien du nuage"},
         "ceterms:ownedBy": ["https://credentialengineregistry.org/graph/CE-AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"],
         "ceterms:requires": [{"@type": "ceterms:ConditionProfile", "ceterms:targetLearningOpportunity": ["_:course"]}]}
        """
    static let organization = """
        {"@id": "https://credentialengineregistry.org/resources/ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
         "@type": "ceterms:CredentialOrganization", "ceterms:ctid": "ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
         "ceterms:name": "Cloud Board"}
        """
    static let course = """
        {"@id": "_:course", "@type": "ceterms:Course", "ceterms:name": {"en": "Cloud basics"}}
        """

    func graph(_ files: [(String, String)]) throws -> CTDLGraph {
        var graph = CTDLGraph()
        for (name, text) in files { try graph.add(file: Array(text.utf8), name: name) }
        return graph
    }

    @Test("a graph document, a single resource, an envelope, an array of them and a byte-order mark give the same resources")
    func forms() throws {
        let graphDocument = #"{"@context": "https://credreg.net/ctdl/schema/context/json", "@id": "x", "@graph": ["# + Self.certification
            + "," + Self.course + "]}"
        let envelope = #"{"envelope_ceterms_ctid": "ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "decoded_resource": "# + Self.organization + "}"
        let forms = try graph([("graph.json", graphDocument), ("single.json", Self.certification), ("envelope.json", envelope)])
        #expect(forms.nodes.map(\.types) == [["ceterms:Certification"], ["ceterms:Course"], ["ceterms:Certification"],
                                            ["ceterms:CredentialOrganization"]])
        #expect(forms.nodes.map(\.file) == [0, 0, 1, 2])
        var bom = CTDLGraph()
        try bom.add(file: [0xEF, 0xBB, 0xBF] + Array(("[" + envelope + "," + graphDocument + "]").utf8), name: "all.json")
        #expect(bom.nodes.map(\.ctid) == ["ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "ce-11111111-2222-4333-8444-555555555555", nil])
    }

    @Test("references resolve by @id, else by the CTID of their last segment in any case and on any host; blank nodes only in their file")
    func references() throws {
        let graphDocument = #"{"@graph": ["# + Self.certification + "," + Self.course + "]}"
        let graph = try graph([("a.json", graphDocument), ("b.json", Self.organization)])
        let credential = try #require(graph.node(ctid: "CE-11111111-2222-4333-8444-555555555555"))
        let owner = try #require(credential["ceterms:ownedBy"]?.arrayFirst)
        #expect(graph.resolve(owner, from: 0).map { CTDLValue.text($0["ceterms:name"]) } == "Cloud Board")
        let route = try #require(credential["ceterms:requires"]?.arrayFirst?["ceterms:targetLearningOpportunity"]?.arrayFirst)
        #expect(graph.resolve(route, from: 0)?.types == ["ceterms:Course"])
        #expect(graph.resolve(route, from: 1) == nil, "a blank node is its own file's")
        #expect(graph.resolve(.string("https://elsewhere.example/graph/ce-11111111-2222-4333-8444-555555555555"), from: 1)?.ctid
                == "ce-11111111-2222-4333-8444-555555555555")
        #expect(graph.resolve(.object([("@id", .string("https://x.test/resources/ce-00000000-0000-4000-8000-000000000000"))]), from: 0) == nil)
        #expect(CTDLGraph.ctid(in: "https://x.test/resources/ce-1234") == nil)
        #expect(CTDLGraph.ctid(in: "ce-0B6F0C2F-01B9-4776-B861-894B78F81EDA") == "ce-0b6f0c2f-01b9-4776-b861-894b78f81eda")
    }

    /// The resources of `text`, streamed in pieces of `size` bytes.
    func streamed(_ bytes: [UInt8], pieces size: Int, name: String = "s.json") throws -> [JSONValue] {
        var offset = 0
        var parser = JSONParser(streaming: {
            let piece = Array(bytes[offset..<min(offset + size, bytes.count)])
            offset += piece.count
            return piece
        })
        var out: [JSONValue] = []
        _ = try CTDLGraph.forEachResource(in: &parser, name: name) { out.append($0) }
        return out
    }

    @Test("streamed in pieces of any size, every form gives the resources a whole read gives, in order")
    func streamedForms() throws {
        let graphDocument = #"{"@context": "https://credreg.net/ctdl/schema/context/json", "@id": "x", "@graph": ["# + Self.certification
            + "," + Self.course + "]}"
        let envelope = #"{"envelope_ceterms_ctid": "ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "decoded_resource": "# + Self.organization + "}"
        let all = [0xEF, 0xBB, 0xBF] + Array(("[" + envelope + ",\n" + graphDocument + ", " + Self.certification + "]").utf8)
        var whole = CTDLGraph()
        try whole.add(file: all, name: "all.json")
        for size in [1, 2, 3, 7, 64, 1 << 16] {
            #expect(try streamed(all, pieces: size) == whole.nodes.map(\.value), "pieces of \(size)")
        }
    }

    @Test("streamed, malformed JSON is reported at the line and column a whole read gives; no resource is refused")
    func streamedRefusals() throws {
        let bad = Array("[{\"@type\": \"ceterms:Course\", \"ceterms:name\": \"A\"},\n {\"@type\": \"ceterms:Course\" \"x\": 1}]".utf8)
        for size in [1, 5, 1 << 16] {
            #expect(throws: CredfolioError.invalid("s.json:2:29: expected ',' or '}'")) { _ = try streamed(bad, pieces: size) }
        }
        #expect(throws: CredfolioError.invalid("s.json: no CTDL resource in it (a graph with @graph, a resource with @type, or a registry envelope)")) {
            _ = try streamed(Array(#"{"name": "x"}"#.utf8), pieces: 4)
        }
        #expect(throws: CredfolioError.invalid("s.json:1:29: unexpected text after the JSON value")) {
            _ = try streamed(Array(#"{"@type": "ceterms:Course"} x"#.utf8), pieces: 3)
        }
        // Beyond 64 KiB the parser lets go of what it read: columns still count from the line's start.
        let long = "[" + String(repeating: #"{"@type": "ceterms:Course", "ceterms:name": "A"}, "#, count: 2_000) + "}"
        #expect(throws: CredfolioError.invalid("s.json:1:\(long.utf8.count): unexpected character '}'")) {
            _ = try streamed(Array(long.utf8), pieces: 4_096)
        }
    }

    @Test("malformed JSON names the file, line and column; JSON without a CTDL resource is refused by name")
    func refusals() throws {
        var graph = CTDLGraph()
        #expect(throws: CredfolioError.invalid("bad.json:2:1: unexpected character '}'")) {
            try graph.add(file: Array("{\"a\":\n}".utf8), name: "bad.json")
        }
        let none = #expect(throws: CredfolioError.self) { try graph.add(file: Array(#"{"name": "x"}"#.utf8), name: "plain.json") }
        #expect(none?.message == "plain.json: no CTDL resource in it (a graph with @graph, a resource with @type, or a registry envelope)")
        #expect(graph.nodes.isEmpty && graph.files.isEmpty, "a refused file leaves the graph as it was")
    }
}

@Suite("CTDL: language maps, concepts and durations")
struct CTDLValueTests {
    @Test("a language map gives the language asked for, then en, then en-US, then the first; a plain string is itself")
    func languages() throws {
        let map = try JSONParser.parse(#"{"fr": "Bonjour", "en-US": "Hello US", "de": "Hallo"}"#)
        #expect(CTDLValue.text(map) == "Hello US")
        #expect(CTDLValue.text(map, language: "de") == "Hallo")
        #expect(CTDLValue.text(try JSONParser.parse(#"{"fr": "Bonjour", "de": "Hallo"}"#)) == "Bonjour")
        #expect(CTDLValue.text(try JSONParser.parse(#"{"en": "Hi", "en-US": "Hello US"}"#)) == "Hi")
        #expect(CTDLValue.text(.string("Plain 2017 text")) == "Plain 2017 text")
        #expect(CTDLValue.text(try JSONParser.parse(#"{"en": ["first", "second"]}"#)) == "first")
        #expect(CTDLValue.text(.string("")) == nil && CTDLValue.text(nil) == nil && CTDLValue.text(.integer(3)) == nil)
    }

    @Test("concepts written as strings or as alignment objects give the same terms; an alignment object without a target gives none")
    func concepts() throws {
        let strings = try JSONParser.parse(#"["deliveryType:InPerson", "deliveryType:OnlineOnly"]"#)
        let objects = try JSONParser.parse(#"""
            [{"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": "https://credreg.net/ctdl/terms/InPerson"},
             {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": "deliveryType:OnlineOnly"},
             {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNodeName": {"en": "Business"}}]
            """#)
        #expect(CTDLValue.concepts(strings) == ["InPerson", "OnlineOnly"])
        #expect(CTDLValue.concepts(objects) == ["InPerson", "OnlineOnly"])
        #expect(CTDLValue.concepts(.string("audLevel:BeginnerLevel")) == ["BeginnerLevel"])
        #expect(CTDLValue.concepts(nil).isEmpty)
    }

    @Test("a calendar length is whole weeks rounded up (a month 52/12, a year 52, a day 1/7); a time alone is hours", arguments: [
        ("P9M", 39, nil), ("P2M", 9, nil), ("P3M", 13, nil), ("P6M", 26, nil), ("P2Y", 104, nil), ("P10W", 10, nil), ("P6W", 6, nil),
        ("P1D", 1, nil), ("P7D", 1, nil), ("P8D", 2, nil), ("P1Y2M10D", 63, nil), ("PT160H", nil, 160), ("PT90M", nil, 2),
        ("PT1H30M", nil, 2), ("P1DT2H", 1, nil),
    ] as [(String, Int64?, Int64?)])
    func durations(text: String, weeks: Int64?, hours: Int64?) throws {
        let duration = try #require(CTDLDuration(text))
        #expect(duration.calendarWeeks == weeks)
        #expect(duration.wholeHours == hours)
    }

    @Test("anything else is not a duration", arguments: ["", "P", "PT", "9M", "P1.5Y", "P-1M", "P1H", "PT1D", "P1M2", "P1234567D", "P1TT1H", "PM"])
    func notDurations(text: String) {
        #expect(CTDLDuration(text) == nil)
    }
}

extension JSONValue {
    /// The first element of an array; nil otherwise.
    var arrayFirst: JSONValue? {
        if case .array(let items) = self { return items.first }
        return nil
    }
}
