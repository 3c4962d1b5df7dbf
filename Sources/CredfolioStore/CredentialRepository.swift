public import CredfolioSQL
public import CredfolioCore

/// The catalog: credentials one can earn, with the skills they teach.
public struct CredentialRepository {
    let db: any SQLConnection
    public init(_ db: any SQLConnection) { self.db = db }

    static let select = """
        SELECT id, code, title, issuer, kind, hours, credits, credit_unit, cost_cents, currency, weeks, format,
               level, validity_months, employer_validated, accreditation, url, validity_unknown, registry_ctid, description
        FROM credential
        """

    static func read(_ row: any SQLRow) throws -> Credential {
        guard let kind = CredentialKind(rawValue: row.string(4)),
              let deliveries = try? Field.deliveries(row.optionalString(11) ?? "") else {
            throw CredfolioError(.database, "credential \(row.string(1)) has an unknown kind or format; run credfolio doctor")
        }
        let validity: Validity = row.optionalInt64(13).map { .months($0) } ?? (row.bool(17) ? .unknown : .never)
        return Credential(
            id: row.int64(0), code: row.string(1), title: row.string(2), issuer: row.optionalString(3),
            kind: kind, hours: row.optionalInt64(5),
            credits: row.optionalDouble(6), creditUnit: row.optionalString(7), costCents: row.optionalInt64(8),
            currency: row.string(9), weeks: row.optionalInt64(10), deliveries: deliveries,
            level: row.optionalString(12), validity: validity, employerValidated: row.bool(14),
            accreditation: row.optionalString(15), url: row.optionalString(16), ctid: row.optionalString(18),
            description: row.optionalString(19))
    }

    public func find(_ code: String) throws -> Credential? {
        guard var credential = try db.first(Self.select + " WHERE code = ?", [.text(Slug.composed(code))], Self.read)
        else { return nil }
        credential.skills = try skills(of: credential.id!)
        credential.occupations = try occupations(of: credential.id!)
        return credential
    }

    public func get(_ code: String) throws -> Credential {
        guard let credential = try find(code) else {
            throw db.notFound("credential", code, table: "credential", column: "code")
        }
        return credential
    }

    /// The catalog by code, optionally only those that teach `skill`, that
    /// prepare for `occupation`, and that are offered in one of `deliveries`.
    public func list(skill: String? = nil, occupation: String? = nil, deliveries: [DeliveryFormat] = []) throws -> [Credential] {
        var filters: [String] = [], arguments: [DatabaseValue] = []
        if let skill {
            filters.append("id IN (SELECT x.credential_id FROM credential_skill x JOIN skill s ON s.id = x.skill_id WHERE s.code = ?)")
            arguments.append(.text(skill))
        }
        if let occupation {
            filters.append("id IN (SELECT credential_id FROM credential_occupation WHERE code = ?)")
            arguments.append(.text(occupation))
        }
        var credentials = try db.fetch(
            Self.select + (filters.isEmpty ? "" : " WHERE " + filters.joined(separator: " AND ")) + " ORDER BY code",
            arguments, row: Self.read)
        if !deliveries.isEmpty { credentials.removeAll { !$0.deliveries.contains(where: deliveries.contains) } }
        let skillMap = try skillsByCredential(), occupationMap = try occupationsByCredential()
        for i in credentials.indices {
            credentials[i].skills = skillMap[credentials[i].id!] ?? []
            credentials[i].occupations = occupationMap[credentials[i].id!] ?? []
        }
        return credentials
    }

    /// The credentials of `codes`, and those that teach any of `skills`, by code.
    public func list(codes: Set<String>, teaching skills: Set<String>) throws -> [Credential] {
        var credentials = try db.fetch(
            Self.select + """
                 WHERE code IN (\(db.dialect.texts(1)))
                    OR id IN (SELECT x.credential_id FROM credential_skill x JOIN skill s ON s.id = x.skill_id
                              WHERE s.code IN (\(db.dialect.texts(2))))
                 ORDER BY code
                """, [SQLDialect.textList(codes.sorted()), SQLDialect.textList(skills.sorted())], row: Self.read)
        let skillMap = try skillsByCredential(only: credentials.map { $0.id! })
        for i in credentials.indices { credentials[i].skills = skillMap[credentials[i].id!] ?? [] }
        return credentials
    }

