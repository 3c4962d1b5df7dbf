import CredfolioCBC
@testable public import CredfolioCore
@testable public import CredfolioEngine

/// A catalog entry for engine tests, with the fields the engine reads.
public func cred(_ code: String, hours: Int64 = 10, cost: Int64 = 100, weeks: Int64 = 2, skills: [String] = [],
          credits: Double? = nil, unit: String? = nil, validity: Int64? = nil) -> Credential {
    Credential(code: code, title: code.uppercased(), hours: hours, credits: credits, creditUnit: unit,
               costCents: cost * 100, weeks: weeks, validity: validity.map { .months($0) } ?? .never, skills: skills)
}

/// A catalog and some stacks, written as JSON, compiled on demand.
public struct World {
    public let catalog: Catalog
    public var stacks: [String: StackDefinition] = [:]

    public init(_ credentials: [Credential], stacks json: String = "[]") throws {
        catalog = Catalog(credentials)
        for s in try json == "[]" ? [] : StackParser.parse(Array(json.utf8)) { stacks[s.code] = s }
    }

    public func compile(_ code: String) throws -> CompiledStack {
        try CompiledStack(stacks[code]!, catalog: catalog, stacks: { stacks[$0] })
    }

    public func held(_ codes: [String]) -> HeldSet {
        HeldSet(capacity: catalog.count, codes.map { catalog.index[$0]! })
    }

    public func value(_ stack: String, holding codes: [String]) throws -> Double {
        try compile(stack).evaluate(held(codes), catalog: catalog).value
    }

    public func plan(_ stack: String, holding codes: [String] = [], by: Measure = .hours,
              options configure: (inout PlanOptions) -> Void = { _ in }) throws -> (codes: [String], plan: Plan) {
        var options = PlanOptions(measure: by)
        configure(&options)
        let plan = try compile(stack).plan(held: held(codes), catalog: catalog, options: options, solver: CBCSolver())
        return (plan.credentials.map { catalog[$0].code }, plan)
    }
}

/// A small deterministic generator (SplitMix64) for reproducible random worlds.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// An independent statement of the rules, written for clarity, not speed:
/// try every assignment of held credentials to credential leaves.
public enum Reference {
    /// The flattened tree with credential leaves numbered in order.
    public indirect enum Tree {
        case credential(String, slot: Int)
        case skill(String)
        case hours(Double, from: [String]?)
        case credits(Double, unit: String, from: [String]?)
        case all([Tree])
        case choose(Int, [Tree])
    }

    public static func flatten(_ r: Requirement, stacks: [String: StackDefinition], slots: inout [String]) -> Tree {
        switch r {
        case .credential(let c): slots.append(c); return .credential(c, slot: slots.count - 1)
        case .skill(let s): return .skill(s)
        case .hours(let h, let from): return .hours(h, from: from)
        case .credits(let c, let unit, let from): return .credits(c, unit: unit, from: from)
        case .stack(let code): return flatten(stacks[code]!.requires, stacks: stacks, slots: &slots)
        case .all(let children): return .all(children.map { flatten($0, stacks: stacks, slots: &slots) })
        case .choose(let n, let children): return .choose(n, children.map { flatten($0, stacks: stacks, slots: &slots) })
        }
    }

    public static func value(_ t: Tree, held: Set<String>, catalog: [String: Credential], assigned: [Bool]) -> Double {
        switch t {
        case .credential(_, let slot): return assigned[slot] ? 1 : 0
        case .skill(let s): return held.contains { catalog[$0]!.skills.contains(s) } ? 1 : 0
        case .hours(let h, let from):
            let total = held.filter { from?.contains($0) ?? true }.reduce(0.0) { $0 + Double(catalog[$1]!.hours ?? 0) }
            return min(1, total / h)
        case .credits(let c, let unit, let from):
            let total = held.filter { (from?.contains($0) ?? true) && catalog[$0]!.creditUnit == unit }
                .reduce(0.0) { $0 + (catalog[$1]!.credits ?? 0) }
            return min(1, total / c)
        case .all(let children):
            return children.map { value($0, held: held, catalog: catalog, assigned: assigned) }.reduce(0, +) / Double(children.count)
        case .choose(let n, let children):
            let values = children.map { value($0, held: held, catalog: catalog, assigned: assigned) }.sorted(by: >)
            return values.prefix(n).reduce(0, +) / Double(n)
        }
    }

