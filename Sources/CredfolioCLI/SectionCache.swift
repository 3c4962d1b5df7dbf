import CredfolioEngine
import Synchronization

/// Stack sections of learner pages, kept for the next learner of the same
/// site with the same progress key. Everything in a section that is not a
/// goal's follows from the key, except two things, which are left as holes
/// and filled in for each learner: the mark of an unmet leaf (a lapsed or
/// unfinished credential of the learner's), and the total of a requirement
/// that counts any credential, with the credentials that make it. So a
/// section is rendered once per key and copied after. One cache serves both
/// threads of a site (behind a lock), so a key is rendered once, not once a
/// thread; it stops keeping sections at ``byteLimit``, so memory stays
/// bounded however many learners there are (the first keys met are usually
/// the most common).
final class SectionCache: Sendable {
    struct Section: Sendable {
        let percent: Double, projected: Double
        let started: Bool
        /// The section, without what goes into its holes.
        let bytes: [UInt8]
        /// In order of their offsets into `bytes`.
        let holes: [Hole]
    }

    /// Where a learner's own text goes into a section.
    struct Hole: Sendable {
        enum Kind: Sendable { case mark, amount }
        let offset: Int
        let kind: Kind
        /// The requirement (node) it belongs to.
        let node: Int
    }

    private struct State {
        var bytesKept = 0
        var hits = 0
        var isFull = false
        /// By stack code: each thread compiles its own stacks.
        var sections: [String: [ProgressKey: Section]] = [:]
    }

    let byteLimit: Int
    private let state = Mutex(State())

    init(byteLimit: Int) { self.byteLimit = byteLimit }

    /// How many sections were copied instead of rendered.
    var hits: Int { state.withLock { $0.hits } }

    /// Keeps no more, once a section did not fit: a section is then
    /// rendered for its learner alone, not as a template first.
    var isFull: Bool { state.withLock { $0.isFull } }

    func section(of stack: CompiledStack, _ key: ProgressKey) -> Section? {
        state.withLock { state in
            let found = state.sections[stack.definition.code]?[key]
            if found != nil { state.hits += 1 }
            return found
        }
    }

    func keep(_ section: Section, of stack: CompiledStack, _ key: ProgressKey) {
        let size = section.bytes.count + section.holes.count * MemoryLayout<Hole>.stride
        state.withLock { state in
            guard state.bytesKept + size <= byteLimit else {
                state.isFull = true
                return
            }
            state.bytesKept += size
            state.sections[stack.definition.code, default: [:]][key] = section
        }
    }
}