    func skills(of id: Int64) throws -> [String] {
        try db.fetch(
            "SELECT s.code FROM credential_skill x JOIN skill s ON s.id = x.skill_id WHERE x.credential_id = ? ORDER BY s.code",
            [.integer(id)]) { $0.string(0) }
    }

    /// Skill codes (sorted) of every credential, or of those with the ids
    /// `only`, by credential id.
    public func skillsByCredential(only ids: [Int64]? = nil) throws -> [Int64: [String]] {
        var map: [Int64: [String]] = [:]
        let filter = ids == nil ? "" : " WHERE x.credential_id IN (\(db.dialect.integers(1)))"
        try db.forEachRow(
            "SELECT x.credential_id, s.code FROM credential_skill x JOIN skill s ON s.id = x.skill_id" + filter + " ORDER BY s.code",
            ids.map { [SQLDialect.integerList($0)] } ?? []
        ) {
            map[$0.int64(0), default: []].append($0.string(1))
        }
        return map
    }

    @discardableResult
    public func add(_ credential: Credential) throws -> Credential {
        let credential = try credential.validated()
        if try find(credential.code) != nil {
            throw CredfolioError.conflict("credential \(credential.code) already exists")
        }
        return try insert(credential)
    }

    /// Stores a validated credential whose code is known to be free;
    /// `skills`, when given, resolves skill codes without a query each.
    func insert(_ credential: Credential, skills known: [String: Int64]? = nil) throws -> Credential {
        let skillIDs = try resolveSkills(credential.skills, known: known)
        return try db.transaction { try insertRow(credential, skillIDs: skillIDs) }
    }

