import CredfolioStore
import CredfolioCore
import CredfolioSystem
import CredfolioApp
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
/// part, which more learners share. One cache serves every thread of a
/// site (behind a lock), so a key is rendered once, not once a thread; it
/// stops keeping sections at ``byteLimit``, so memory stays bounded however
/// many learners there are (the first keys met are usually the most common).
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
        /// Where its holes are, in order of their offsets into `bytes`.
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
        /// every thread renders with the same portfolio, so a position names one stack.
        var sections: [ProgressKeyTable<Section>] = []
        /// By position, then the key's current part.
        var bodies: [ProgressKeyTable<Body>] = []

        mutating func makeRoom(for position: Int) {
            if position >= sections.count { sections += Array(repeating: ProgressKeyTable(), count: position + 1 - sections.count) }
            if position >= bodies.count { bodies += Array(repeating: ProgressKeyTable(), count: position + 1 - bodies.count) }
        }

        /// Counts `size` bytes as kept, or marks the cache full when they do not fit.
        mutating func room(for size: Int, limit: Int) -> Bool {
            guard bytesKept + size <= limit else {
                isFull = true
                return false
            }
            bytesKept += size
            return true
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

    /// What ``lookUp(_:)`` finds for one stack of a page.
    ///
    /// A struct, not a tuple: an array of tuples of optionals is destroyed
    /// through the runtime's generic tuple witness, element by element
    /// (callgrind: 53 million instructions fewer a site of 20,000 learners).
    struct Kept {
        let section: Section?
        let body: Body?
    }

    /// What is kept for a page's stacks, under one lock: for each
    /// `(position, key)`, the section of the stack at `position` for a
    /// learner whose key is `key`, and its body (kept by the key's current
    /// part).
    func lookUp(_ requests: [(position: Int, key: ProgressKey)]) -> [Kept] {
        state.withLock { state in
            requests.map { position, key in
                guard position < state.sections.count, position < state.bodies.count else { return Kept(section: nil, body: nil) }
                let section = state.sections[position][key]
                if section != nil { state.hits += 1 }
                return Kept(section: section, body: state.bodies[position][key.current])
            }
        }
    }

    /// Keeps `bytes` as the section of the stack at `position` for learners whose key is `key`.
    func keep(percent: Double, projected: Double, started: Bool, bytes: [UInt8], of position: Int, _ key: ProgressKey) {
        state.withLock { state in
            guard state.room(for: bytes.count, limit: byteLimit) else { return }
            state.makeRoom(for: position)
            state.sections[position][key] = Section(percent: percent, projected: projected, started: started, bytes: bytes)
        }
    }

    /// Keeps `bytes` and `holes` as the body for learners whose key's current part is `key`'s.
    func keep(body bytes: [UInt8], holes: [Hole], of position: Int, _ key: ProgressKey) {
        state.withLock { state in
            guard state.room(for: bytes.count + holes.count * MemoryLayout<Hole>.stride, limit: byteLimit) else { return }
            state.makeRoom(for: position)
            state.bodies[position][key.current] = Body(bytes: bytes, holes: holes)
        }
    }
}
