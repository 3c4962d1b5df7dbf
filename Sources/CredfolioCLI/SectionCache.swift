import CredfolioEngine
import Synchronization

/// Stack sections of learner pages, kept for the next learner of the same
/// site with the same progress key. Everything in a section that is not a
/// goal's follows from the key, except two things, which are left as holes
/// and filled in for each learner: the mark of an unmet leaf (a lapsed or
/// unfinished credential of the learner's), and the total of a requirement
/// that counts any credential, with the credentials that make it. So a
/// section is rendered once per key and copied after: its heading and bar
/// once per key, its body (tree, missing items) once per key's current
/// part, which more learners share. One cache serves both
/// threads of a site (behind a lock), so a key is rendered once, not once a
/// thread; it stops keeping sections at ``byteLimit``, so memory stays
/// bounded however many learners there are (the first keys met are usually
/// the most common).
final class SectionCache: Sendable {
    /// For a stack begun, its heading and bar (the part the whole key
    /// decides, with the projection); for a stack not begun, its row of the
    /// "not started" table.
    struct Section: Sendable {
        let percent: Double, projected: Double
        let started: Bool
        /// Nothing in them is the learner's own: they have no holes.
        let bytes: [UInt8]
    }

    /// The rest of a begun stack's section: its explained tree, what is
    /// missing, and its end. It follows from what the learner holds now,
    /// so it is kept by the key's current part (``ProgressKey/current``),
    /// which learners who differ only in what they have under way share.
    struct Body: Sendable {
        /// Without what goes into its holes.
        let bytes: [UInt8]
        /// In order of their offsets into `bytes`.
        let holes: [Hole]
    }

    /// Where a learner's own text goes into a section's body.
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
        /// By the stack's position in the portfolio's stacks (code order):
        /// each thread compiles its own stacks, from one state of the
        /// database and in the same order, so a position names one stack.
        var sections: [ProgressKeyTable<Section>] = []
        /// By position, then the key's current part.
        var bodies: [ProgressKeyTable<Body>] = []

        mutating func makeRoom(for position: Int) {
            if position >= sections.count { sections += Array(repeating: ProgressKeyTable(), count: position + 1 - sections.count) }
            if position >= bodies.count { bodies += Array(repeating: ProgressKeyTable(), count: position + 1 - bodies.count) }
        }
    }

    let byteLimit: Int
    private let state = Mutex(State())

    init(byteLimit: Int) { self.byteLimit = byteLimit }

    /// How many sections were copied instead of rendered.
    var hits: Int { state.withLock { $0.hits } }

    /// Keeps no more, once a section did not fit: a section is then
    /// rendered for its learner alone, not as a template first.
    var isFull: Bool { state.withLock { $0.isFull } }

    /// The section of the stack at `position` for a learner whose key is `key`.
    func section(of position: Int, _ key: ProgressKey) -> Section? {
        state.withLock { state in
            guard position < state.sections.count, let found = state.sections[position][key] else { return nil }
            state.hits += 1
            return found
        }
    }

    func keep(_ section: Section, of position: Int, _ key: ProgressKey) {
        let size = section.bytes.count
        state.withLock { state in
            guard Self.room(for: size, in: &state, limit: byteLimit) else { return }
            state.makeRoom(for: position)
            state.sections[position][key] = section
        }
    }

    /// The body of the section of the stack at `position` for a learner whose key is `key`.
    func body(of position: Int, _ key: ProgressKey) -> Body? {
        state.withLock { state in
            guard position < state.bodies.count else { return nil }
            return state.bodies[position][key.current]
        }
    }

    func keep(_ body: Body, of position: Int, _ key: ProgressKey) {
        let size = body.bytes.count + body.holes.count * MemoryLayout<Hole>.stride
        state.withLock { state in
            guard Self.room(for: size, in: &state, limit: byteLimit) else { return }
            state.makeRoom(for: position)
            state.bodies[position][key.current] = body
        }
    }

    /// Counts `size` bytes as kept, or marks the cache full when they do not fit.
    private static func room(for size: Int, in state: inout State, limit: Int) -> Bool {
        guard state.bytesKept + size <= limit else {
            state.isFull = true
            return false
        }
        state.bytesKept += size
        return true
    }
}