    /// The credential and its skills, inserted without a savepoint of their
    /// own: for a caller whose transaction covers them and which never goes
    /// on after an error (an import fails whole). A savepoint a row cost an
    /// import a third of its time, in statements and SQLite's journal of it.
    public func insertRow(_ credential: Credential, skillIDs: [Int64]) throws -> Credential {
        var credential = credential
        credential.id = try db.first(
            """
            INSERT INTO credential (code, title, issuer, kind, hours, credits, credit_unit, cost_cents, currency, weeks,
                format, level, validity_months, employer_validated, accreditation, url, validity_unknown, registry_ctid, description)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, Self.values(credential)) { $0.int64(0) }
        try setSkills(skillIDs, of: credential.id!, new: true)
        try setOccupations(credential.occupations, of: credential.id!, new: true)
        return credential
    }

    /// Writes every field of `credential` (found by its id) and its skills.
    public func update(_ credential: Credential, skills known: [String: Int64]? = nil) throws {
        let credential = try credential.validated()
        guard let id = credential.id else { throw CredfolioError.notFound("credential \(credential.code) has no id") }
        if let other = try db.scalar(Int64.self, "SELECT id FROM credential WHERE code = ?", credential.code), other != id {
            throw CredfolioError.conflict("credential \(credential.code) already exists")
        }
        if let months = credential.validityMonths,
           let latest = try db.scalar(String.self,
                                      "SELECT max(earned_on) FROM award WHERE credential_id = ? AND expires_on IS NULL", id),
           let earned = Day(iso: latest) {
            try Expiry.check(earnedOn: earned, validityMonths: months, what: "an award of \(credential.code)")
        }
        let skillIDs = try resolveSkills(credential.skills, known: known)
        try db.transaction {
            try db.execute(
                """
                UPDATE credential SET code = ?, title = ?, issuer = ?, kind = ?, hours = ?, credits = ?, credit_unit = ?,
                    cost_cents = ?, currency = ?, weeks = ?, format = ?, level = ?, validity_months = ?,
                    employer_validated = ?, accreditation = ?, url = ?, validity_unknown = ?, registry_ctid = ?, description = ?
                WHERE id = ?
                """, arguments: Self.values(credential) + [.integer(id)])
            try setSkills(skillIDs, of: id)
            try setOccupations(credential.occupations, of: id)
        }
    }

    static func values(_ c: Credential) -> [DatabaseValue] {
        [c.code.databaseValue, c.title.databaseValue, c.issuer.databaseValue, c.kind.rawValue.databaseValue,
         c.hours.databaseValue, c.credits.databaseValue, c.creditUnit.databaseValue, c.costCents.databaseValue,
         c.currency.databaseValue, c.weeks.databaseValue,
         c.deliveries.isEmpty ? .null : DeliveryFormat.listText(c.deliveries).databaseValue, c.level.databaseValue,
         c.validityMonths.databaseValue, c.employerValidated.databaseValue, c.accreditation.databaseValue,
         c.url.databaseValue, (c.validity == .unknown).databaseValue, c.ctid.databaseValue, c.description.databaseValue]
    }

    func resolveSkills(_ codes: [String], known: [String: Int64]? = nil) throws -> [Int64] {
        try codes.map { code in
            if let known {
                guard let id = known[code] else { throw CredfolioError.notFound("skill \(Field.quoted(code)) does not exist") }
                return id
            }
            guard let id = try db.scalar(Int64.self, "SELECT id FROM skill WHERE code = ?", code) else {
                throw CredfolioError.notFound("skill \(Field.quoted(code)) does not exist")
            }
            return id
        }
    }

    func occupations(of id: Int64) throws -> [String] {
        try db.fetch("SELECT code FROM credential_occupation WHERE credential_id = ? ORDER BY code", [.integer(id)]) { $0.string(0) }
    }

    /// Occupation codes (sorted) of every credential, by credential id.
    public func occupationsByCredential() throws -> [Int64: [String]] {
        var map: [Int64: [String]] = [:]
        try db.forEachRow("SELECT credential_id, code FROM credential_occupation ORDER BY code") { map[$0.int64(0), default: []].append($0.string(1)) }
        return map
    }

    func setOccupations(_ codes: [String], of id: Int64, new: Bool = false) throws {
        if !new { try db.execute("DELETE FROM credential_occupation WHERE credential_id = ?", arguments: [.integer(id)]) }
        for code in codes { try db.execute("INSERT INTO credential_occupation (credential_id, code) VALUES (?, ?)", id, code) }
    }

    func setSkills(_ skillIDs: [Int64], of id: Int64, new: Bool = false) throws {
        if !new { try db.execute("DELETE FROM credential_skill WHERE credential_id = ?", arguments: [.integer(id)]) }
        for skillID in skillIDs { try db.execute("INSERT INTO credential_skill (credential_id, skill_id) VALUES (?, ?)", id, skillID) }
    }

    /// Removes the credential. Stacks that name it always block (a stack
    /// with a hole would silently change meaning); awards of it block unless
    /// `force`, which removes them too. Returns the number of awards removed.
    @discardableResult
    public func remove(_ code: String, force: Bool) throws -> Int {
        let credential = try get(code)
        let id = credential.id!
        let stacks = try db.fetch(
            """
            SELECT code FROM stack WHERE grants_credential_id = ?1
                OR id IN (SELECT stack_id FROM stack_credential WHERE credential_id = ?1) ORDER BY code
            """, [.integer(id)]) { $0.string(0) }
        if !stacks.isEmpty {
            throw CredfolioError.conflict(
                "credential \(code) is named by stack \(stacks.joined(separator: ", ")); change or remove the stack first")
        }
        let awards = try db.scalar(Int.self, "SELECT count(*) FROM award WHERE credential_id = ?", id) ?? 0
        if awards > 0 && !force {
            let holders = try db.scalar(
                Int.self, "SELECT count(DISTINCT learner_id) FROM award WHERE credential_id = ?", id) ?? 0
            throw CredfolioError.conflict(
                "credential \(code) has \(NumberText.grouped(awards)) award\(awards == 1 ? "" : "s") (\(NumberText.grouped(holders)) learner\(holders == 1 ? "" : "s")); use --force to remove them too")
        }
        try db.transaction {
            try db.execute("DELETE FROM award WHERE credential_id = ?", id)
            try db.execute("DELETE FROM credential WHERE id = ?", id)
        }
        return awards
    }

    /// The codes of the stacks that name credential `code` in their
    /// requirements, directly or through a stack they nest, in code order.
    public func namingStacks(_ code: String) throws -> [String] {
        let id = try get(code).id!
        return try db.fetch(
            """
            WITH RECURSIVE naming (id) AS (
                SELECT stack_id FROM stack_credential WHERE credential_id = ?
                UNION SELECT x.stack_id FROM stack_child x JOIN naming n ON x.child_stack_id = n.id)
            SELECT code FROM stack WHERE id IN (SELECT id FROM naming) ORDER BY code
            """, [.integer(id)]) { $0.string(0) }
    }

    /// Every credential's id and validity by code.
    public func catalogIndex() throws -> [String: (id: Int64, validityMonths: Int64?)] {
        var map: [String: (id: Int64, validityMonths: Int64?)] = [:]
        try db.forEachRow("SELECT code, id, validity_months FROM credential") {
            map[$0.string(0)] = ($0.int64(1), $0.optionalInt64(2))
        }
        return map
    }
}

extension CredentialRepository {
    /// The routes (prerequisites) of every credential, or of credential
    /// `only`, by credential id; each target with a CTID resolved to the code
    /// of the catalog entry that has it, when there is one.
    public func routesByCredential(only id: Int64? = nil) throws -> [Int64: [CredentialRoute]] {
        var routes: [Int64: CredentialRoute] = [:], owner: [Int64: Int64] = [:], order: [Int64] = []
        let select = """
            SELECT r.id, r.credential_id, r.name, r.note, t.registry_ctid, t.name, c.code FROM credential_route r
            LEFT JOIN credential_route_target t ON t.route_id = r.id LEFT JOIN credential c ON c.registry_ctid = t.registry_ctid
            """
        let sql = select + (id == nil ? "" : " WHERE r.credential_id = ?") + " ORDER BY r.credential_id, r.position, t.position"
        try db.forEachRow(sql, id.map { [.integer($0)] } ?? []) { row in
            let route = row.int64(0)
            if routes[route] == nil {
                routes[route] = CredentialRoute(name: row.optionalString(2), note: row.optionalString(3))
                owner[route] = row.int64(1)
                order.append(route)
            }
            if row.optionalString(4) != nil || row.optionalString(5) != nil {
                routes[route]!.targets.append(.init(ctid: row.optionalString(4), name: row.optionalString(5), code: row.optionalString(6)))
            }
        }
        var out: [Int64: [CredentialRoute]] = [:]
        for route in order { out[owner[route]!, default: []].append(routes[route]!) }
        return out
    }

    /// Replaces the routes of credential `id`.
    public func setRoutes(_ routes: [CredentialRoute], of id: Int64) throws {
        try db.execute("DELETE FROM credential_route WHERE credential_id = ?", id)
        for (position, route) in routes.enumerated() {
            let routeID = try db.scalar(
                Int64.self, "INSERT INTO credential_route (credential_id, position, name, note) VALUES (?, ?, ?, ?) RETURNING id",
                id, Int64(position), route.name, route.note)
            for (i, target) in route.targets.enumerated() {
                try db.execute("INSERT INTO credential_route_target (route_id, position, registry_ctid, name) VALUES (?, ?, ?, ?)",
                               routeID, Int64(i), target.ctid, target.name)
            }
        }
    }
}
