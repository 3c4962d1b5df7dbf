import Foundation
import Testing
import CredfolioCore
import CredfolioCTDL

@Suite("CTDL: pathways as stacks")
struct CTDLPathwayTests {
    static func id(_ name: String) -> String { "https://x.test/resources/" + name }

    /// A graph of the pathway `p` (destination `dest`), the `components`
    /// (by name, their members as JSON text) and entries `e1`…`e4`.
    func pathway(_ components: [String: String], destination: String = "dest") throws -> Result<Requirement, CTDLPathway.Refusal> {
        var nodes = [#"{"@id": "\#(Self.id("p"))", "@type": "ceterms:Pathway", "ceterms:name": "P", "ceterms:hasDestinationComponent": ["\#(Self.id(destination))"]}"#]
        for (name, members) in components.sorted(by: { $0.key < $1.key }) {
            nodes.append(#"{"@id": "\#(Self.id(name))", "@type": "ceterms:BasicComponent", "ceterms:name": "\#(name)"\#(members.isEmpty ? "" : ", " + members)}"#)
        }
        for n in 1...4 {
            nodes.append(#"{"@id": "\#(Self.id("e\(n)"))", "@type": "ceterms:Certification", "ceterms:ctid": "ce-00000000-0000-4000-8000-00000000000\#(n)", "ceterms:name": "E\#(n)"}"#)
        }
        var graph = CTDLGraph()
        try graph.add(file: Array(("{\"@graph\": [" + nodes.joined(separator: ",") + "]}").utf8), name: "p.json")
        do {
            return .success(try CTDLPathway(graph.nodes[0], in: graph) { ctid in
                ctid.hasPrefix("ce-00000000-0000-4000-8000-00000000000") ? "e" + String(ctid.suffix(1)) : nil
            }.requires)
        } catch {
            return .failure(error)
        }
    }

    static func proxy(_ entry: String) -> String { #""ceterms:proxyFor": "\#(id(entry))""# }
    static func condition(_ targets: [String], number: Int? = nil, extra: String = "") -> String {
        let list = targets.map { "\"\(id($0))\"" }.joined(separator: ", ")
        return #""ceterms:hasCondition": [{"@type": "ceterms:ComponentCondition", "ceterms:name": "rule", "ceterms:targetComponent": [\#(list)]\#(number.map { ", \"ceterms:requiredNumber\": \($0)" } ?? "")\#(extra)}]"#
    }

    @Test("a condition without a number needs all its targets, with one needs that many; children without a condition are all needed")
    func shapes() throws {
        let all = try pathway(["dest": Self.condition(["a", "b"]), "a": Self.proxy("e1"), "b": Self.proxy("e2")])
        #expect(try all.get() == .all([.credential("e1"), .credential("e2")]))
        let choose = try pathway(["dest": Self.condition(["a", "b", "c"], number: 2), "a": Self.proxy("e1"), "b": Self.proxy("e2"), "c": Self.proxy("e3")])
        #expect(try choose.get() == .choose(2, [.credential("e1"), .credential("e2"), .credential("e3")]))
        let children = try pathway(["dest": #""ceterms:hasChild": ["\#(Self.id("a"))"], "ceasn:hasChild": ["\#(Self.id("a"))", "\#(Self.id("b"))"]"#,
                                    "a": Self.proxy("e1"), "b": Self.proxy("e2")])
        #expect(try children.get() == .all([.credential("e1"), .credential("e2")]), "hasChild and ceasn:hasChild, each child once")
        let conditionDecides = try pathway(["dest": Self.condition(["a"]) + #", "ceterms:hasChild": ["\#(Self.id("a"))", "\#(Self.id("b"))"]"#,
                                            "a": Self.proxy("e1"), "b": Self.proxy("e2")])
        #expect(try conditionDecides.get() == .credential("e1"), "where a component has a condition, the condition decides")
        let nested = try pathway(["dest": #""ceterms:hasCondition": [{"ceterms:name": "outer", "ceterms:targetComponent": ["\#(Self.id("a"))"], "ceterms:hasCondition": [{"ceterms:name": "inner", "ceterms:requiredNumber": 1, "ceterms:targetComponent": ["\#(Self.id("b"))", "\#(Self.id("c"))"]}]}]"#,
                                  "a": Self.proxy("e1"), "b": Self.proxy("e2"), "c": Self.proxy("e3")])
        #expect(try nested.get() == .all([.credential("e1"), .choose(1, [.credential("e2"), .credential("e3")])]))
        let or = try pathway(["dest": Self.condition(["a", "b"], extra: #", "ceterms:logicalOperator": "logicalOperator:Or""#),
                              "a": Self.proxy("e1"), "b": Self.proxy("e2")])
        #expect(try or.get() == .choose(1, [.credential("e1"), .credential("e2")]))
    }

    @Test("a component's credit value is a credits requirement over the entries below it, in the value's unit")
    func creditValue() throws {
        let credits = #""ceterms:creditValue": [{"@type": "ceterms:ValueProfile", "schema:value": 6, "ceterms:creditUnitType": ["creditUnit:SemesterHour"]}]"#
        let total = try pathway(["dest": Self.condition(["a", "b", "c"]) + ", " + credits, "a": Self.proxy("e1"), "b": Self.proxy("e2"),
                                 "c": Self.proxy("e3")])
        #expect(try total.get() == .credits(6, unit: "SemesterHour", from: ["e1", "e2", "e3"]))
        // On a component that stands for an entry, the credit value is the entry's own: it adds no requirement.
        let proxied = try pathway(["dest": Self.proxy("e1") + ", " + credits])
        #expect(try proxied.get() == .credential("e1"))
    }

    @Test("a condition that cannot be mapped exactly refuses the pathway, naming the condition and why")
    func refusals() throws {
        func refusal(_ components: [String: String]) throws -> String? {
            if case .failure(let refusal) = try pathway(components) { return refusal.message }
            return nil
        }
        #expect(try refusal(["dest": Self.condition(["a"], extra: #", "ceterms:hasConstraint": [{"ceterms:comparator": "comparator:lessThan"}]"#),
                             "a": Self.proxy("e1")])
                == "condition \"rule\" of dest: its constraints are not mapped (only components and numbers of them are)")
        #expect(try refusal(["dest": Self.condition(["a", "b"], extra: #", "ceterms:logicalOperator": "logicalOperator:Xor""#),
                             "a": Self.proxy("e1"), "b": Self.proxy("e2")])
                == "condition \"rule\" of dest: logical operator Xor is not And or Or")
        #expect(try refusal(["dest": Self.condition(["a", "missing"]), "a": Self.proxy("e1")])
                == "component https://x.test/resources/missing points at nothing in the files")
        #expect(try refusal(["dest": Self.condition(["a"]), "a": #""ceterms:proxyFor": "https://x.test/resources/nowhere""#])
                == "component a points at nothing in the files: https://x.test/resources/nowhere")
        #expect(try refusal(["dest": Self.condition(["a"]), "a": Self.condition(["dest"])]) == "component dest is its own ancestor")
        #expect(try refusal(["dest": Self.condition(["a", "b"], number: 3), "a": Self.proxy("e1"), "b": Self.proxy("e2")])
                == "condition \"rule\" of dest: required number 3 is not a whole number from 1 to 2")
        #expect(try refusal(["dest": ""]) == "component dest requires nothing: no entry, condition or child")
    }
}

