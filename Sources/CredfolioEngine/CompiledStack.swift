import CredfolioCore

/// A stack's requirement tree with nested stacks inlined and codes turned
/// into catalog indices: compiled once, evaluated for many learners.
public struct CompiledStack: Sendable {
    public enum Kind: Sendable, Equatable {
        case credential(Int)
        case skill(String, teachers: [Int])
        /// Threshold, and the credentials that count (nil: any).
        case hours(Double, from: [Int]?)
        case credits(Double, unit: String, from: [Int]?)
        case all
        case choose(Int)
    }

    public struct Node: Sendable {
        public var kind: Kind
        public var children: [Int]
        /// The requirement as written, for explanations.
        public var label: String
        /// The nested stack this node starts, when it is an inlined stack.
        public var stack: String?
        public var parent: Int?
    }

    public let definition: StackDefinition
    public private(set) var nodes: [Node] = []
    public var root: Int { 0 }
    public var shared: Bool { definition.shared }
    /// Credential leaves by catalog index: more than one leaf per index is
    /// where exclusive assignment has to choose.
    public private(set) var leavesByCredential: [Int: [Int]] = [:]

    /// Compiles `definition`, inlining nested stacks found by `stacks`.
    /// Throws when a code is unknown or nested stacks form a cycle.
    public init(_ definition: StackDefinition, catalog: Catalog, stacks: (String) -> StackDefinition?) throws {
        self.definition = definition
        var inlining: [String] = [definition.code]
        _ = try add(definition.requires, parent: nil, stackStart: nil, catalog: catalog, stacks: stacks, inlining: &inlining)
    }

    private mutating func add(
        _ requirement: Requirement, parent: Int?, stackStart: String?, catalog: Catalog,
        stacks: (String) -> StackDefinition?, inlining: inout [String]
    ) throws -> Int {
        func credentialIndex(_ code: String) throws -> Int {
            guard let i = catalog.index[code] else {
                throw CredfolioError.notFound("stack \(definition.code): credential \(code) does not exist")
            }
            return i
        }
        let id = nodes.count
        switch requirement {
        case .stack(let code):
            guard let nested = stacks(code) else {
                throw CredfolioError.notFound("stack \(definition.code): stack \(code) does not exist")
            }
            if inlining.contains(code) {
                throw CredfolioError.invalid(
                    "stack \(definition.code): nested stacks form a cycle: " + (inlining + [code]).joined(separator: " -> "))
            }
            inlining.append(code)
            defer { inlining.removeLast() }
            return try add(nested.requires, parent: parent, stackStart: code, catalog: catalog, stacks: stacks, inlining: &inlining)
        case .credential(let code):
            let i = try credentialIndex(code)
            nodes.append(Node(kind: .credential(i), children: [], label: requirement.label, stack: stackStart, parent: parent))
            leavesByCredential[i, default: []].append(id)
        case .skill(let code):
            nodes.append(Node(kind: .skill(code, teachers: catalog.teachers[code] ?? []), children: [],
                              label: requirement.label, stack: stackStart, parent: parent))
        case .hours(let hours, let from):
            nodes.append(Node(kind: .hours(hours, from: try from.map { try $0.map(credentialIndex) }), children: [],
                              label: requirement.label, stack: stackStart, parent: parent))
        case .credits(let credits, let unit, let from):
            nodes.append(Node(kind: .credits(credits, unit: unit, from: try from.map { try $0.map(credentialIndex) }),
                              children: [], label: requirement.label, stack: stackStart, parent: parent))
        case .all(let children), .choose(_, let children):
            let kind: Kind
            if case .choose(let n, _) = requirement { kind = .choose(n) } else { kind = .all }
            nodes.append(Node(kind: kind, children: [], label: requirement.label, stack: stackStart, parent: parent))
            var ids: [Int] = []
            for child in children {
                ids.append(try add(child, parent: id, stackStart: nil, catalog: catalog, stacks: stacks, inlining: &inlining))
            }
            nodes[id].children = ids
        }
        return id
    }

    /// The leaves of the tree, in order.
    public var leaves: [Int] { nodes.indices.filter { nodes[$0].children.isEmpty } }
}
