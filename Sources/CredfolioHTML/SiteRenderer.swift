import Synchronization
import CredfolioCore
import CredfolioSystem
import CredfolioEngine
import CredfolioApp
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

/// One worker's share of a site (``SiteReport``): for each learner of a
/// chunk it writes the learner's page at once (pages are files of their
/// own, so any thread may write them), and renders the rows that go into
/// the shared, ordered pages, for the writing thread to put in place.
struct SiteRenderer {
    let portfolio: Portfolio
    let rows: CohortRows
    let settings: CohortRows.Settings
    let folder: String
    private let solver: any MILPSolver
    /// Shared with the other threads; nil when sections are not shared (a test compares the two).
    private let cache: SectionCache?
    /// This thread's own: the credentials-table cells of each credential,
    /// rendered once; nil, as `cache` is, when nothing is shared (a test compares the two).
    private let cells: CredentialCells?
    /// `folder/learners`, held open: each learner's page is opened in it by name.
    private let learnersFolder: OpenFolder
    private var rowWriter = SiteRowWriter()
    /// Each learner's page in turn, emptied in between (its capacity kept).
    private var pageBuffer = HTML()
    /// The floor of the rows closest to done, shared by every thread: rows below it cannot be among them.
    private let closestFloor: ClosestFloor
    /// Buffers of chunks already written, for this chunk's parts.
    private let buffers: ChunkBuffers

    init(portfolio: Portfolio, settings: CohortRows.Settings, folder: String, threads: Int, cache: SectionCache?,
         buffers: ChunkBuffers, closestFloor: ClosestFloor, solver: any MILPSolver) throws {
        self.closestFloor = closestFloor
        self.solver = solver
        self.buffers = buffers
        self.cache = cache
        cells = cache == nil ? nil : CredentialCells(credentials: portfolio.catalog.count)
        learnersFolder = try OpenFolder(folder + "/learners")
        self.portfolio = portfolio
        self.settings = settings
        self.folder = folder
        let rows = CohortRows(portfolio: portfolio, settings: settings, solver: solver)
        rows.memoCapacity = threads == 0 ? CohortRows.memoLimit : CohortRows.memoLimit / (2 * (threads + 1))
        self.rows = rows
    }

    /// Writes the page of every learner in `chunk`, and renders the chunk's rows.
    mutating func render(_ chunk: [LearnerAwards]) throws -> SiteRows {
        let stackCount = portfolio.stacks.count
        var overview = buffers.take(part: 0)
        var stackParts = (0..<stackCount).map { buffers.take(part: 1 + $0) }
        var learnerStarts: [Int] = []
        var tally = SiteTally(stacks: stackCount, closestFloor: closestFloor.value)
        let day = settings.day
        let horizon = day.adding(days: SiteReport.expiringDays) ?? Day.last
        // Both closures write to these, and both are handed over at once, so neither can reach `self` mutably:
        // locals, moved out of `self` and back (a copy would copy the writer's kept fragments at its first change).
        var writer = SiteRowWriter(), html = HTML()
        swap(&writer, &rowWriter)
        swap(&html, &pageBuffer)
        defer {
            swap(&writer, &rowWriter)
            swap(&html, &pageBuffer)
        }
        let (portfolio, settings, folder, solver, cache, cells, learnersFolder) = (portfolio, settings, folder, solver, cache, cells,
                                                                                   learnersFolder)
        try rows.forEach(chunk, learner: { entry, facts, details, holdings, worked in
            // Between pages: a Ctrl-C stops the site here, every page whole.
            try Interruption.check()
            let learner = entry.learner
            tally.learners += 1
            learnerStarts.append(overview.count)
            let context = try LearnerPortfolio(portfolio: portfolio, learner: learner, facts: facts, day: day,
                                               goals: settings.allStacks ? [] : settings.goals[learner.id!] ?? [],
                                               startedOn: details.startedOn)
            let page = try PortfolioPage(context: context, stacks: [], solver: solver, inSite: true, cache: cache, cells: cells,
                                         awards: details.records, verifications: entry.verifications, holdings: holdings)
            let name = SitePath.fileName(learner.handle) + ".html"
            let sink = try SiteReport.create(at: learnersFolder, name, path: folder + "/learners/" + name, buffered: false)
            html.removeAll()
            page.render(into: &html)
            html.withUnsafeBufferPointer { sink.write(bytes: $0) }
            try sink.finishReplacing()
            page.handProgress(to: &worked)
            for (credential, held) in context.standing.held {
                guard let expires = held.expires, expires >= day, expires <= horizon else { continue }
                let c = portfolio.catalog[credential]
                tally.expiring.append(SiteTally.Expiring(expires: expires, handle: learner.handle, name: learner.name,
                                                                credential: c.code, title: c.title))
            }
        }) { row, outlook, place in
            tally.histograms[place.stack].add(row.percent, complete: row.complete)
            let start = overview.count
            writer.rows(row, outlook, place, overview: &overview, stackPage: &stackParts[place.stack])
            if !row.complete {
                tally.closest.offer(percent: row.percent, projected: row.projectedPercent, handle: row.handle, stack: place.stack,
                                    bytes: overview.copy(from: start))
            }
        }
        closestFloor.raise(to: tally.closest.floor)
        return SiteRows(parts: [overview] + stackParts, learnerStarts: learnerStarts, tally: tally)
    }

