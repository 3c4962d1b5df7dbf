import CredfolioCore
import Synchronization
import Glibc

/// A POSIX thread running one closure. ``join()`` waits for it and returns
/// the closure's value, or rethrows its error as it was thrown (a busy
/// database stays a busy database).
public struct Worker<Value: Sendable> {
    /// Where the thread leaves its result for ``join()``.
    private final class Outcome: Sendable {
        let result = Mutex<Result<Value, any Error>?>(nil)
    }

    private let thread: pthread_t
    private let outcome: Outcome

    /// Starts `work` on a thread of its own.
    public static func start(_ work: @escaping @Sendable () throws -> Value) throws -> Worker {
        let outcome = Outcome()
        let thread = try Thread.spawn {
            let result = Result { try work() }
            outcome.result.withLock { $0 = result }
        }
        return Worker(thread: thread, outcome: outcome)
    }

    /// Waits for the thread to end; its value, or the error it threw.
    public func join() throws -> Value {
        pthread_join(thread, nil)
        guard let result = outcome.result.withLock({ $0 }) else {
            throw CredfolioError.invalid("a worker thread ended without a result")
        }
        return try result.get()
    }
}

/// Starting a POSIX thread: the one place a closure crosses into C.
private enum Thread {
    /// What the thread runs, handed to `pthread_create` as its argument.
    private final class Start: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func spawn(_ body: @escaping @Sendable () -> Void) throws -> pthread_t {
        var thread = pthread_t()
        // One retain travels with the pointer and is taken back by the thread (or here, if it never starts).
        let start = Unmanaged.passRetained(Start(body)).toOpaque()
        let code = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<Start>.fromOpaque(argument).takeRetainedValue().body()
            return nil
        }, start)
        guard code == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            throw CredfolioError.invalid("cannot start a thread: \(String(cString: strerror(code)))")
        }
        return thread
    }
}
