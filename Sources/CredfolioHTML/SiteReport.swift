import CredfolioCore
public import CredfolioEngine
public import CredfolioApp
public import CredfolioStore
import CredfolioSystem
#if canImport(Glibc)
import Glibc
#endif

/// `report html`: a small static site of a cohort, written in one pass over
/// the learners, as `report cohort` reads them (the same rows, from
/// ``CohortRows``):
///
/// - `learners/HANDLE.html`: each learner's portfolio page, written as the
///   learner is read;
/// - `stacks/CODE.html`: the stack's requirements, then where each learner
///   stands, a row appended to each stack's file as the learner is read;
/// - `index.html`: per stack the learners, the number complete, the median
///   and a histogram of percents; then the first page of the learners ×
///   stacks table (``SiteTablePages``: the rest on `index-2.html`, …), and
///   what lapses within 90 days; `by-percent.html`: the rows not yet complete
///   that are closest to done (``ClosestRows``).
///
/// Memory holds the stacks, the memo, a few chunks' rows (rendered and not
/// yet placed: ``aheadLimit``, and two more of the worker's), the table's
/// first page, the sections shared between learners (bounded) and the
/// closest rows (bounded). From ``parallelThreshold`` learners a second
/// thread renders chunks too (``SiteRenderer``): each thread takes the next
/// chunk as it comes free (``Claims``), and the main thread places them all,
/// in order.
public struct SiteReport {
    let store: Store
    let folder: String
    let settings: CohortRows.Settings
    let stack: String?
    /// Plans goals and evaluates exactly where the evaluator's search runs out of states.
    let solver: any MILPSolver
    public init(store: Store, folder: String, settings: CohortRows.Settings, stack: String?, solver: any MILPSolver) {
        self.store = store
        self.folder = folder
        self.settings = settings
        self.stack = stack
        self.solver = solver
    }

    /// From this many learners, a second thread writes pages too.
    var parallelThreshold = 1_000
    /// Learners per chunk handed between the threads.
    var chunkLearners = 250
    /// How many bytes of shared stack sections the site keeps, both threads
    /// together (0: none, and no credential's cells are shared either).
    var sectionCacheBytes = 16 << 20
    /// Learners per page of the overview's learners table.
    var pageLearners = 250

    static let marker = ".credfolio-site"
    static let expiringDays = 90
    /// How many rows `by-percent.html` lists.
    static let closestRows = 1_000

    /// Writes the site; returns what it adds up to (``SiteTally/learners``:
    /// how many learner pages it wrote). The caller runs it in one read
    /// transaction, so that every page shows one state of the database.
    public func write() throws -> SiteTally {
        // The pages of an earlier site here: each one written again is struck off; the rest are removed at the end.
        var earlier = try prepareFolder()
        // Until the end, the overview says the site is being written: if the writing stops (Ctrl-C, a kill, a
        // crash), it says so, and links to no page that was never written. Every page is whole: learner pages
        // are written in one piece between checks for Ctrl-C (``Interruption``), the others put in place whole
        // (``RewrittenFile``).
        try writeNotice()
        let portfolio = try Portfolio(store, only: stack, fallback: solver)
        let day = settings.day
        let stacks = portfolio.stacks.sorted { $0.definition.code < $1.definition.code }

        // The stack pages, open for the whole pass: each written over its spare, put in place when it is whole.
        var stackPages: [RewrittenFile] = []
        for compiled in stacks {
            let file = SitePath.fileName(compiled.definition.code) + ".html"
            let name = "stacks/" + file
            earlier.remove(name)
            earlier.remove("stacks/" + RewrittenFile.spareName(of: file))
            let page = try RewrittenFile(folder + "/" + name)
            var html = HTML()
            beginStackPage(&html, compiled, catalog: portfolio.catalog, day: day)
            html.withUnsafeBufferPointer { page.sink.write(bytes: $0) }
            stackPages.append(page)
        }
        let learners = try store.learners.count(cohort: settings.cohort)
        var table = SiteTablePages(folder: folder, perPage: pageLearners, learners: learners, cohort: settings.cohort ?? "(all learners)",
                                   day: day)
        let threads = learners >= parallelThreshold ? OrderedChunks.workers : 0
        var tally = SiteTally(stacks: stacks.count)
        let closestFloor = ClosestFloor()
        tally.sharedSections = try writeRows(portfolio: portfolio, threads: threads, learners: learners, earlier: &earlier,
                                                 closestFloor: closestFloor) { rows in
            try rows.withPart(0) { try table.place($0, learnerStarts: rows.learnerStarts) }
            for (s, page) in stackPages.enumerated() { rows.withPart(1 + s) { page.sink.write(bytes: $0) } }
            tally.merge(rows.tally)
            closestFloor.raise(to: tally.closest.floor)
        }
        try table.finish()
        for name in table.written { earlier.remove(name) }
        for page in stackPages {
            var html = HTML()
            html.raw("</tbody></table>\n</main>\n")
            HTMLPage.end(&html, asOf: day)
            html.withUnsafeBufferPointer { page.sink.write(bytes: $0) }
            try page.publish()
        }
        let expiring = tally.expiring.sorted()
        try writeIndex("index.html", stacks: stacks, tally: tally, expiring: expiring, pages: table) { sink in
            table.first.withUnsafeBufferPointer { sink.write(bytes: $0) }
        }
        try writeIndex("by-percent.html", stacks: stacks, tally: tally, expiring: expiring, pages: nil) { sink in
            for entry in tally.closest.sorted { entry.bytes.withUnsafeBufferPointer { sink.write(bytes: $0) } }
        }
        for stale in earlier { unlink(folder + "/" + stale) }
        return tally
    }