    /// A row of the learners table: the same values as `report cohort`'s row.
    /// The plain form of what ``SiteRowWriter`` writes (and is tested against).
    static func learnerRow(_ html: inout HTML, _ row: CohortRow, _ outlook: CohortRows.Outlook?) {
        html.raw("<tr><td>")
        html.internalLink(SitePath.learner(row.handle), row.name)
        html.raw("</td><td>")
        html.internalLink(SitePath.stack(row.stack), row.stack)
        html.raw("</td><td>")
        HTMLPage.bar(&html, percent: row.percent, projected: row.projectedPercent)
        html.raw("</td><td>")
        flags(&html, row, outlook)
        html.raw("</td><td>")
        if let target = outlook?.target { html.day(target) }
        html.raw("</td><td>")
        if let last = row.lastEarned { html.day(last) }
        html.raw("</td></tr>\n")
    }

    /// A row of a stack page's table of where each learner stands; the plain
    /// form of what ``SiteRowWriter`` writes.
    static func stackRow(_ html: inout HTML, _ row: CohortRow, _ outlook: CohortRows.Outlook?) {
        html.raw("<tr><td>")
        html.internalLink(SitePath.learner(row.handle, from: 1), row.name)
        html.raw("</td><td>")
        HTMLPage.bar(&html, percent: row.percent, projected: row.projectedPercent)
        html.raw("</td><td>")
        flags(&html, row, outlook)
        html.raw("</td><td>")
        html.text(row.missing)
        html.raw("</td></tr>\n")
    }

    /// Complete, stalled, on or off track: in words.
    static func flags(_ html: inout HTML, _ row: CohortRow, _ outlook: CohortRows.Outlook?) {
        if row.complete { HTMLPage.flag(&html, "done", "complete") }
        if row.stalled { HTMLPage.flag(&html, "stalled", "stalled") }
        switch outlook?.status {
        case .offTrack?: HTMLPage.flag(&html, "off", "off track")
        case .onTrack?: HTMLPage.flag(&html, "on", "on track")
        default: break
        }
    }
}

/// The rows of a site's overview and stack pages, as ``SiteRenderer/learnerRow(_:_:_:)``
/// and ``SiteRenderer/stackRow(_:_:_:)`` write them, with what repeats
/// rendered once: a learner's links and date for all of the learner's rows,
/// a stack's link for all of its rows, and the bar and what is missing for
/// every row with the same progress key (``CohortRows/Place/slot``).
struct SiteRowWriter {
    private var learner = -1
    /// The learner's fragments, one after another (emptied for each learner): ranges into it.
    private var learnerBytes = ByteBuffer()
    private var link = 0..<0, linkUp = 0..<0, lastEarned = 0..<0
    private var stackLinks: [[UInt8]?] = []
    /// Every slot's fragments, one after another, and by slot where its bar
    /// and what is missing are: one growing buffer, not two arrays a slot
    /// (an array's allocation looks its element type's metadata up at run time).
    private var slotBytes = ByteBuffer()
    private var slots: [(bar: Range<Int>, missing: Range<Int>)?] = []
    /// A row's bar and what is missing when its key has no slot (rendered for it alone).
    private var unslotted = ByteBuffer()
    private var html = HTML()