extension CTDLConformanceTests {
    @Test("the IT support pathway is the stack the README draws: the course, and two of the three CompTIA certifications",
          .enabled(if: folder != nil, "../shared/ctdl is not beside this checkout: skipped"))
    func pathwayStack() throws {
        let (graph, all) = try entries(["pathway-it-support.jsonld"])
        let node = try #require(graph.node(ctid: "ce-282a8d76-1f65-44f6-a1d0-d99ba86562b0"))
        let codes = ["ce-7b319750-c81b-4a37-a05e-07d9709ce1ea": "intro", "ce-936c2eff-441e-4608-b84d-a326b054af50": "a-plus",
                     "ce-5147d9d1-18c0-4f4e-90c8-5e7360d1392a": "network-plus", "ce-6ddccd87-1f46-4bff-b026-405db2c92f17": "security-plus"]
        #expect(Set(codes.keys).isSubset(of: Set(all.keys)))
        let pathway = try CTDLPathway(node, in: graph) { codes[$0] }
        #expect(pathway.title == "IT Support Specialist Pathway" && pathway.ctid == "ce-282a8d76-1f65-44f6-a1d0-d99ba86562b0")
        #expect(pathway.requires == .all([.credential("intro"),
                                          .choose(2, [.credential("a-plus"), .credential("network-plus"), .credential("security-plus")])]))
    }
}
