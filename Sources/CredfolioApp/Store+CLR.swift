public import CredfolioStore
import CredfolioBadges
public import CredfolioCore
import CredfolioEngine

extension Store {
    /// The id of the achievement a catalog credential stands for: its linked
    /// Open Badges achievement, else a URN of its code.
    func achievementID(of credential: Credential) throws -> String {
        try credentials.achievementID(of: credential.id!) ?? "urn:credfolio:credential:" + credential.code
    }

    /// A learner's portfolio as a CLR 2.0 `ClrCredential` (VCDM 2.0), unsigned:
    ///
    /// - `verifiableCredential`: every imported Open Badges 3.0 credential as
    ///   it arrived (its JSON object, or its JWT string), so that each still
    ///   verifies on its own; an unsigned AchievementCredential for every
    ///   other earned award, its subject identified by the learner's email;
    /// - `achievement`: an Achievement for each stack, with the learner's
    ///   progress toward it as a `Percent` result description and value;
    /// - `association`: `isParentOf` from each stack to each credential
    ///   that met one of its requirements, as the engine assigned them.
    public func clr(for handle: String, asOf day: Day) throws -> JSONValue {
        let learner = try learners.get(handle)
        let portfolio = try Portfolio(self)
        let catalog = portfolio.catalog
        let facts = try LearnerReader(self, portfolio).facts(of: learner)
        let held = portfolio.holdings(facts, on: day)
        let identifier: JSONValue = .array(try learners.emails(of: learner).prefix(1).map { email in
            .object([("type", .string("IdentityObject")), ("identityHash", .string(email)),
                     ("identityType", .string("emailAddress")), ("hashed", .bool(false))])
        })
        var credentials: [JSONValue] = []
        for record in try awards.list(learner: handle) where record.award.status == .earned {
            guard let earned = record.award.earnedOn, earned <= day else { continue }
            if let source = try awards.source(of: record.award.id!), let verbatim = Self.verbatimOB3(source) {
                credentials.append(verbatim)
                continue
            }
            let credential = try self.credentials.get(record.award.credential)
            var achievement: [(String, JSONValue)] = [
                ("id", .string(try achievementID(of: credential))), ("type", .array([.string("Achievement")])),
                ("name", .string(credential.title)), ("humanCode", .string(credential.code)),
                ("achievementType", .string(Self.achievementType(credential.kind))),
                ("criteria", credential.url.map { .object([("id", .string($0))]) }
                    ?? .object([("narrative", .string("Recorded in credfolio"))])),
            ]
            if let issuer = credential.issuer { achievement.append(("creator", .object([("type", .array([.string("Profile")])),
                                                                                        ("name", .string(issuer))]))) }
            if let credits = credential.credits { achievement.append(("creditsAvailable", .number(credits))) }
            // Skills as alignments, each read back as the same skill.
            let alignments: [JSONValue] = try credential.skills.map { code in
                let skill = try skills.get(code)
                var alignment: [(String, JSONValue)] = [
                    ("type", .array([.string("Alignment")])), ("targetName", .string(skill.name)),
                    ("targetUrl", .string("urn:credfolio:skill:" + code)), ("targetCode", .string(code)),
                ]
                if let framework = skill.framework { alignment.append(("targetFramework", .string(framework))) }
                return .object(alignment)
            }
            if !alignments.isEmpty { achievement.append(("alignment", .array(alignments))) }
            achievement.append((ImportedBadge.CatalogExtension.term, Self.catalogExtension(credential)))
            var members: [(String, JSONValue)] = [
                ("@context", .array([.string("https://www.w3.org/ns/credentials/v2"),
                                     .string("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
                                     .object([("credfolio", .string(ImportedBadge.CatalogExtension.namespace))])])),
                ("id", .string("urn:credfolio:award:\(learner.handle):\(credential.code):\(earned)")),
                ("type", .array([.string("VerifiableCredential"), .string("AchievementCredential")])),
                ("issuer", .object([("id", .string("urn:credfolio:issuer")), ("type", .array([.string("Profile")])),
                                    ("name", .string(credential.issuer ?? "credfolio"))])),
                ("name", .string(credential.title)),
                ("validFrom", .string("\(earned)T00:00:00Z")),
            ]
            if let expires = record.expires { members.append(("validUntil", .string("\(expires)T00:00:00Z"))) }
            members.append(("credentialSubject", .object([
                ("type", .array([.string("AchievementSubject")])), ("identifier", identifier),
                ("achievement", .object(achievement)),
            ])))
            if let evidence = record.award.evidenceURL {
                members.append(("evidence", .array([.object([("id", .string(evidence)), ("type", .array([.string("Evidence")]))])])))
            }
            credentials.append(.object(members))
        }
        var achievements: [JSONValue] = []
        var associations: [JSONValue] = []
        for stack in portfolio.stacks {
            let evaluation = stack.evaluate(held, catalog: catalog)
            let id = "urn:credfolio:stack:" + stack.definition.code
            let percent = NumberText.fixed(evaluation.percent, decimals: 1)
            var achievement: [(String, JSONValue)] = [
                ("id", .string(id)), ("type", .array([.string("Achievement")])),
                ("name", .string(stack.definition.title ?? stack.definition.code)),
                ("humanCode", .string(stack.definition.code)),
                ("criteria", .object([("narrative", .string(stack.definition.description ?? "The requirements of stack \(stack.definition.code)"))])),
                ("resultDescription", .array([.object([
                    ("id", .string(id + "#percent")), ("type", .array([.string("ResultDescription")])),
                    ("name", .string("Percent complete")), ("resultType", .string("Percent")),
                ])])),
                ("result", .array([.object([("type", .array([.string("Result")])), ("resultDescription", .string(id + "#percent")),
                                            ("value", .string(percent)),
                                            ("status", .string(evaluation.complete ? "Completed" : "InProgress"))])])),
            ]
            if let issuer = stack.definition.issuer {
                achievement.append(("creator", .object([("type", .array([.string("Profile")])), ("name", .string(issuer))])))
            }
            achievements.append(.object(achievement))
            var targets: [String] = []
            for leaf in stack.leaves {
                guard let index = evaluation.assignment(of: leaf) else { continue }
                let target = try achievementID(of: catalog[index])
                if !targets.contains(target) { targets.append(target) }
            }
            for target in targets {
                associations.append(.object([("type", .string("Association")), ("associationType", .string("isParentOf")),
                                             ("sourceId", .string(id)), ("targetId", .string(target))]))
            }
        }
        return .object([
            ("@context", .array([.string("https://www.w3.org/ns/credentials/v2"),
                                 .string("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"),
                                 .string("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")])),
            ("id", .string("urn:credfolio:clr:\(learner.handle):\(day)")),
            ("type", .array([.string("VerifiableCredential"), .string("ClrCredential")])),
            ("issuer", .object([("id", .string("urn:credfolio:issuer")), ("type", .array([.string("Profile")])),
                                ("name", .string("credfolio"))])),
            ("name", .string("Portfolio of \(learner.name)")),
            ("validFrom", .string("\(day)T00:00:00Z")),
            ("credentialSubject", .object([
                ("type", .array([.string("ClrSubject")])), ("identifier", identifier),
                ("verifiableCredential", .array(credentials)),
                ("achievement", .array(achievements)),
                ("association", .array(associations)),
            ])),
        ])
    }

    /// credfolio's extension of an achievement: the catalog fields Open
    /// Badges 3.0 has no place for (``ImportedBadge/CatalogExtension``).
    static func catalogExtension(_ credential: Credential) -> JSONValue {
        // An unknown value is left out, and so read back as unknown.
        var members: [(String, JSONValue)] = []
        if let hours = credential.hours { members.append(("hours", .integer(hours))) }
        if let cents = credential.costCents { members.append(("cost", .string(Money.format(cents: cents)))) }
        members.append(("currency", .string(credential.currency)))
        if let weeks = credential.weeks { members.append(("weeks", .integer(weeks))) }
        if !credential.deliveries.isEmpty { members.append(("format", .string(DeliveryFormat.listText(credential.deliveries)))) }
        switch credential.validity {
        case .months(let months): members.append(("validityMonths", .integer(months)))
        case .never: members.append(("validity", .string("never")))
        case .unknown: break
        }
        if let unit = credential.creditUnit { members.append(("creditUnit", .string(unit))) }
        if let level = credential.level { members.append(("level", .string(level))) }
        return .object(members)
    }

    /// An imported Open Badges 3.0 credential as it arrived: a JSON object,
    /// or a JWT string; nil for Open Badges 2.0, which a CLR 2.0 cannot hold.
    static func verbatimOB3(_ source: BadgeSource) -> JSONValue? {
        guard source.format.hasPrefix("ob3-") || source.format.hasPrefix("clr-") else { return nil }
        var text: String
        // A credential that arrived inside a CLR was kept as it stood there.
        switch source.format {
        case "ob3-png":
            guard let baked = try? PNGChunks.texts(source.original).first(where: { BadgeKeyword(rawValue: $0.keyword) != nil })
            else { return nil }
            text = baked.text
        case "ob3-svg":
            guard let baked = SVGBadge.baked(String(decoding: source.original, as: UTF8.self)) else { return nil }
            guard let content = baked.content ?? baked.verify else { return nil }
            text = content
        default:
            text = String(decoding: source.original, as: UTF8.self)
        }
        text = text.trimmingSpaces()
        if JWS.looksLikeJWS(text) { return .string(text) }
        guard let json = try? JSONParser.parse(text) else { return nil }
        let types: [JSONValue]
        if case .array(let list)? = json["type"] { types = list } else { types = [] }
        // A whole CLR (its original file) is not one credential: rebuild instead.
        return types.contains(.string("ClrCredential")) ? nil : json
    }

    /// Open Badges 3.0's `achievementType` for each kind, the first of a
    /// kind's entries being the one written; the others are also read.
    static let achievementTypes: [(kind: CredentialKind, type: String)] = [
        (.badge, "Badge"), (.certificate, "Certificate"), (.certificate, "CertificateOfCompletion"),
        (.certification, "Certification"), (.course, "Course"), (.microCredential, "MicroCredential"),
        (.license, "License"), (.degree, "Degree"), (.diploma, "Diploma"), (.credential, "Achievement"),
        (.learningOpportunity, "LearningOpportunity"), (.learningProgram, "LearningProgram"), (.assessment, "Assessment"),
    ]

    static func achievementType(_ kind: CredentialKind) -> String {
        achievementTypes.first { $0.kind == kind }?.type ?? "Achievement"
    }

    /// The kind an `achievementType` names (in any case); nil when none does.
    static func kind(ofAchievementType type: String) -> CredentialKind? {
        let lower = type.lowercased()
        return achievementTypes.first { $0.type.lowercased() == lower }?.kind
    }
}