    mutating func rows(_ row: CohortRow, _ outlook: CohortRows.Outlook?, _ place: CohortRows.Place,
                       overview: inout ByteBuffer, stackPage: inout ByteBuffer) {
        if place.learner != learner {
            learner = place.learner
            learnerBytes.removeAll()
            link = Self.append(to: &learnerBytes, &html) { $0.internalLink(SitePath.learner(row.handle), row.name) }
            linkUp = Self.append(to: &learnerBytes, &html) { $0.internalLink(SitePath.learner(row.handle, from: 1), row.name) }
            lastEarned = Self.append(to: &learnerBytes, &html) { html in row.lastEarned.map { html.day($0) } }
        }
        if place.stack >= stackLinks.count { stackLinks += Array(repeating: nil, count: place.stack + 1 - stackLinks.count) }
        if stackLinks[place.stack] == nil {
            html.removeAll()
            html.internalLink(SitePath.stack(row.stack), row.stack)
            stackLinks[place.stack] = html.exactBytes
        }
        let bar: Range<Int>, missingText: Range<Int>
        if let slot = place.slot {
            if slot < slots.count, let known = slots[slot] {
                (bar, missingText) = known
            } else {
                bar = Self.append(to: &slotBytes, &html) { HTMLPage.bar(&$0, percent: row.percent, projected: row.projectedPercent) }
                missingText = Self.append(to: &slotBytes, &html) { $0.text(row.missing) }
                // Slots come in order, so this is usually one more.
                while slot >= slots.count { slots.append(nil) }
                slots[slot] = (bar, missingText)
            }
        } else {
            unslotted.removeAll()
            bar = Self.append(to: &unslotted, &html) { HTMLPage.bar(&$0, percent: row.percent, projected: row.projectedPercent) }
            missingText = Self.append(to: &unslotted, &html) { $0.text(row.missing) }
        }
        let fragments = place.slot == nil ? unslotted : slotBytes
        // The flags, in the scratch writer: copied into both rows, not kept, so not allocated a row.
        html.removeAll()
        if row.complete || row.stalled || outlook != nil { SiteRenderer.flags(&html, row, outlook) }
        overview.append("<tr><td>")
        overview.append(learnerBytes, link)
        overview.append("</td><td>")
        overview.append(stackLinks[place.stack]!)
        overview.append("</td><td>")
        overview.append(fragments, bar)
        overview.append("</td><td>")
        overview.append(html.buffer)
        overview.append("</td><td>")
        if let target = outlook?.target { target.withISOBytes { overview.append($0) } }
        overview.append("</td><td>")
        overview.append(learnerBytes, lastEarned)
        overview.append("</td></tr>\n")
        stackPage.append("<tr><td>")
        stackPage.append(learnerBytes, linkUp)
        stackPage.append("</td><td>")
        stackPage.append(fragments, bar)
        stackPage.append("</td><td>")
        stackPage.append(html.buffer)
        stackPage.append("</td><td>")
        stackPage.append(fragments, missingText)
        stackPage.append("</td></tr>\n")
    }

    /// Renders a fragment with the scratch writer and appends it to `bytes`; returns where it is.
    private static func append(to bytes: inout ByteBuffer, _ html: inout HTML, _ body: (inout HTML) -> Void) -> Range<Int> {
        html.removeAll()
        body(&html)
        let start = bytes.count
        bytes.append(html.buffer)
        return start..<bytes.count
    }
}

/// A chunk's rows, rendered: part 0 for the overview's learners table,
/// part 1 + s for the page of the stack at position s in code order; and
/// what they add up to.
struct SiteRows: Sendable {
    var parts: [ByteBuffer]
    /// Where each learner's rows begin in part 0.
    var learnerStarts: [Int] = []
    var tally: SiteTally

    /// Part `i`'s content.
    func withPart<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try parts[i].withUnsafeBufferPointer(body)
    }
}

/// The buffers of chunks already placed, by part, for the next chunks to
/// render into: their room is reused, instead of being allocated, filled
/// with zeros and grown again for every chunk. Every part keeps its own
/// list, so a buffer grows only as large as its part needs; at most as
/// many buffers as chunks in flight are kept.
final class ChunkBuffers: Sendable {
    private let free = Mutex<[Int: [ByteBuffer]]>([:])

    /// An empty buffer for part `part`, with the room of one used before, if any.
    func take(part: Int) -> ByteBuffer {
        free.withLock { $0[part]?.popLast() } ?? ByteBuffer()
    }

    /// Takes back the buffers of a chunk that has been placed. Each is moved
    /// into the pool under its lock: when `parts` held the only references, a
    /// thread that takes one holds the only reference, and writes into it
    /// in place (another reference would make its first write a copy).
    func giveBack(_ parts: consuming [ByteBuffer]) {
        free.withLock { free in
            while var buffer = parts.popLast() {
                buffer.removeAll()
                free[parts.count, default: []].append(buffer)
            }
        }
    }
}

/// What the rows of a site add up to, per thread, then merged: the
/// overview's histograms, what lapses soon, the rows closest to done, and
/// how many learners.
public struct SiteTally: Sendable {
    /// By the stack's position in code order.
    var histograms: [PercentHistogram]
    var expiring: [Expiring] = []
    var closest: ClosestRows
    public internal(set) var learners = 0
    /// Stack sections of learner pages copied from another learner's page.
    var sharedSections = 0

