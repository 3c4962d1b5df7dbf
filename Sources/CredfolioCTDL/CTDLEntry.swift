public import CredfolioCore

/// A catalog entry as one CTDL record gives it, before anything is stored:
/// a value the record does not give is nil, unknown, never 0.
public struct CTDLEntry: Equatable, Sendable {
    /// Who issues it: an organization's name when its node is in the files,
    /// else the reference as written.
    public enum Issuer: Equatable, Sendable {
        case named(String)
        case unresolved(String)
    }

    /// A competency it teaches or assesses, with its framework and code.
    public struct Skill: Equatable, Sendable {
        public var name: String
        public var framework: String?
        public var code: String?
    }

    public var ctid: String?
    /// What it is: the kind its class names.
    public var kind: CredentialKind
    public var title: String
    public var description: String?
    public var issuer: Issuer?
    /// The cost in cents of `currency` (ISO 4217), by the rule of ``cost(of:)``.
    public var costCents: Int64?
    public var currency: String?
    /// How the cost was found, or why it is unknown, in words.
    public var costNote: String?
    /// Calendar length in whole weeks, rounded up.
    public var weeks: Int64?
    public var hours: Int64?
    public var credits: Double?
    /// The credit unit's concept name (`SemesterHour`).
    public var creditUnit: String?
    /// Every delivery mode the record gives, in ``DeliveryFormat`` order.
    public var deliveries: [DeliveryFormat]
    /// The audience level: `beginner`, `intermediate`, `advanced`, or the
    /// level's name (`Associates Degree Level`); several are joined by ", ".
    public var level: String?
    /// Each `ceterms:requires` condition: one route to it.
    public var routes: [CredentialRoute]
    /// The references no file of the command resolves, as written, with
    /// the role each plays (`issuer`, `prerequisite`).
    public var unresolved: [Unresolved] = []

    /// A reference that no file of the command resolves.
    public struct Unresolved: Equatable, Sendable {
        /// As written.
        public var reference: String
        /// `issuer` or `prerequisite`.
        public var role: String
    }
    /// Months an award lasts; nil when the record gives no renewal frequency.
    public var validityMonths: Int64?
    public var skills: [Skill]
    /// O*NET SOC codes (`15-1232.00`).
    public var occupations: [String]
    public var url: String?
}

extension CTDLEntry {
    /// The kind a CTDL class names, when it is a catalog entry: every
    /// credential class, learning opportunities and assessments. Nil for
    /// anything else (organizations, pathways, components, profiles).
    public static func kind(of types: [String]) -> CredentialKind? {
        for type in types {
            let name = type.hasPrefix("ceterms:") ? String(type.dropFirst("ceterms:".count)) : type
            switch name {
            case "Certification": return .certification
            case "Certificate", "CertificateOfCompletion", "ApprenticeshipCertificate", "JourneymanCertificate", "MasterCertificate",
                 "ProfessionalCertificate", "AcademicCertificate", "BasicTechnicalCertificate":
                return .certificate
            case "Badge", "DigitalBadge", "OpenBadge": return .badge
            case "MicroCredential": return .microCredential
            case "License": return .license
            case "Degree", "AssociateDegree", "BachelorDegree", "MasterDegree", "DoctoralDegree", "ProfessionalDoctorate",
                 "ResearchDoctorate", "AppliedDoctorate":
                return .degree
            case "Diploma", "GeneralEducationDevelopment", "SecondarySchoolDiploma", "HighSchoolDiploma": return .diploma
            case "Credential", "QualityAssuranceCredential", "AssociateDegreeCredential", "WorkforceCredential": return .credential
            case "LearningOpportunityProfile", "LearningOpportunity": return .learningOpportunity
            case "Course": return .course
            case "LearningProgram": return .learningProgram
            case "AssessmentProfile", "Assessment": return .assessment
            default: continue
            }
        }
        return nil
    }