    /// The best root value over every valid assignment.
    public static func evaluate(_ stack: StackDefinition, stacks: [String: StackDefinition], catalog: [String: Credential],
                         held: Set<String>) -> Double {
        var slots: [String] = []
        let tree = flatten(stack.requires, stacks: stacks, slots: &slots)
        // Each held credential goes to one of the leaves that name it, or to
        // none; with a shared stack, to all of them. Try every combination.
        var leavesByCode: [String: [Int]] = [:]
        for (i, code) in slots.enumerated() where held.contains(code) { leavesByCode[code, default: []].append(i) }
        let codes = leavesByCode.keys.sorted()
        var assigned = [Bool](repeating: false, count: slots.count)
        var best = 0.0
        func choose(_ k: Int) {
            if k == codes.count {
                best = max(best, value(tree, held: held, catalog: catalog, assigned: assigned))
                return
            }
            let leaves = leavesByCode[codes[k]]!
            if stack.shared {
                for leaf in leaves { assigned[leaf] = true }
                choose(k + 1)
                return
            }
            choose(k + 1)
            for leaf in leaves {
                assigned[leaf] = true
                choose(k + 1)
                assigned[leaf] = false
            }
        }
        choose(0)
        return best
    }

    /// The least total `measure` over every subset of not-held credentials
    /// that completes the stack; nil when none does.
    public static func plan(_ stack: StackDefinition, stacks: [String: StackDefinition], catalog: [Credential],
                     held: Set<String>, by measure: (Credential) -> Int64?) -> Int64? {
        best(stack, stacks: stacks, catalog: catalog, held: held, allowed: { _ in true }, keeps: { _ in true },
             by: measure)?.total
    }

    /// The best subset of the `allowed` credentials not held that completes
    /// the stack and `keeps` the limits, by the planner's documented order:
    /// fewest credentials of unknown measure, then least total of the known,
    /// then fewest credentials (then, here, least sum of positions in code
    /// order: the planner leaves that last tie to its solver). Every subset
    /// is tried.
    public static func best(_ stack: StackDefinition, stacks: [String: StackDefinition], catalog: [Credential],
                     held: Set<String>, allowed: (Credential) -> Bool, keeps: ([Credential]) -> Bool,
                     routes: [String: [[String]?]] = [:],
                     by measure: (Credential) -> Int64?) -> (total: Int64, codes: [String], unknown: Int)? {
        let byCode = Dictionary(uniqueKeysWithValues: catalog.map { ($0.code, $0) })
        let candidates = catalog.filter { !held.contains($0.code) && allowed($0) }.sorted { $0.code < $1.code }
        var best: (key: (Int, Int64, Int, Int), codes: [String])?
        for mask in 0..<(1 << candidates.count) {
            let chosen = candidates.indices.filter { mask & (1 << $0) != 0 }
            let key = (chosen.count { measure(candidates[$0]) == nil }, chosen.reduce(Int64(0)) { $0 + (measure(candidates[$1]) ?? 0) },
                       chosen.count, chosen.reduce(0) { $0 + $1 + 1 })
            if let best, !(key < best.key) { continue }
            let taken = chosen.map { candidates[$0] }
            guard keeps(taken) else { continue }
            var set = held
            for c in taken { set.insert(c.code) }
            // Every credential taken has a route whose every credential is held or taken: a route that
            // names what the catalog lacks (nil) is never open; one that names no credential always is.
            let open = taken.allSatisfy { c in
                guard let list = routes[c.code] else { return true }
                return list.contains { route in route.map { $0.allSatisfy(set.contains) && $0.allSatisfy { byCode[$0] != nil } } ?? false }
            }
            if open, evaluate(stack, stacks: stacks, catalog: byCode, held: set) >= 1 - 1e-9 { best = (key, taken.map(\.code)) }
        }
        return best.map { ($0.key.1, $0.codes.sorted(), $0.key.0) }
    }

    /// How many credentials the best subset has (see ``best``).
    public static func count(_ best: (total: Int64, codes: [String], unknown: Int)?) -> Int? {
        best?.codes.count
    }
}

extension SeededRandom {
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
