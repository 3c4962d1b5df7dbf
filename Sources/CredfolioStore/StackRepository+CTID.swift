import CredfolioCore

extension StackRepository {
    /// The code of the stack made from the pathway `ctid`, if any.
    public func code(ctid: String) throws -> String? {
        try db.scalar(String.self, "SELECT code FROM stack WHERE registry_ctid = ?", ctid)
    }

    /// Records that stack `code` is the pathway `ctid`.
    public func setCTID(_ ctid: String, of code: String) throws {
        try db.execute("UPDATE stack SET registry_ctid = ? WHERE code = ?", try Field.ctid(ctid), code)
    }
}