    /// The entry `node` is, read from the graph it is in; nil when it is not
    /// a catalog entry or has no title.
    public init?(_ node: CTDLNode, in graph: CTDLGraph, language: String = "en") {
        guard let kind = Self.kind(of: node.types), let title = CTDLValue.text(node["ceterms:name"], language: language) else { return nil }
        self.kind = kind
        self.title = title
        ctid = node.ctid
        description = CTDLValue.text(node["ceterms:description"], language: language)
        issuer = Self.issuer(node, in: graph, language: language)
        let cost = Self.cost(of: node)
        (costCents, currency, costNote) = (cost.cents, cost.currency, cost.note)
        let duration = Self.duration(node)
        (weeks, hours) = (duration.weeks, duration.hours)
        let credit = Self.credits(node)
        (credits, creditUnit) = (credit?.0, credit?.1)
        var deliveries = Set<DeliveryFormat>()
        for term in CTDLValue.concepts(node["ceterms:learningDeliveryType"]) + CTDLValue.concepts(node["ceterms:deliveryType"]) {
            switch term {
            case "InPerson": deliveries.insert(.inPerson)
            case "OnlineOnly": deliveries.insert(.online)
            case "BlendedDelivery": deliveries.insert(.hybrid)
            default: break
            }
        }
        self.deliveries = deliveries.sorted()
        level = Self.level(node, language: language)
        if case .unresolved(let reference)? = issuer { unresolved.append(Unresolved(reference: reference, role: "issuer")) }
        var unresolvedTargets: [Unresolved] = []
        routes = CTDLValue.list(node["ceterms:requires"]).map {
            Self.route($0, of: node, in: graph, language: language, unresolved: &unresolvedTargets)
        }
        unresolved += unresolvedTargets
        validityMonths = node["ceterms:renewalFrequency"].flatMap { CTDLValue.text($0) }.flatMap(CTDLDuration.init).flatMap(\.wholeMonths)
        skills = Self.alignments(node["ceterms:teaches"]) + Self.alignments(node["ceterms:assesses"])
        // An occupation is its code: an alignment object without one is not an occupation.
        if case .array(let items)? = node["ceterms:occupationType"] {
            occupations = items.compactMap { $0["ceterms:codedNotation"].flatMap { CTDLValue.text($0) } }
        } else {
            occupations = []
        }
        url = node["ceterms:subjectWebpage"].flatMap { CTDLValue.text($0) }
    }

    /// The audience levels: the three general ones as credfolio's words,
    /// any other by its name (the alignment's, else its term in words).
    static func level(_ node: CTDLNode, language: String) -> String? {
        var levels: [String] = []
        for item in CTDLValue.list(node["ceterms:audienceLevelType"]) {
            guard let term = CTDLValue.concepts(item).first else { continue }
            let level: String
            switch term {
            case "BeginnerLevel": level = "beginner"
            case "IntermediateLevel": level = "intermediate"
            case "AdvancedLevel": level = "advanced"
            default: level = CTDLValue.text(item["ceterms:targetNodeName"], language: language) ?? CTDLValue.words(term)
            }
            if !levels.contains(level) { levels.append(level) }
        }
        return levels.isEmpty ? nil : levels.joined(separator: ", ")
    }

    /// The properties of a condition that name what a route needs.
    static let routeTargets = ["ceterms:targetCredential", "ceterms:targetAssessment", "ceterms:targetLearningOpportunity"]

    /// A `ceterms:requires` condition as a route: its target credentials,
    /// assessments and learning opportunities by CTID (or by name, for a
    /// blank node without one), and the text a person must check. Each
    /// target no file holds is added to `unresolved`, as written.
    static func route(_ profile: JSONValue, of node: CTDLNode, in graph: CTDLGraph, language: String,
                      unresolved: inout [Unresolved]) -> CredentialRoute {
        var targets: [CredentialRoute.Target] = []
        for property in routeTargets {
            for reference in CTDLValue.list(profile[property]) {
                let resolved = graph.resolve(reference, from: node.file)
                let written = CTDLGraph.string(reference) ?? reference["@id"].flatMap(CTDLGraph.string)
                if resolved == nil, let written { unresolved.append(Unresolved(reference: written, role: "prerequisite")) }
                let ctid = resolved?.ctid ?? written.flatMap(CTDLGraph.ctid(in:))
                let name = resolved.flatMap { CTDLValue.text($0["ceterms:name"], language: language) }
                if ctid != nil || name != nil { targets.append(.init(ctid: ctid, name: name)) }
            }
        }
        let text = CTDLValue.texts(profile["ceterms:condition"], language: language)
            + CTDLValue.texts(profile["ceterms:experience"], language: language)
        return CredentialRoute(name: CTDLValue.text(profile["ceterms:name"], language: language),
                               note: text.isEmpty ? nil : text.joined(separator: " "), targets: targets)
    }

    static func issuer(_ node: CTDLNode, in graph: CTDLGraph, language: String) -> Issuer? {
        for property in ["ceterms:ownedBy", "ceterms:offeredBy"] {
            guard let first = CTDLValue.list(node[property]).first else { continue }
            if let organization = graph.resolve(first, from: node.file), let name = CTDLValue.text(organization["ceterms:name"], language: language) {
                return .named(name)
            }
            if let id = CTDLGraph.string(first) ?? first["@id"].flatMap(CTDLGraph.string) { return .unresolved(id) }
        }
        return nil
    }

