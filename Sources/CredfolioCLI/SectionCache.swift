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
///
/// What it keeps lives in memory of its own, written once (under the lock,
/// before it is published) and never moved, changed or freed until the
/// cache goes: a lookup hands out where the bytes are, not an array. An
/// array handed out is retained and released by whichever thread reads it,
/// and those counts, on memory both threads share, bounced between the two
/// cores: about a twentieth of a site's time.
final class SectionCache: Sendable {
    /// Bytes the cache keeps: where they are in its memory. Valid as long
    /// as the cache is (a page holds the cache).
    struct Bytes: Sendable {
        /// The address, as a number: the cache owns the memory.
        fileprivate let address: Int
        let count: Int

        func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try body(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count))
        }
    }

    /// For a stack begun, its heading and bar (the part the whole key
    /// decides, with the projection); for a stack not begun, its row of the
    /// "not started" table.
    struct Section: Sendable {
        let percent: Double, projected: Double
        let started: Bool
        /// Nothing in them is the learner's own: they have no holes.
        let bytes: Bytes
    }

    /// The rest of a begun stack's section: its explained tree, what is
    /// missing, and its end. It follows from what the learner holds now,
    /// so it is kept by the key's current part (``ProgressKey/current``),
    /// which learners who differ only in what they have under way share.
    struct Body: Sendable {
        /// Without what goes into its holes.
        let bytes: Bytes
        /// Where its holes are (in order of their offsets into `bytes`), and how many.
        fileprivate let holesAddress: Int
        let holeCount: Int

        func withHoles<R>(_ body: (UnsafeBufferPointer<Hole>) throws -> R) rethrows -> R {
            try body(UnsafeBufferPointer(start: UnsafePointer<Hole>(bitPattern: holesAddress), count: holeCount))
        }
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
        /// The memory kept bytes and holes are written to, in blocks
        /// filled in turn; freed with the cache.
        var blocks: [UnsafeMutableRawPointer] = []
        /// Room left in the last block, from `next` on.
        var next: UnsafeMutableRawPointer?
        var room = 0

        mutating func makeRoom(for position: Int) {
            if position >= sections.count { sections += Array(repeating: ProgressKeyTable(), count: position + 1 - sections.count) }
            if position >= bodies.count { bodies += Array(repeating: ProgressKeyTable(), count: position + 1 - bodies.count) }
        }

        /// `size` bytes of kept memory, aligned to eight: from the last
        /// block, or a new one (64 KiB, or the size if larger).
        mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer {
            let needed = (size + 7) & ~7
            if needed > room || next == nil {
                let blockSize = Swift.max(needed, 64 * 1024)
                let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 8)
                blocks.append(block)
                next = block
                room = blockSize
            }
            let at = next!
            next = at + needed
            room -= needed
            return at
        }

        /// Copies `source` (the caller's bytes) into kept memory.
        mutating func keep(_ source: Bytes) -> Bytes {
            let at = allocate(source.count)
            source.withUnsafeBytes { if let base = $0.baseAddress, source.count > 0 { at.copyMemory(from: base, byteCount: source.count) } }
            return Bytes(address: Int(bitPattern: at), count: source.count)
        }
    }

    let byteLimit: Int
    private let state = Mutex(State())

    init(byteLimit: Int) { self.byteLimit = byteLimit }

    deinit {
        state.withLock { state in
            for block in state.blocks { block.deallocate() }
            state.blocks = []
        }
    }

    /// How many sections were copied instead of rendered.
    var hits: Int { state.withLock { $0.hits } }

    /// Keeps no more, once a section did not fit: a section is then
    /// rendered for its learner alone, not as a template first.
    var isFull: Bool { state.withLock { $0.isFull } }

    /// What is kept for a page's stacks, under one lock: for each
    /// `(position, key)`, the section of the stack at `position` for a
    /// learner whose key is `key`, and its body (kept by the key's current
    /// part). A page asks once, not twice a stack: the lock's memory moved
    /// between the two cores at every turn.
    func lookUp(_ requests: [(position: Int, key: ProgressKey)]) -> [(section: Section?, body: Body?)] {
        var found: [(section: Section?, body: Body?)] = []
        found.reserveCapacity(requests.count)
        state.withLock { state in
            for (position, key) in requests {
                guard position < state.sections.count, position < state.bodies.count else {
                    found.append((nil, nil))
                    continue
                }
                let section = state.sections[position][key]
                if section != nil { state.hits += 1 }
                found.append((section, state.bodies[position][key.current]))
            }
        }
        return found
    }

    /// Keeps a copy of `bytes` as the section of the stack at `position` for learners whose key is `key`.
    func keep(percent: Double, projected: Double, started: Bool, bytes: UnsafeRawBufferPointer, of position: Int, _ key: ProgressKey) {
        // Handed into the lock as an address: the caller's buffer is read there, not kept.
        let source = Bytes(address: Int(bitPattern: bytes.baseAddress), count: bytes.count)
        state.withLock { state in
            guard Self.room(for: source.count, in: &state, limit: byteLimit) else { return }
            state.makeRoom(for: position)
            state.sections[position][key] = Section(percent: percent, projected: projected, started: started,
                                                    bytes: state.keep(source))
        }
    }

    /// Keeps a copy of `bytes` and `holes` as the body for learners whose key's current part is `key`'s.
    func keep(body bytes: UnsafeRawBufferPointer, holes: UnsafeBufferPointer<Hole>, of position: Int, _ key: ProgressKey) {
        // Handed into the lock as addresses: the caller's buffers are read there, not kept.
        let source = Bytes(address: Int(bitPattern: bytes.baseAddress), count: bytes.count)
        let holesSource = Body(bytes: source, holesAddress: Int(bitPattern: holes.baseAddress), holeCount: holes.count)
        let holesSize = holes.count * MemoryLayout<Hole>.stride
        state.withLock { state in
            guard Self.room(for: source.count + holesSize, in: &state, limit: byteLimit) else { return }
            state.makeRoom(for: position)
            let kept = state.keep(source)
            let at = state.allocate(holesSize).bindMemory(to: Hole.self, capacity: holesSource.holeCount)
            holesSource.withHoles { if let base = $0.baseAddress { at.initialize(from: base, count: $0.count) } }
            state.bodies[position][key.current] = Body(bytes: kept, holesAddress: Int(bitPattern: at), holeCount: holesSource.holeCount)
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
