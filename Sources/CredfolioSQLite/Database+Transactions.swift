import CSQLite

extension Database {
    /// Runs `body` in a read transaction: every query in it sees one state
    /// of the database, whatever other processes commit meanwhile (in WAL
    /// mode, the snapshot of its first read), and it takes no lock that a
    /// writer would wait for. Inside a transaction already, it runs `body`
    /// in that one.
    public func read<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth == 0 else { return try body() }
        return try transaction(immediate: false, body)
    }


    /// Runs `body` in a write transaction and commits when it returns; rolls
    /// back everything it did when it throws, then rethrows. Commands that
    /// only read use ``read(_:)`` instead.
    ///
    /// The outermost call opens an immediate transaction (so that a second
    /// writer waits at the start, not at the commit); nested calls open
    /// savepoints, so an inner failure that the caller catches undoes only
    /// the inner work.
    public func transaction<T>(retrying: Bool, _ body: () throws -> T) throws -> T {
        // SQLite never fails a transaction for running beside another: a
        // second writer waits for the lock (the busy timeout) at BEGIN.
        try transaction(immediate: !isReadOnly, body)
    }

    /// A transaction that takes the write lock at once (`immediate`), or
    /// only a read snapshot until it first writes (for reading one
    /// consistent state of a database this process cannot write).
    @discardableResult
    public func transaction<T>(immediate: Bool, _ body: () throws -> T) throws -> T {
        let depth = transactionDepth
        let savepoint = "credfolio_\(depth)"
        try execute(script: depth == 0 ? (immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED") : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        let result: T
        do {
            result = try body()
        } catch {
            transactionDepth = depth
            rollback(depth: depth, savepoint: savepoint)
            throw error
        }
        do {
            // SQLite may have rolled everything back on its own while the
            // body swallowed the error: then there is nothing to commit.
            try checkNotAborted(depth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
            try execute(script: depth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
        } catch {
            transactionDepth = depth
            rollback(depth: depth, savepoint: savepoint)
            throw error
        }
        transactionDepth = depth
        return result
    }

    private func rollback(depth: Int, savepoint: String) {
        // An error such as SQLITE_FULL may already have rolled the whole
        // transaction back; then there is nothing left to undo.
        if depth == 0 {
            if !isAutocommit { try? execute(script: "ROLLBACK") }
        } else if !isAutocommit {
            try? execute(script: "ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
        }
    }
}