    /// Reads the learners in chunks, renders each chunk (its learners'
    /// pages, and its rows) on the worker threads, and hands each chunk's
    /// rows to `place`, in order, and strikes each learner's page off
    /// `earlier` as the learner is read. Returns how many stack sections of
    /// learner pages were copied from another learner's page.
    private func writeRows(portfolio: Portfolio, threads: Int, learners: Int, earlier: inout Set<String>, closestFloor: ClosestFloor,
                           place: (SiteRows) throws -> Void) throws -> Int {
        let cache = sectionCacheBytes > 0 ? SectionCache(byteLimit: sectionCacheBytes) : nil
        let buffers = ChunkBuffers()
        // If no award came from a badge, no page asks for its learner's verifications.
        let badges = try store.awards.anyVerifications()
        let reader = LearnerReader(store, portfolio)
        let (settings, folder, solver) = (settings, folder, solver)
        try OrderedChunks.run(
            threads: threads, window: 2 * max(1, threads) + 2,
            worker: {
                // A worker's own copy: the reference counts it touches at every row are then its own.
                var renderer = try SiteRenderer(portfolio: threads == 0 ? portfolio : try portfolio.ownCopy(), settings: settings,
                                                folder: folder, threads: threads,
                                                cache: cache, buffers: buffers, closestFloor: closestFloor,
                                                solver: solver)
                return { try renderer.render($0) }
            },
            produce: { submit in
                try reader.forEachChunk(cohort: settings.cohort, details: true, size: chunkLearners, total: learners) { chunk in
                    for entry in chunk { earlier.remove("learners/" + SitePath.fileName(entry.learner.handle) + ".html") }
                    guard badges else { return try submit(chunk) }
                    var chunk = chunk
                    for i in chunk.indices { chunk[i].verifications = try store.awards.verifications(learner: chunk[i].learner.handle) }
                    try submit(chunk)
                }
            },
            consume: { (rows: consuming SiteRows) in
                try place(rows)
                // Taken apart, so that the buffers' only references go back: the next chunks write into them in place.
                buffers.giveBack((consume rows).parts)
            })
        return cache?.hits ?? 0
    }

