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
