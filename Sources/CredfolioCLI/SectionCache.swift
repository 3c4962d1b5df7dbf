import CredfolioEngine

/// Stack sections of learner pages, kept for the next learner of the same
/// site with the same progress key: a section in which nothing is the
/// learner's own (see ``PortfolioPage``) is the same bytes for every
/// learner with that key, so it is rendered once and copied after. One
/// cache per thread; it stops keeping sections at ``byteLimit``, so memory
/// stays bounded however many learners there are (the first keys met are
/// usually the most common).
final class SectionCache {
    struct Section {
        let percent: Double, projected: Double
        let started: Bool
        let bytes: [UInt8]
    }

    let byteLimit: Int
    private(set) var bytesKept = 0
    /// How many sections were copied instead of rendered.
    private(set) var hits = 0
    private var sections: [ObjectIdentifier: [ProgressKey: Section]] = [:]

    init(byteLimit: Int) { self.byteLimit = byteLimit }

    func section(of stack: CompiledStack, _ key: ProgressKey) -> Section? {
        let found = sections[ObjectIdentifier(stack)]?[key]
        if found != nil { hits += 1 }
        return found
    }

    func keep(_ section: Section, of stack: CompiledStack, _ key: ProgressKey) {
        guard bytesKept + section.bytes.count <= byteLimit else { return }
        bytesKept += section.bytes.count
        sections[ObjectIdentifier(stack), default: [:]][key] = section
    }
}
