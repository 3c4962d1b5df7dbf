@testable public import CredfolioCore

/// A small random catalog and up to three random stacks over it, for the engine's property tests.
/// With `unknowns`, about one value in five of hours, cost and weeks is unknown.
public func randomEngineWorld(_ rng: inout SeededRandom, unknowns: Bool = false) -> (catalog: [Credential], stacks: [StackDefinition]) {
    let count = Int.random(in: 5...8, using: &rng)
    let skills = ["s0", "s1", "s2"]
    let catalog = (0..<count).map { i in
        cred("c\(i)", hours: Int64.random(in: 0...50, using: &rng), cost: Int64.random(in: 0...300, using: &rng),
             weeks: Int64.random(in: 1...10, using: &rng), skills: skills.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 },
             credits: Bool.random(using: &rng) ? Double(Int.random(in: 1...4, using: &rng)) : nil,
             unit: nil, validity: Bool.random(using: &rng) ? 12 : nil)
    }.map { c -> Credential in
        var c = c
        if c.credits != nil { c.creditUnit = Bool.random(using: &rng) ? "ECTS" : "CEU" }
        if unknowns {
            if Int.random(in: 0..<5, using: &rng) == 0 { c.hours = nil }
            if Int.random(in: 0..<5, using: &rng) == 0 { c.costCents = nil }
            if Int.random(in: 0..<5, using: &rng) == 0 { c.weeks = nil }
        }
        return c
    }
    var stacks: [StackDefinition] = []
    func tree(_ depth: Int, _ rng: inout SeededRandom) -> Requirement {
        let roll = Int.random(in: 0..<10, using: &rng)
        if depth < 2 && roll < 4 {
            let children = (0..<Int.random(in: 1...3, using: &rng)).map { _ in tree(depth + 1, &rng) }
            return Bool.random(using: &rng) ? .all(children) : .choose(Int.random(in: 1...children.count, using: &rng), children)
        }
        switch roll {
        case 4 where !stacks.isEmpty: return .stack(stacks.randomElement(using: &rng)!.code)
        case 5: return .skill(skills.randomElement(using: &rng)!)
        case 6: return .hours(Double(Int.random(in: 10...80, using: &rng)),
                              from: Bool.random(using: &rng) ? nil : Array(catalog.map(\.code).shuffled(using: &rng).prefix(3)))
        case 7: return .credits(Double(Int.random(in: 1...5, using: &rng)), unit: "ECTS", from: nil)
        default: return .credential(catalog.randomElement(using: &rng)!.code)
        }
    }
    for s in 0..<Int.random(in: 1...3, using: &rng) {
        stacks.append(StackDefinition(code: "k\(s)", shared: Int.random(in: 0..<4, using: &rng) == 0, requires: .all([tree(1, &rng), tree(1, &rng), tree(1, &rng)])))
    }
    return (catalog, stacks)
}
