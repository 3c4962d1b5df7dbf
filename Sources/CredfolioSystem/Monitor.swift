import Glibc

/// State that threads share, reached only under its lock, with a condition
/// to wait on until another thread changes it.
///
/// `@unchecked Sendable`, and why that is sound: `state` is read and
/// written only inside ``withLock(_:)`` and ``wait(until:then:)``, while the
/// pthread mutex is held, and `State` is itself `Sendable`, so what goes in
/// and comes out may cross threads. The mutex and the condition are
/// allocated once, never move, and are destroyed in `deinit`, when no
/// thread holds a reference any more.
public final class Monitor<State: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var state: State

    public init(_ state: State) {
        self.state = state
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` on the state under the lock, then wakes every waiter.
    @discardableResult
    public func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Waits until `ready` holds, then runs `body` under the same hold of
    /// the lock, and wakes every waiter.
    public func wait<R>(until ready: (State) -> Bool, then body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        while !ready(state) { pthread_cond_wait(condition, mutex) }
        return try body(&state)
    }
}