    /// Makes the folder (and its `learners` and `stacks`), or finds the
    /// pages of an earlier site there; any other non-empty folder is
    /// refused, so that nobody's files are mixed with or lost to a site.
    /// Returns the earlier site's pages, by their paths in the folder.
    private func prepareFolder() throws -> Set<String> {
        var earlier = Set<String>()
        var info = stat()
        if stat(folder, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw CredfolioError.invalid("\(folder) exists and is not a folder") }
            let entries = try Self.entries(folder)
            if !entries.isEmpty && !entries.contains(Self.marker) {
                throw CredfolioError.invalid("\(folder) is not empty and holds no credfolio site: choose a new or empty folder")
            }
            // Pages of the earlier site are rewritten in place (recreating
            // thousands of files costs the file system more), and the ones
            // not written again are removed at the end.
            for sub in ["learners", "stacks"] where entries.contains(sub) {
                for name in try Self.entries(folder + "/" + sub) where name.hasSuffix(".html") || name.hasSuffix(".html.spare") {
                    earlier.insert(sub + "/" + name)
                }
            }
            for name in entries where SiteTablePages.isPage(name) { earlier.insert(name) }
        } else {
            try OutputTarget.makeFolders(folder, mode: 0o755)
        }
        for sub in ["learners", "stacks"] where mkdir(folder + "/" + sub, 0o755) != 0 && errno != EEXIST {
            throw CredfolioError.invalid("cannot make the folder \(folder)/\(sub): \(String(cString: strerror(errno)))")
        }
        let marker = try Self.create(folder + "/" + Self.marker)
        marker.write("A site written by credfolio report html; it rewrites the pages here.\n")
        try marker.finishReplacing()
        return earlier
    }

    /// `index.html` while the site is being written: what an interrupted writing leaves.
    private func writeNotice() throws {
        let page = try RewrittenFile(folder + "/index.html", keepingSpare: false)
        var html = HTML()
        HTMLPage.begin(&html, title: title)
        html.raw("<main>\n")
        html.element("h1", text: "Cohort " + (settings.cohort ?? "(all learners)"))
        html.element("p", text: "This site is being written (credfolio report html, as of \(settings.day)). If this notice stays, "
                     + "the writing was interrupted: the pages here are each whole, some from this writing and some from the one "
                     + "before. Run credfolio report html again to finish it.")
        html.raw("</main>\n")
        HTMLPage.end(&html, asOf: settings.day)
        html.withUnsafeBufferPointer { page.sink.write(bytes: $0) }
        try page.publish()
    }

    private static func entries(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw CredfolioError.invalid("cannot read the folder \(path): \(String(cString: strerror(errno)))") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// A file of the site, created or rewritten from its start, readable by
    /// its owner only (it holds names, like the database). An earlier page is
    /// not truncated here but cut at the end (``OutputSink/finishReplacing()``):
    /// its blocks are overwritten instead of freed and allocated again.
    /// `buffered: false` for a page written in one piece: no buffer to copy it through.
    static func create(_ path: String, buffered: Bool = true) throws -> OutputSink {
        try create(at: nil, path, path: path, buffered: buffered)
    }

    /// The same, for `name` in the open folder `folder` (its path, `path`, names the file in messages):
    /// the kernel then looks up one name, not every folder on the way.
    static func create(at folder: OpenFolder?, _ name: String, path: String, buffered: Bool = true) throws -> OutputSink {
        let fd = folder.map { openat($0.fd, name, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600) } ?? open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CredfolioError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
        return OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true, capacity: buffered ? 1 << 16 : 0)
    }

    // MARK: Pages

    /// The learners table's head, on the overview and its pages.
    static func tableHead(_ html: inout HTML) {
        html.raw("""
            <table><thead><tr><th scope="col">learner</th><th scope="col">stack</th><th scope="col">progress</th>\
            <th scope="col">status</th><th scope="col">target</th><th scope="col">last earned</th></tr></thead><tbody>

            """)
    }

    private var title: String {
        "Cohort " + (settings.cohort ?? "(all learners)") + (stack.map { ", stack " + $0 } ?? "") + ": progress as of " + settings.day.description
    }

    /// The overview (`index.html`) or its rows closest to done
    /// (`by-percent.html`): the summary per stack, the learners table, whose
    /// rows `rows` writes, and what lapses soon.
    private func writeIndex(_ name: String, stacks: [CompiledStack], tally: SiteTally, expiring: [SiteTally.Expiring],
                            pages: SiteTablePages?, rows: (OutputSink) throws -> Void) throws {
        let learners = tally.learners
        let page = try RewrittenFile(folder + "/" + name, keepingSpare: false)
        let sink = page.sink
        var html = HTML()
        HTMLPage.begin(&html, title: title)
        html.raw("<main>\n")
        html.element("h1", text: "Cohort " + (settings.cohort ?? "(all learners)"))
        html.element("p", ["class": "muted"], text: "\(learners) learner\(learners == 1 ? "" : "s") · as of \(settings.day)"
                     + (stack.map { " · stack " + $0 } ?? ""))
        html.element("h2", text: "Stacks")
        html.raw("""
            <table><thead><tr><th scope="col">stack</th><th scope="col" class="num">learners</th><th scope="col" class="num">complete</th>\
            <th scope="col" class="num">median</th><th scope="col">percents (learners per tenth)</th></tr></thead><tbody>

            """)
        for (i, compiled) in stacks.enumerated() {
            let h = tally.histograms[i]
            html.raw("<tr><td>")
            html.internalLink(SitePath.stack(compiled.definition.code), compiled.definition.code)
            html.raw("</td><td class=\"num\">")
            html.number(h.total)
            html.raw("</td><td class=\"num\">")
            html.number(h.complete)
            html.raw("</td><td class=\"num\">")
            html.text(h.median.map { ProgressFormatting.percent($0) + "%" } ?? "—")
            html.raw("</td><td>")
            HTMLCharts.histogram(&html, h, stack: compiled.definition.code)
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n")
        html.element("h2", text: "Learners and stacks")
        html.raw("<nav class=\"sort\">Order: ")
        if name == "index.html" { html.element("strong", text: "by learner") } else { html.internalLink(SitePath("index.html"), "by learner") }
        if name == "by-percent.html" { html.element("strong", text: "closest to done first") } else {
            html.internalLink(SitePath("by-percent.html"), "closest to done first")
        }
        html.raw("</nav>\n")
        let total = tally.histograms.reduce(0) { $0 + $1.total }
        let shown = name == "index.html" ? total : tally.closest.count
        if name != "index.html" {
            let complete = tally.histograms.reduce(0) { $0 + $1.complete }
            html.element("p", text: shown == total - complete
                ? "Every row not yet complete, closest to done first; the \(complete) complete are in the overview."
                : "The \(shown) rows closest to done of the \(total - complete) not yet complete; every row is in the overview, by learner.")
        }
        if shown == 0 {
            html.element("p", text: total == 0 ? "No learners or no stacks." : "Every row is complete.")
        } else {
            if let pages, pages.pages > 1 {
                html.element("p", ["class": "muted"], text: pages.range(1))
                pages.pager(&html, page: 1)
            }
            Self.tableHead(&html)
        }
        html.withUnsafeBufferPointer { sink.write(bytes: $0) }
        try rows(sink)
        html = HTML()
        if shown > 0 {
            html.raw("</tbody></table>\n")
            pages?.pager(&html, page: 1)
        }
        html.element("h2", text: "Lapsing within \(Self.expiringDays) days")
        if expiring.isEmpty {
            html.element("p", text: "Nothing held lapses by " + (settings.day.adding(days: Self.expiringDays) ?? Day.last).description + ".")
        } else {
            html.raw("""
                <table><thead><tr><th scope="col">expires</th><th scope="col">learner</th><th scope="col">credential</th>\
                <th scope="col">title</th></tr></thead><tbody>

                """)
            for e in expiring {
                html.raw("<tr><td>")
                html.text(e.expires.description)
                html.raw("</td><td>")
                html.internalLink(SitePath.learner(e.handle), e.name)
                html.raw("</td><td>")
                html.text(e.credential)
                html.raw("</td><td>")
                html.text(e.title)
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody></table>\n")
        }
        html.raw("</main>\n")
        HTMLPage.end(&html, asOf: settings.day)
        html.withUnsafeBufferPointer { sink.write(bytes: $0) }
        try page.publish()
    }

    private func beginStackPage(_ html: inout HTML, _ compiled: CompiledStack, catalog: Catalog, day: Day) {
        let code = compiled.definition.code
        HTMLPage.begin(&html, title: "Stack \(code)" + (compiled.definition.title.map { ": " + $0 } ?? ""))
        html.raw("<nav>")
        html.internalLink(SitePath("../index.html"), "← cohort overview")
        html.raw("</nav>\n<main>\n")
        html.element("h1", text: code + (compiled.definition.title.map { " — " + $0 } ?? ""))
        html.element("h2", text: "Requirements")
        HTMLPage.tree(&html, compiled) { html, id in html.text(ProgressFormatting.label(compiled.nodes[id])) }
        html.element("h2", text: "Where each learner stands")
        html.raw("""
            <table><thead><tr><th scope="col">learner</th><th scope="col">progress</th><th scope="col">status</th>\
            <th scope="col">missing</th></tr></thead><tbody>

            """)
    }
}
