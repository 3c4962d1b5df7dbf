import CredfolioEngine

/// Stack sections of learner pages, kept for the next learner of the same
/// site with the same progress key. Everything in a section that is not a
/// goal's follows from the key, except two things, which are left as holes
/// and filled in for each learner: the mark of an unmet leaf (a lapsed or
/// unfinished credential of the learner's), and the total of a requirement
/// that counts any credential, with the credentials that make it. So a
/// section is rendered once per key and copied after. One
/// cache per thread; it stops keeping sections at ``byteLimit``, so memory
/// stays bounded however many learners there are (the first keys met are
/// usually the most common).
final class SectionCache {
    struct Section {
        let percent: Double, projected: Double
        let started: Bool
        /// The section, without what goes into its holes.
        let bytes: [UInt8]
        /// In order of their offsets into `bytes`.
        let holes: [Hole]
    }

    /// Where a learner's own text goes into a section.
    struct Hole {
        enum Kind { case mark, amount }
        let offset: Int
        let kind: Kind
        /// The requirement (node) it belongs to.
        let node: Int
    }

    let byteLimit: Int
    private(set) var bytesKept = 0
    /// How many sections were copied instead of rendered.
    private(set) var hits = 0
    private var sections: [ObjectIdentifier: [ProgressKey: Section]] = [:]

    init(byteLimit: Int) { self.byteLimit = byteLimit }

    /// Keeps no more, once a section did not fit: a section is then
    /// rendered for its learner alone, not as a template first.
    private(set) var isFull = false

    func section(of stack: CompiledStack, _ key: ProgressKey) -> Section? {
        let found = sections[ObjectIdentifier(stack)]?[key]
        if found != nil { hits += 1 }
        return found
    }

    func keep(_ section: Section, of stack: CompiledStack, _ key: ProgressKey) {
        let size = section.bytes.count + section.holes.count * MemoryLayout<Hole>.stride
        guard bytesKept + size <= byteLimit else {
            isFull = true
            return
        }
        bytesKept += size
        sections[ObjectIdentifier(stack), default: [:]][key] = section
    }
}