    init(stacks: Int, closestFloor: (UInt16, UInt16)? = nil) {
        histograms = Array(repeating: PercentHistogram(), count: stacks)
        closest = ClosestRows(limit: SiteReport.closestRows, floor: closestFloor)
    }

    /// A held credential that lapses within the site's horizon.
    struct Expiring: Comparable, Sendable {
        let expires: Day
        let handle: String
        let name: String
        let credential: String
        let title: String
        static func < (a: Expiring, b: Expiring) -> Bool {
            (a.expires, a.handle, a.credential) < (b.expires, b.handle, b.credential)
        }
    }

    mutating func merge(_ other: SiteTally) {
        for i in histograms.indices where i < other.histograms.count { histograms[i].merge(other.histograms[i]) }
        expiring += other.expiring
        closest.merge(other.closest)
        learners += other.learners
        sharedSections += other.sharedSections
    }
}

/// The floor of the rows closest to done (``ClosestRows/floor``) that any
/// thread of a site has found: a row below it cannot be among them, so no
/// thread renders a copy of it for the list, or hands it on to be merged.
final class ClosestFloor: Sendable {
    /// 0 for none; else the percent plus one, then the projected percent, in tenths, 16 bits each.
    private let packed = Atomic<UInt32>(0)

    var value: (UInt16, UInt16)? {
        let bits = packed.load(ordering: .relaxed)
        return bits == 0 ? nil : (UInt16(bits >> 16) - 1, UInt16(truncatingIfNeeded: bits))
    }

    /// Raises the floor to `floor`, when it is higher.
    func raise(to floor: (UInt16, UInt16)?) {
        guard let floor else { return }
        let bits = (UInt32(floor.0) + 1) << 16 | UInt32(floor.1)
        var current = packed.load(ordering: .relaxed)
        while bits > current {
            let (exchanged, original) = packed.compareExchange(expected: current, desired: bits, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}

/// The incomplete rows closest to done, at most `limit` of them, kept as
/// they stream by: highest percent first, then highest projected percent,
/// then by learner and stack. Memory holds at most twice `limit` rows,
/// however many learners there are.
struct ClosestRows: Sendable {
    struct Entry: Sendable {
        /// Tenths of a percent.
        let percent: UInt16, projected: UInt16
        let handle: String
        let stack: Int
        /// The row, rendered for the learners table.
        let bytes: [UInt8]
    }

    let limit: Int
    private var entries: [Entry] = []
    /// Once pruned: the last row kept. A row below it can never be among the closest.
    private(set) var floor: (UInt16, UInt16)?

    /// - Parameter floor: a floor already known (from other rows, with at
    ///   least `limit` rows at or above it): rows below it are not kept.
    init(limit: Int, floor: (UInt16, UInt16)? = nil) {
        self.limit = limit
        self.floor = floor
    }

    static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        if (a.percent, a.projected) != (b.percent, b.projected) { return (a.percent, a.projected) > (b.percent, b.projected) }
        return (a.handle, a.stack) < (b.handle, b.stack)
    }

    /// Tenths of a percent, as the table shows it.
    static func tenths(_ percent: Double) -> UInt16 {
        percent.isFinite ? UInt16(clamping: Int((min(100, max(0, percent)) * 10).rounded())) : 0
    }

    /// Keeps the row unless it cannot be among the closest (it is below
    /// the floor); `bytes` is read only to keep it.
    mutating func offer(percent: Double, projected: Double, handle: String, stack: Int, bytes: @autoclosure () -> [UInt8]) {
        guard limit > 0 else { return }
        let p = Self.tenths(percent), q = Self.tenths(projected)
        if let floor, (p, q) < floor { return }
        entries.append(Entry(percent: p, projected: q, handle: handle, stack: stack, bytes: bytes()))
        if entries.count >= 2 * limit { prune() }
    }

    /// Takes `other`'s rows too. Like ``offer(percent:projected:handle:stack:bytes:)``,
    /// it sorts only when twice the limit has gathered, not at every merge.
    mutating func merge(_ other: ClosestRows) {
        entries += other.entries
        if entries.count >= 2 * limit { prune() }
    }

    private mutating func prune() {
        // Sorts the positions, then keeps the first `limit` entries: a sort of the entries themselves
        // copies them about, each copy a retain and release of the handle and the bytes.
        let order = entries.indices.sorted { Self.precedes(entries[$0], entries[$1]) }
        entries = order.prefix(limit).map { entries[$0] }
        if let last = entries.last, entries.count == limit { floor = (last.percent, last.projected) }
    }

    /// How many rows `sorted` gives.
    var count: Int { min(entries.count, limit) }

    /// The rows kept, closest to done first.
    var sorted: [Entry] { Array(entries.sorted(by: Self.precedes).prefix(limit)) }
}
