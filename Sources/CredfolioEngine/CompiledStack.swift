public import CredfolioCore

/// A stack's requirement tree with nested stacks inlined and codes turned
/// into catalog indices: compiled once, evaluated for many learners. A
/// class, since it is immutable after `init` and shared (by every thread
/// of a parallel command): passing it around costs one reference, not a
/// copy of every table it holds.
public final class CompiledStack: Sendable {
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

    /// An hours or credits leaf, ready to sum: what each credential adds.
    struct AmountLeaf: Sendable {
        let node: Int
        let threshold: Double
        /// (catalog index, amount) for the credentials in its `from` list
        /// that add something; nil when any credential counts.
        let contributions: [(credential: Int, amount: Double)]?
        /// nil for hours, else the credits' unit.
        let unit: String?
    }

    public let definition: StackDefinition
    public let nodes: [Node]
    public var root: Int { 0 }
    public var shared: Bool { definition.shared }
    /// Credential leaves by catalog index: more than one leaf per index is
    /// where exclusive assignment has to choose.
    public let leavesByCredential: [Int: [Int]]
    /// The same, as a list sorted by catalog index.
    let credentialLeafGroups: [(credential: Int, leaves: [Int])]
    let skillLeaves: [(node: Int, teachers: [Int])]
    let amountLeaves: [AmountLeaf]
    /// What `missing` says for each credential or skill leaf ("" elsewhere).
    let leafCodes: [String]
    /// Every credential whose holding can change this stack's value through
    /// a credential, skill or listed-amount leaf; leaves that count any
    /// credential are summarised by their totals instead.
    public let relevant: [Int]
    /// Per catalog index, its bit in a ``ProgressKey`` (-1: not relevant).
    let keyBit: [Int16]
    /// The leaves that count any credential: keyed by their totals.
    let unrestricted: [AmountLeaf]
    /// True when an hours or credits requirement counts any credential: then
    /// a plan depends on more than a ``ProgressKey`` says.
    public var countsAnyCredential: Bool { !unrestricted.isEmpty }
    /// Solves the assignment exactly when the evaluator's search runs out
    /// of states (see ``evaluateBySolving(_:base:solver:)``); without one,
    /// such an evaluation says `exact: false`.
    public let fallback: (any MILPSolver)?

    /// Compiles `definition`, inlining nested stacks found by `stacks`.
    /// Throws when a code is unknown or nested stacks form a cycle.
    public init(_ definition: StackDefinition, catalog: Catalog, stacks: (String) -> StackDefinition?,
                fallback: (any MILPSolver)? = nil) throws {
        self.definition = definition
        self.fallback = fallback
        var sizes: [String: Int] = [:]
        let size = StackSize.flattened(definition.requires, stacks: stacks, memo: &sizes)
        guard size <= Limits.maxStackNodes else {
            throw CredfolioError.invalid(
                "stack \(definition.code) is too large: with nested stacks inlined it has "
                    + (size == StackSize.overLimit ? "more than \(NumberText.grouped(size))" : NumberText.grouped(size))
                    + " requirements (the limit is \(NumberText.grouped(Limits.maxStackNodes))); remove it or import a smaller version")
        }
        var tree = TreeBuilder(definition: definition)
        var inlining: [String] = [definition.code]
        _ = try tree.add(definition.requires, parent: nil, stackStart: nil, catalog: catalog, stacks: stacks, inlining: &inlining)
        // Every stored array is a constant: read through the class without an exclusivity check each time.
        let nodes = tree.nodes
        self.nodes = nodes
        leavesByCredential = tree.leavesByCredential
        credentialLeafGroups = tree.leavesByCredential.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var leafCodes = Array(repeating: "", count: nodes.count)
        var skillLeaves: [(node: Int, teachers: [Int])] = []
        var amountLeaves: [AmountLeaf] = []
        var relevant = Set<Int>()
        for (id, node) in nodes.enumerated() {
            switch node.kind {
            case .credential(let i):
                leafCodes[id] = catalog.codes[i]
                relevant.insert(i)
            case .skill(let code, let teachers):
                leafCodes[id] = "skill:" + code
                skillLeaves.append((id, teachers))
                relevant.formUnion(teachers)
            case .hours(let threshold, let from), .credits(let threshold, _, let from):
                var unit: String?
                if case .credits(_, let u, _) = node.kind { unit = u }
                let contributions = from.map { list in
                    Set(list).sorted().compactMap { i -> (credential: Int, amount: Double)? in
                        let amount = CompiledStack.amount(of: i, unit: unit, catalog: catalog)
                        return amount > 0 ? (i, amount) : nil
                    }
                }
                if let contributions { relevant.formUnion(contributions.map(\.credential)) }
                amountLeaves.append(AmountLeaf(node: id, threshold: threshold, contributions: contributions, unit: unit))
            case .all, .choose:
                break
            }
        }
        self.leafCodes = leafCodes
        self.skillLeaves = skillLeaves
        self.amountLeaves = amountLeaves
        let sorted = relevant.sorted()
        self.relevant = sorted
        unrestricted = amountLeaves.filter { $0.contributions == nil }
        var keyBit = [Int16](repeating: -1, count: catalog.count)
        for (bit, i) in sorted.enumerated() where bit < 128 { keyBit[i] = Int16(bit) }
        self.keyBit = keyBit
    }

    /// What credential `i` adds to an hours leaf (`unit` nil) or a credits leaf.
    static func amount(of i: Int, unit: String?, catalog: Catalog) -> Double {
        guard let unit else { return catalog.hours[i] }
        return catalog.creditUnits[i] == unit ? catalog.credits[i] : 0
    }

    /// The flattened tree as it is built, nested stacks inlined.
    private struct TreeBuilder {
        let definition: StackDefinition
        var nodes: [Node] = []
        var leavesByCredential: [Int: [Int]] = [:]

        mutating func add(
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
    }

    /// The leaves of the tree, in order.
    public var leaves: [Int] { nodes.indices.filter { nodes[$0].children.isEmpty } }
}
