
/// One node of a stack's requirement tree, as the user wrote it.
public indirect enum Requirement: Equatable, Sendable {
    /// Hold this credential.
    case credential(String)
    /// Hold any credential that teaches this skill.
    case skill(String)
    /// Hold credentials worth this many hours in all (only those listed in
    /// `from`, when given).
    case hours(Double, from: [String]?)
    /// Hold credentials worth this many credits in `unit` (only those in
    /// `from`, when given).
    case credits(Double, unit: String, from: [String]?)
    /// Everything another stack requires, inlined.
    case stack(String)
    /// Every child.
    case all([Requirement])
    /// At least `count` of the children.
    case choose(Int, [Requirement])

    /// The requirement as the JSON a stack file holds.
    public var json: JSONValue {
        func list(_ codes: [String]?) -> [(String, JSONValue)] {
            codes.map { [("from", .array($0.map(JSONValue.string)))] } ?? []
        }
        func number(_ value: Double) -> JSONValue {
            value == value.rounded() && abs(value) < 1e15 ? .integer(Int64(value)) : .number(value)
        }
        switch self {
        case .credential(let code): return .object([("credential", .string(code))])
        case .skill(let code): return .object([("skill", .string(code))])
        case .hours(let hours, let from): return .object([("hours", number(hours))] + list(from))
        case .credits(let credits, let unit, let from):
            return .object([("credits", number(credits)), ("unit", .string(unit))] + list(from))
        case .stack(let code): return .object([("stack", .string(code))])
        case .all(let children): return .object([("all", .array(children.map(\.json)))])
        case .choose(let count, let children):
            return .object([("choose", .integer(Int64(count))), ("of", .array(children.map(\.json)))])
        }
    }

    /// Every credential, skill and stack code the tree names (not inlined).
    public var references: (credentials: Set<String>, skills: Set<String>, stacks: Set<String>) {
        var credentials = Set<String>(), skills = Set<String>(), stacks = Set<String>()
        func visit(_ r: Requirement) {
            switch r {
            case .credential(let c): credentials.insert(c)
            case .skill(let s): skills.insert(s)
            case .hours(_, let from), .credits(_, _, let from): from?.forEach { credentials.insert($0) }
            case .stack(let s): stacks.insert(s)
            case .all(let children), .choose(_, let children): children.forEach(visit)
            }
        }
        visit(self)
        return (credentials, skills, stacks)
    }

    /// True when an hours or credits requirement in the tree counts every
    /// credential of the catalog (it has no `from` list).
    public var countsWholeCatalog: Bool {
        switch self {
        case .hours(_, let from), .credits(_, _, let from): return from == nil
        case .all(let children), .choose(_, let children): return children.contains(where: \.countsWholeCatalog)
        case .credential, .skill, .stack: return false
        }
    }

    /// A short label a person can read: `credential sql-basics`,
    /// `choose 2 of 3`, `120 hours from sql-basics, tableau`.
    public var label: String {
        func listed(_ codes: [String]?) -> String {
            guard let codes else { return "" }
            if codes.count <= 3 { return " from " + codes.joined(separator: ", ") }
            return " from " + codes.prefix(3).joined(separator: ", ") + " and \(codes.count - 3) more"
        }
        switch self {
        case .credential(let c): return "credential \(c)"
        case .skill(let s): return "skill \(s)"
        case .hours(let h, let from):
            return "\(NumberText.plain(h)) hours" + listed(from)
        case .credits(let c, let unit, let from):
            return "\(NumberText.plain(c)) \(unit) credits" + listed(from)
        case .stack(let s): return "stack \(s)"
        case .all(let children): return "all of \(children.count)"
        case .choose(let n, let children): return "choose \(n) of \(children.count)"
        }
    }
}

/// A stack: a larger qualification that credentials add up to.
public struct StackDefinition: Equatable, Sendable {
    public var code: String
    public var title: String?
    public var issuer: String?
    public var description: String?
    /// The credential that completing the stack confers.
    public var grants: String?
    /// When true, one held credential may satisfy several credential leaves.
    public var shared: Bool
    public var requires: Requirement

    public init(code: String, title: String? = nil, issuer: String? = nil, description: String? = nil,
                grants: String? = nil, shared: Bool = false, requires: Requirement) {
        self.code = code
        self.title = title
        self.issuer = issuer
        self.description = description
        self.grants = grants
        self.shared = shared
        self.requires = requires
    }

    /// The stack as the JSON object a stack file holds; keys in a fixed order.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(code))]
        if let title { members.append(("title", .string(title))) }
        if let issuer { members.append(("issuer", .string(issuer))) }
        if let description { members.append(("description", .string(description))) }
        if let grants { members.append(("grants", .string(grants))) }
        if shared { members.append(("shared", .bool(true))) }
        members.append(("requires", requires.json))
        return .object(members)
    }
}
