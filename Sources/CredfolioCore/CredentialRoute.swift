/// One way in to a credential (a CTDL `ceterms:requires` condition): every
/// target is needed on this route; a credential with several routes needs
/// one of them.
public struct CredentialRoute: Hashable, Sendable {
    /// Something a route needs: a catalog entry named by CTID, or, for one
    /// without a CTID (a blank node in the registry's files), its name.
    public struct Target: Hashable, Sendable {
        public var ctid: String?
        public var name: String?
        /// The code of the catalog entry with `ctid`, when there is one.
        public var code: String?

        public init(ctid: String? = nil, name: String? = nil, code: String? = nil) {
            self.ctid = ctid
            self.name = name
            self.code = code
        }

        /// How a person reads it: the code, else the name, else the CTID,
        /// said to be outside the catalog when it has a CTID and no entry.
        public var words: String {
            if let code { return code }
            if let ctid { return (name.map { "\($0) " } ?? "") + "(\(ctid), not in the catalog)" }
            return name.map { "\"\($0)\" (not checked)" } ?? ""
        }
    }

    public var name: String?
    /// Text a person must check: conditions, experience.
    public var note: String?
    public var targets: [Target]

    public init(name: String? = nil, note: String? = nil, targets: [Target] = []) {
        self.name = name
        self.note = note
        self.targets = targets
    }

    /// The route as stored and imported: its targets by CTID or name, not
    /// resolved to the codes of catalog entries.
    public static func unresolved(_ route: CredentialRoute) -> CredentialRoute {
        var route = route
        for i in route.targets.indices { route.targets[i].code = nil }
        return route
    }

    /// The catalog codes a plan must take on this route, or nil when a
    /// target with a CTID is not in the catalog (the route cannot be met).
    /// A target known only by name is text a person checks, not a code.
    public var plannedCodes: [String]? {
        var codes: [String] = []
        for target in targets where target.ctid != nil {
            guard let code = target.code else { return nil }
            codes.append(code)
        }
        return codes
    }

    /// The route in one line: what it needs, then its text.
    public var words: String {
        var parts: [String] = []
        if !targets.isEmpty { parts.append("needs " + targets.map(\.words).joined(separator: ", ")) }
        // The text in one line: its own line breaks and runs of blanks as one space.
        if let note { parts.append(note.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")) }
        return (name.map { "\($0): " } ?? "") + (parts.isEmpty ? "nothing stated" : parts.joined(separator: "; "))
    }
}

extension CredentialRoute {
    /// The routes as the credentials CSV's `prerequisites` cell holds them:
    /// a JSON array of `{"name", "note", "targets": [{"ctid", "name"}]}`,
    /// members left out when empty; "" for no routes. Exact, so that export
    /// then import keeps every route.
    public static func cell(_ routes: [CredentialRoute]) -> String {
        guard !routes.isEmpty else { return "" }
        return JSONValue.array(routes.map { route in
            var members: [(String, JSONValue)] = []
            if let name = route.name { members.append(("name", .string(name))) }
            if let note = route.note { members.append(("note", .string(note))) }
            members.append(("targets", .array(route.targets.map { target in
                .object([target.ctid.map { ("ctid", .string($0)) }, target.name.map { ("name", .string($0)) }].compactMap { $0 })
            })))
            return .object(members)
        }).serialized(pretty: false)
    }

    /// Reads a `prerequisites` cell (see ``cell(_:)``); "" is no routes.
    public static func parse(cell text: String) throws(CredfolioError) -> [CredentialRoute] {
        guard !text.trimmingSpaces().isEmpty else { return [] }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw Field.fail("prerequisites", text, "is not a JSON array of routes (\(error.reason) at column \(error.column))")
        }
        guard case .array(let items) = json else { throw Field.fail("prerequisites", text, "is not a JSON array of routes") }
        return try items.map { (item) throws(CredfolioError) -> CredentialRoute in
            guard case .object = item, case .array(let targets)? = item["targets"] ?? .array([]) else {
                throw Field.fail("prerequisites", text, "has a route that is not an object with a list of targets")
            }
            func field(_ value: JSONValue?, _ name: String) throws(CredfolioError) -> String? {
                switch value {
                case nil, .null?: return nil
                case .string(let s)?: return try Field.optionalText(s, name, maxBytes: 20_000)
                default: throw Field.fail("prerequisites", name, "is not text")
                }
            }
            return CredentialRoute(name: try field(item["name"], "name"), note: try field(item["note"], "note"),
                                   targets: try targets.map { (target) throws(CredfolioError) -> Target in
                let ctid = try field(target["ctid"], "ctid").map { (c) throws(CredfolioError) in try Field.ctid(c) }
                let name = try field(target["name"], "name")
                guard ctid != nil || name != nil else { throw Field.fail("prerequisites", text, "has a target with neither a ctid nor a name") }
                return Target(ctid: ctid, name: name)
            })
        }
    }
}