    /// The cost: an aggregate cost when the record states one; otherwise
    /// the sum of the required costs, leaving out renewal fees and optional
    /// charges. Sums are per currency; "US Dollar" is USD. Nil, with a note,
    /// when there is no price, or prices in several currencies.
    public static func cost(of node: CTDLNode) -> (cents: Int64?, currency: String?, note: String?) {
        guard case .array(let profiles)? = node["ceterms:estimatedCost"], !profiles.isEmpty else { return (nil, nil, nil) }
        var aggregate: [String: Int64] = [:], required: [String: Int64] = [:], unreadable: [String] = []
        for profile in profiles {
            guard let price = profile["ceterms:price"].flatMap(cents) else { continue }
            let written = profile["ceterms:currency"].flatMap { CTDLValue.text($0) } ?? ""
            guard let currency = Self.currency(written) else { unreadable.append(written); continue }
            let types = CTDLValue.concepts(profile["ceterms:directCostType"])
            if types.contains("AggregateCost") {
                aggregate[currency, default: 0] = aggregate[currency, default: 0].adding(saturating: price)
            } else if !types.contains("RenewalFee") && !types.contains("OptionalCharges") {
                required[currency, default: 0] = required[currency, default: 0].adding(saturating: price)
            }
        }
        let (sums, how) = aggregate.isEmpty ? (required, "the sum of the required costs") : (aggregate, "the aggregate cost")
        if !unreadable.isEmpty {
            return (nil, nil, "a price in a currency not understood: " + unreadable.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        if sums.count > 1 {
            return (nil, nil, "costs in several currencies: " + sums.keys.sorted().joined(separator: ", "))
        }
        guard let (currency, total) = sums.first else { return (nil, nil, "no required cost (renewal fees and optional charges are left out)") }
        return (total, currency, how)
    }

    /// An ISO 4217 code as given, or a currency named in words.
    static func currency(_ text: String) -> String? {
        let named = ["us dollar": "USD", "us dollars": "USD", "u.s. dollar": "USD", "euro": "EUR", "pound sterling": "GBP",
                     "canadian dollar": "CAD"]
        if let code = named[text.lowercased()] { return code }
        return text.utf8.count == 3 && text.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? text : nil
    }

    /// A price in cents: whole, or with at most two decimals; nil otherwise.
    static func cents(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let whole): return whole >= 0 && whole <= Int64.max / 100 ? whole * 100 : nil
        case .number(let number):
            let scaled = (number * 100).rounded()
            guard number >= 0, scaled < 1e15, abs(scaled - number * 100) < 1e-6 else { return nil }
            return Int64(scaled)
        case .string(let text): return Money.cents(from: text)
        default: return nil
        }
    }

    /// Calendar weeks from the first duration profile's exact duration, else
    /// its maximum, else its minimum; hours from its `timeRequired`, or from
    /// a duration given in hours alone.
    static func duration(_ node: CTDLNode) -> (weeks: Int64?, hours: Int64?) {
        var weeks: Int64?, hours: Int64?
        for profile in CTDLValue.list(node["ceterms:estimatedDuration"]) {
            let durations = ["ceterms:exactDuration", "ceterms:maximumDuration", "ceterms:minimumDuration"]
                .compactMap { profile[$0].flatMap { CTDLValue.text($0) }.flatMap(CTDLDuration.init) }
            if weeks == nil { weeks = durations.lazy.compactMap(\.calendarWeeks).first }
            if hours == nil {
                hours = profile["ceterms:timeRequired"].flatMap { CTDLValue.text($0) }.flatMap(CTDLDuration.init)?.wholeHours
                    ?? durations.lazy.compactMap(\.wholeHours).first
            }
        }
        if hours == nil { hours = node["ceterms:timeRequired"].flatMap { CTDLValue.text($0) }.flatMap(CTDLDuration.init)?.wholeHours }
        return (weeks, hours)
    }

    static func credits(_ node: CTDLNode) -> (Double, String)? {
        guard let first = CTDLValue.list(node["ceterms:creditValue"]).first else { return nil }
        let amount: Double?
        switch first["schema:value"] ?? first["ceterms:value"] ?? first["value"] {
        case .integer(let whole)?: amount = Double(whole)
        case .number(let number)?: amount = number >= 0 ? number : nil
        default: amount = nil
        }
        guard let amount, let unit = CTDLValue.concepts(first["ceterms:creditUnitType"]).first else { return nil }
        return (amount, unit)
    }

    /// Alignment objects as skills: the name, the framework and the code.
    static func alignments(_ value: JSONValue?) -> [Skill] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { item in
            guard let name = CTDLValue.text(item["ceterms:targetNodeName"]) else { return nil }
            return Skill(name: name, framework: item["ceterms:framework"].flatMap { CTDLValue.text($0) },
                         code: item["ceterms:codedNotation"].flatMap { CTDLValue.text($0) })
        }
    }
}
