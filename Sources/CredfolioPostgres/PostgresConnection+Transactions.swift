#if canImport(Glibc)
import Glibc
#endif

/// Transactions on PostgreSQL. A command's writes are one SERIALIZABLE
/// transaction: the server makes concurrent coaches' commands behave as if
/// they ran one after the other, or fails one of them with a serialization
/// failure (40001) or deadlock (40P01) that changed nothing, which is tried
/// again from the start. A read is one REPEATABLE READ, READ ONLY
/// transaction: one snapshot, which never blocks a writer and is never
/// failed by one.
extension PostgresConnection {
    public func transaction<T>(retrying: Bool, _ body: () throws -> T) throws -> T {
        try transaction(readOnly: false, retrying: retrying, body)
    }

    public func read<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth == 0 else { return try body() }
        return try transaction(readOnly: true, retrying: true, body)
    }

    /// Runs `body` in a transaction: the outermost call begins one and retries
    /// it while the server says it may and the busy timeout allows; nested
    /// calls are savepoints.
    ///
    /// `body` must be safe to run again from the start: everything it did in
    /// the database was rolled back, so it must not carry state from a failed
    /// attempt outside it.
    func transaction<T>(readOnly: Bool, retrying: Bool, _ body: () throws -> T) throws -> T {
        if transactionDepth > 0 { return try savepoint(body) }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(busyTimeoutMilliseconds))
        var attempt = 0
        while true {
            try run(script: readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL SERIALIZABLE")
            transactionDepth = 1
            do {
                let result = try body()
                try run(script: "COMMIT")
                transactionDepth = 0
                return result
            } catch let error as PostgresError where retrying && error.isRetryable && clock.now < deadline {
                rollback()
                attempt += 1
                // Back off a little more each time, with jitter, so that the same two commands do not collide again.
                usleep(UInt32(min(attempt, 20)) * 5_000 + UInt32.random(in: 0..<5_000))
            } catch {
                rollback()
                throw error
            }
        }
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        let name = "credfolio_\(transactionDepth)"
        try run(script: "SAVEPOINT \(name)")
        transactionDepth += 1
        do {
            let result = try body()
            transactionDepth -= 1
            try run(script: "RELEASE SAVEPOINT \(name)")
            return result
        } catch {
            transactionDepth -= 1
            _ = try? run(script: "ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    private func rollback() {
        transactionDepth = 0
        _ = try? run(script: "ROLLBACK")
    }
}
