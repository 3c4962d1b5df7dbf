import CredfolioCore
#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread running one closure, whose value or error ``join``
/// returns. The closure shares nothing mutable with the caller: it takes
/// `Sendable` values, and its result comes back through `pthread_join`.
struct Worker<Value: Sendable> {
    private final class Outcome: Sendable {
        let result: Result<Value, CredfolioError>
        init(_ result: Result<Value, CredfolioError>) { self.result = result }
    }

    private let thread: pthread_t

    static func start(_ work: @escaping @Sendable () throws -> Value) throws -> Worker {
        let job = ThreadJob {
            let result: Result<Value, CredfolioError>
            do {
                result = .success(try work())
            } catch let error as CredfolioError {
                result = .failure(error)
            } catch {
                result = .failure(.invalid("\(error)"))
            }
            return Unmanaged.passRetained(Outcome(result)).toOpaque()
        }
        return Worker(thread: try job.start())
    }

    /// Waits for the thread; its value, or the error it threw.
    func join() throws(CredfolioError) -> Value {
        var raw: UnsafeMutableRawPointer?
        pthread_join(thread, &raw)
        return try Unmanaged<Outcome>.fromOpaque(raw!).takeRetainedValue().result.get()
    }
}

/// What a thread runs: not generic, since a C entry point cannot capture a
/// generic parameter. Its closure returns the thread's retained result.
private final class ThreadJob: Sendable {
    let work: @Sendable () -> UnsafeMutableRawPointer

    init(_ work: @escaping @Sendable () -> UnsafeMutableRawPointer) { self.work = work }

    func start() throws -> pthread_t {
        var thread = pthread_t()
        let job = Unmanaged.passRetained(self).toOpaque()
        let code = pthread_create(&thread, nil, { raw in
            Unmanaged<ThreadJob>.fromOpaque(raw!).takeRetainedValue().work()
        }, job)
        guard code == 0 else {
            Unmanaged<ThreadJob>.fromOpaque(job).release()
            throw CredfolioError.invalid("cannot start a thread: \(String(cString: strerror(code)))")
        }
        return thread
    }
}
