import Synchronization

/// Chunks numbered 0..<count, each taken by exactly one of the threads
/// that ask, in increasing order: a thread that finishes early takes more.
final class Claims: Sendable {
    let count: Int
    private let taken = Atomic<Int>(0)

    init(count: Int) { self.count = count }

    /// The next chunk nobody has taken, or nil when all are.
    func take() -> Int? {
        let i = taken.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < count ? i : nil
    }
}
