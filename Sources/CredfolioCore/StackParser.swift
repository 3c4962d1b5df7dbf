
/// Reads stack definitions from JSON and checks their shape: known keys,
/// the right types, `choose` between 1 and its number of children, no empty
/// group, positive hours and credits. (Whether the codes exist, and whether
/// nested stacks form a cycle, depends on the catalog: see ``StackValidator``.)
///
/// Errors read `stack CODE: at PATH: reason`, where PATH is like
/// `requires.all[1].of[0]`.
public enum StackParser {
    /// Parses a file's text: one stack object, or an array of them (empty
    /// too: what `export stacks` writes when there are none).
    /// Throws ``JSONSyntaxError`` for malformed JSON, ``CredfolioError``
    /// for a malformed stack.
    public static func parse(_ bytes: [UInt8]) throws -> [StackDefinition] {
        let value = try JSONParser.parse(bytes)
        switch value {
        case .array(let items):
            return try items.enumerated().map { try stack($1, position: "[\($0)]") }
        case .object:
            return [try stack(value, position: nil)]
        default:
            throw CredfolioError.invalid("expected a stack object or a list of them")
        }
    }

    static let stackKeys: Set<String> = ["code", "title", "issuer", "description", "grants", "shared", "requires"]

    public static func stack(_ value: JSONValue, position: String?) throws -> StackDefinition {
        let whereText = position.map { "stack \($0)" } ?? "the stack"
        guard case .object(let members) = value else { throw CredfolioError.invalid("\(whereText) is not an object") }
        guard case .string(let given)? = value["code"] else {
            throw CredfolioError.invalid("\(whereText) has no \"code\" string")
        }
        func fail(_ reason: String) -> CredfolioError { .invalid("stack \(given): \(reason)") }
        guard Slug.isValid(given) else { throw fail("code is not valid (\(Slug.rule))") }
        let code = Slug.composed(given)
        for (key, _) in members where !stackKeys.contains(key) {
            throw fail("unknown key \"\(key)\" (keys are \(stackKeys.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String) throws -> String? {
            switch value[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s.isEmpty ? nil : s
            default: throw fail("\"\(key)\" must be a string")
            }
        }
        let shared: Bool
        switch value["shared"] {
        case nil, .null?: shared = false
        case .bool(let b)?: shared = b
        default: throw fail("\"shared\" must be true or false")
        }
        guard let requires = value["requires"] else { throw fail("has no \"requires\"") }
        return StackDefinition(
            code: code, title: try text("title"), issuer: try text("issuer"), description: try text("description"),
            grants: try text("grants").map(Slug.composed), shared: shared, requires: try requirement(requires, path: "requires", stack: code))
    }

    public static func requirement(_ value: JSONValue, path: String, stack: String) throws -> Requirement {
        func fail(_ reason: String) -> CredfolioError { .invalid("stack \(stack): at \(path): \(reason)") }
        guard case .object(let members) = value else { throw fail("a requirement must be an object") }
        let keys = Set(members.map(\.0))
        func only(_ allowed: Set<String>) throws {
            for key in members.map(\.0) where !allowed.contains(key) {
                throw fail("unknown key \"\(key)\" here (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        func code(_ key: String) throws -> String {
            guard case .string(let c)? = value[key], Slug.isValid(c) else { throw fail("\"\(key)\" must be a code") }
            return Slug.composed(c)
        }
        func positive(_ key: String) throws -> Double {
            let number: Double
            switch value[key] {
            case .integer(let i)?: number = Double(i)
            case .number(let d)?: number = d
            default: throw fail("\"\(key)\" must be a number")
            }
            guard number > 0, number.isFinite else { throw fail("\"\(key)\" must be positive, not \(NumberText.plain(number))") }
            guard number <= Limits.maxThreshold else {
                throw fail("\"\(key)\" \(NumberText.plain(number)) is more than \(NumberText.grouped(Int(Limits.maxThreshold)))")
            }
            return number
        }
        func from() throws -> [String]? {
            guard let list = value["from"] else { return nil }
            guard case .array(let items) = list, !items.isEmpty else { throw fail("\"from\" must be a non-empty list of credential codes") }
            return try items.map {
                guard case .string(let c) = $0, Slug.isValid(c) else { throw fail("\"from\" must list credential codes") }
                return Slug.composed(c)
            }
        }
        func children(_ key: String) throws -> [Requirement] {
            guard case .array(let items)? = value[key] else { throw fail("\"\(key)\" must be a list of requirements") }
            guard !items.isEmpty else { throw fail("empty group: \"\(key)\" lists no requirements") }
            return try items.enumerated().map { try requirement($1, path: "\(path).\(key)[\($0)]", stack: stack) }
        }

        if keys.contains("credential") { try only(["credential"]); return .credential(try code("credential")) }
        if keys.contains("skill") { try only(["skill"]); return .skill(try code("skill")) }
        if keys.contains("stack") { try only(["stack"]); return .stack(try code("stack")) }
        if keys.contains("hours") { try only(["hours", "from"]); return .hours(try positive("hours"), from: try from()) }
        if keys.contains("credits") {
            try only(["credits", "unit", "from"])
            guard case .string(let unit)? = value["unit"], !unit.isEmpty else {
                throw fail("\"credits\" needs a \"unit\" (such as ECTS or CEU)")
            }
            return .credits(try positive("credits"), unit: unit, from: try from())
        }
        if keys.contains("all") { try only(["all"]); return .all(try children("all")) }
        if keys.contains("choose") {
            try only(["choose", "of"])
            let list = try children("of")
            let n: Int64
            switch value["choose"] {
            case .integer(let whole)?: n = whole
            // 1e23 is whole, but no count of requirements: out of range, not "not whole".
            case .number(let number)? where number == number.rounded() && abs(number) >= 9.2e18:
                throw fail("choose \(NumberText.plain(number)) is out of range: it has \(list.count) requirement\(list.count == 1 ? "" : "s") to choose from")
            case .number(let number)? where number == number.rounded():
                n = Int64(number)
            default:
                throw fail("\"choose\" must be a whole number")
            }
            guard n >= 1 else { throw fail("choose \(n) must be at least 1") }
            guard n <= list.count else { throw fail("choose \(n) is more than its \(list.count) requirements") }
            return .choose(Int(n), list)
        }
        let known = ["credential", "skill", "hours", "credits", "stack", "all", "choose"]
        if let key = members.first?.0 {
            throw fail("unknown key \"\(key)\" (a requirement is one of \(known.joined(separator: ", ")))")
        }
        throw fail("empty requirement (a requirement is one of \(known.joined(separator: ", ")))")
    }
}

/// Checks a set of stacks against the catalog and each other: every code
/// named exists, and nested stacks form no cycle.
public enum StackValidator {
    /// - Parameters:
    ///   - stacks: the stacks being imported.
    ///   - stored: stacks already in the database, by code (replaced by
    ///     `stacks` where the codes match).
    public static func validate(
        _ stacks: [StackDefinition], stored: [String: StackDefinition],
        credentialExists: (String) -> Bool, skillExists: (String) -> Bool
    ) throws {
        var all = stored
        var seen = Set<String>()
        for stack in stacks {
            guard seen.insert(stack.code).inserted else {
                throw CredfolioError.invalid("stack \(stack.code) appears twice in this file")
            }
            all[stack.code] = stack
        }
        for stack in stacks {
            let refs = stack.requires.references
            for code in refs.credentials.sorted() where !credentialExists(code) {
                throw CredfolioError.invalid("stack \(stack.code): credential \(code) does not exist")
            }
            if let grants = stack.grants, !credentialExists(grants) {
                throw CredfolioError.invalid("stack \(stack.code): grants credential \(grants), which does not exist")
            }
            for code in refs.skills.sorted() where !skillExists(code) {
                throw CredfolioError.invalid("stack \(stack.code): skill \(code) does not exist")
            }
            for code in refs.stacks.sorted() where all[code] == nil {
                throw CredfolioError.invalid("stack \(stack.code): stack \(code) does not exist")
            }
        }
        // A depth-first walk from each imported stack finds any cycle through it.
        for stack in stacks {
            var path: [String] = []
            var onPath = Set<String>()
            var done = Set<String>()
            func visit(_ code: String) throws {
                if onPath.contains(code) {
                    let start = path.firstIndex(of: code)!
                    throw CredfolioError.invalid(
                        "stack \(stack.code): nested stacks form a cycle: " + (path[start...] + [code]).joined(separator: " -> "))
                }
                guard !done.contains(code), let definition = all[code] else { return }
                path.append(code)
                onPath.insert(code)
                for child in definition.requires.references.stacks.sorted() { try visit(child) }
                onPath.remove(code)
                path.removeLast()
                done.insert(code)
            }
            try visit(stack.code)
        }
        // Grants: stack S leads to stack T when T needs (in its tree or a stack it nests) the credential S grants.
        // A cycle of these can never start: refused, with the chain.
        func credentialsNeeded(_ code: String, _ seen: inout Set<String>) -> Set<String> {
            guard seen.insert(code).inserted, let definition = all[code] else { return [] }
            var out = definition.requires.references.credentials
            for child in definition.requires.references.stacks { out.formUnion(credentialsNeeded(child, &seen)) }
            return out
        }
        let granting = all.values.filter { $0.grants != nil }
        if !granting.isEmpty {
            var needed: [String: Set<String>] = [:]
            for code in all.keys {
                var seen = Set<String>()
                needed[code] = credentialsNeeded(code, &seen)
            }
            func dependents(_ code: String) -> [String] {
                guard let granted = all[code]?.grants else { return [] }
                return needed.keys.filter { needed[$0]?.contains(granted) == true }.sorted()
            }
            for stack in stacks where stack.grants != nil {
                var path: [String] = [], onPath = Set<String>(), done = Set<String>()
                func visit(_ code: String) throws {
                    if onPath.contains(code) {
                        let cycle = Array(path[(path.firstIndex(of: code) ?? 0)...]) + [code]
                        let steps = zip(cycle, cycle.dropFirst()).map { "\($0) grants \(all[$0]?.grants ?? ""), which \($1) needs" }
                        throw CredfolioError.invalid("stack \(stack.code): grants form a cycle (" + steps.joined(separator: "; ")
                                                     + "): none of these stacks could ever be complete")
                    }
                    guard done.insert(code).inserted else { return }
                    path.append(code)
                    onPath.insert(code)
                    for next in dependents(code) { try visit(next) }
                    onPath.remove(code)
                    path.removeLast()
                }
                try visit(stack.code)
            }
        }
        // Inlining copies a nested stack wherever it is named: a few small
        // stacks that name each other twice over can expand exponentially.
        var sizes: [String: Int] = [:]
        for stack in stacks {
            let size = StackSize.flattened(stack.requires, stacks: { all[$0] }, memo: &sizes)
            if size > Limits.maxStackNodes {
                throw CredfolioError.invalid(
                    "stack \(stack.code): with nested stacks inlined it would have "
                        + (size == StackSize.overLimit ? "more than \(NumberText.grouped(Limits.maxStackNodes * 100))"
                            : NumberText.grouped(size))
                        + " requirements, more than the limit of \(NumberText.grouped(Limits.maxStackNodes))")
            }
        }
    }
}

/// How many requirements a tree has once nested stacks are inlined,
/// computed once per stack, so that even an exponential expansion is
/// measured in linear time.
public enum StackSize {
    /// What the count saturates at: far past the limit, never near overflow.
    public static let overLimit = Limits.maxStackNodes * 100

    public static func flattened(
        _ requirement: Requirement, stacks: (String) -> StackDefinition?, memo: inout [String: Int]
    ) -> Int {
        var visiting = Set<String>()
        return size(requirement, stacks: stacks, memo: &memo, visiting: &visiting)
    }

    private static func size(
        _ requirement: Requirement, stacks: (String) -> StackDefinition?, memo: inout [String: Int],
        visiting: inout Set<String>
    ) -> Int {
        switch requirement {
        case .credential, .skill, .hours, .credits:
            return 1
        case .stack(let code):
            if let known = memo[code] { return known }
            // A cycle or a missing stack is reported elsewhere; count it as one.
            guard let nested = stacks(code), visiting.insert(code).inserted else { return 1 }
            let total = size(nested.requires, stacks: stacks, memo: &memo, visiting: &visiting)
            visiting.remove(code)
            memo[code] = total
            return total
        case .all(let children), .choose(_, let children):
            var total = 1
            for child in children {
                total = min(overLimit, total + size(child, stacks: stacks, memo: &memo, visiting: &visiting))
            }
            return total
        }
    }
}
