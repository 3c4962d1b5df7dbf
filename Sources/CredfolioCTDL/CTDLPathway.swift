public import CredfolioCore

/// A `ceterms:Pathway` as a stack: its requirement tree comes from its
/// destination component, with each component mapped as the issue on
/// catalogs from the registry says, or the pathway refused, naming the
/// condition and why: a stack that misstates progress is worse than none.
public struct CTDLPathway: Equatable, Sendable {
    public var ctid: String?
    public var title: String
    public var description: String?
    /// Credential leaves name catalog entries by the code `code(forCTID:)` gave.
    public var requires: Requirement

    /// Why a pathway cannot be mapped exactly.
    public struct Refusal: Error, Equatable, Sendable {
        public let message: String
    }

    /// Maps `node`, a pathway in `graph`. `code` gives the catalog code of
    /// the entry a component stands for (through `ceterms:proxyFor` or
    /// `ceterms:sourceData`), by its CTID; nil when the files hold no such entry.
    ///
    /// - A component with conditions (`ceterms:hasCondition`) requires each:
    ///   "choose `ceterms:requiredNumber` of" its target components and
    ///   nested conditions, all of them when the number is missing. A
    ///   `ceterms:logicalOperator` of And means all, Or one; any other is refused.
    /// - A component that stands for an entry requires that entry (and its
    ///   conditions, if it has any).
    /// - A component with children (`ceterms:hasChild`, `ceasn:hasChild`)
    ///   and no condition requires all of them.
    /// - A component with a credit value (`ceterms:creditValue`) that stands
    ///   for no entry requires that many credits of its unit from the entries
    ///   its conditions or children name.
    /// - Refused: a constraint (`ceterms:hasConstraint`), a component that
    ///   points at nothing in the files, one that is its own ancestor, and
    ///   one that requires nothing.
    public init(_ node: CTDLNode, in graph: CTDLGraph, language: String = "en", code: @escaping (String) -> String?) throws(Refusal) {
        let title = CTDLValue.text(node["ceterms:name"], language: language) ?? node.ctid ?? "pathway"
        self.title = title
        ctid = node.ctid
        description = CTDLValue.text(node["ceterms:description"], language: language)
        var mapper = Mapper(graph: graph, file: node.file, language: language, code: code)
        let destinations = CTDLValue.list(node["ceterms:hasDestinationComponent"])
        guard !destinations.isEmpty else { throw Refusal(message: "pathway \(title): it has no destination component") }
        let parts = try destinations.map { (reference) throws(Refusal) in try mapper.component(reference) }
        requires = parts.count == 1 ? parts[0] : .all(parts)
    }

    private struct Mapper {
        let graph: CTDLGraph
        let file: Int
        let language: String
        let code: (String) -> String?
        var path: [String] = []

        func name(_ node: CTDLNode) -> String {
            CTDLValue.text(node["ceterms:name"], language: language) ?? node.id ?? "a component"
        }

        mutating func component(_ reference: JSONValue) throws(Refusal) -> Requirement {
            guard let node = graph.resolve(reference, from: file) else {
                throw Refusal(message: "component \(CTDLGraph.string(reference) ?? "without an id") points at nothing in the files")
            }
            let key = node.id ?? node.ctid ?? name(node)
            guard !path.contains(key) else { throw Refusal(message: "component \(name(node)) is its own ancestor") }
            path.append(key)
            defer { path.removeLast() }
            var parts: [Requirement] = []
            let proxy = CTDLValue.list(node["ceterms:proxyFor"] ?? node["ceterms:sourceData"]).first
            let isProxy = proxy != nil
            if let target = proxy {
                guard let entry = graph.resolve(target, from: node.file), let ctid = entry.ctid, let code = code(ctid) else {
                    throw Refusal(message: "component \(name(node)) points at nothing in the files: \(CTDLGraph.string(target) ?? "a blank reference")")
                }
                parts.append(.credential(code))
            }
            let conditions = CTDLValue.list(node["ceterms:hasCondition"])
            for condition in conditions { parts.append(try self.condition(condition, of: node)) }
            if conditions.isEmpty && parts.isEmpty {
                let children = CTDLValue.list(node["ceterms:hasChild"]) + CTDLValue.list(node["ceasn:hasChild"])
                var seen: [String] = []
                for child in children {
                    let id = CTDLGraph.string(child) ?? ""
                    if seen.contains(id) { continue }
                    seen.append(id)
                    parts.append(try component(child))
                }
            }
            guard !parts.isEmpty else { throw Refusal(message: "component \(name(node)) requires nothing: no entry, condition or child") }
            if !isProxy, let (amount, unit) = CTDLEntry.credits(node) {
                // Credits earned from the entries below it, not each of them.
                let codes = parts.reduce(into: Set<String>()) { $0.formUnion($1.references.credentials) }.sorted()
                guard !codes.isEmpty else {
                    throw Refusal(message: "component \(name(node)): its credit value names no entry to count credits from")
                }
                return .credits(amount, unit: unit, from: codes)
            }
            return parts.count == 1 ? parts[0] : .all(parts)
        }

        mutating func condition(_ condition: JSONValue, of owner: CTDLNode) throws(Refusal) -> Requirement {
            let label = "condition \"" + (CTDLValue.text(condition["ceterms:name"], language: language) ?? "without a name") + "\" of " + name(owner)
            if condition["ceterms:hasConstraint"] != nil {
                throw Refusal(message: "\(label): its constraints are not mapped (only components and numbers of them are)")
            }
            var parts: [Requirement] = []
            for target in CTDLValue.list(condition["ceterms:targetComponent"]) { parts.append(try component(target)) }
            for nested in CTDLValue.list(condition["ceterms:hasCondition"]) { parts.append(try self.condition(nested, of: owner)) }
            guard !parts.isEmpty else { throw Refusal(message: "\(label): it names no component") }
            var needed = parts.count
            if let operatorTerm = CTDLValue.concepts(condition["ceterms:logicalOperator"]).first {
                switch operatorTerm {
                case "And": needed = parts.count
                case "Or": needed = 1
                default: throw Refusal(message: "\(label): logical operator \(operatorTerm) is not And or Or")
                }
            }
            switch condition["ceterms:requiredNumber"] {
            case nil, .null?: break
            case .integer(let number)? where number >= 1 && number <= Int64(parts.count): needed = Int(number)
            case let other?:
                throw Refusal(message: "\(label): required number \(other.serialized(pretty: false)) is not a whole number from 1 to \(parts.count)")
            }
            return needed == parts.count ? (parts.count == 1 ? parts[0] : .all(parts)) : .choose(needed, parts)
        }
    }
}
