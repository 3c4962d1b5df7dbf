import CredfolioSQL
public import CredfolioCore

extension LearnerRepository {
    /// The learner's email and every other address they have.
    public func emails(of learner: Learner) throws -> [String] {
        var out = learner.email.map { [$0] } ?? []
        out += try db.fetch("SELECT address FROM learner_email WHERE learner_id = ? ORDER BY lower(address)", [.integer(learner.id!)]) {
            $0.string(0)
        }
        return out
    }

    /// The learner's addresses besides the main one, sorted.
    func otherEmails(_ id: Int64) throws -> [String] {
        try db.fetch("SELECT address FROM learner_email WHERE learner_id = ? ORDER BY lower(address)", [.integer(id)]) { $0.string(0) }
    }

    /// Replaces the learner's other addresses with `addresses`.
    func setOtherEmails(_ id: Int64, _ addresses: [String]) throws {
        try db.execute("DELETE FROM learner_email WHERE learner_id = ?", id)
        for address in addresses {
            try db.execute("INSERT INTO learner_email (learner_id, address) VALUES (?, ?) ON CONFLICT DO NOTHING", id, address)
        }
    }

    /// Adds an address the learner's badges may be issued to.
    public func addEmail(_ handle: String, _ address: String) throws {
        let learner = try get(handle)
        guard let address = try Field.email(address, "address") else { throw CredfolioError.invalid("address is empty") }
        if try emails(of: learner).contains(where: { $0.lowercased() == address.lowercased() }) {
            throw CredfolioError.conflict("learner \(handle) already has \(address)")
        }
        try db.execute("INSERT INTO learner_email (learner_id, address) VALUES (?, ?)", learner.id!, address)
    }

    public func removeEmail(_ handle: String, _ address: String) throws {
        let learner = try get(handle)
        // Addresses compare without regard to (ASCII) case, on both engines.
        let removed = try db.execute("DELETE FROM learner_email WHERE learner_id = ? AND lower(address) = lower(?)", learner.id!, address)
        guard removed == 1 else { throw CredfolioError.notFound("learner \(handle) has no other address \(Field.quoted(address))") }
    }
}

/// The original of an imported badge, for `award show` and `export badge`.
