import CPosix
import CredfolioCBC
import CredfolioCore
import CredfolioEngine
import CredfolioReports
import CredfolioStore
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
///   and a histogram of percents; then the learners × stacks table (kept
///   meanwhile in a scratch file, not in memory), and what lapses within 90
///   days; `by-percent.html`: the same table, closest to done first.
///
/// Memory holds the stacks, the memo, one learner, and 16 bytes per table
/// row for the second order; the scratch file is removed at the end.
struct SiteReport {
    let store: Store
    let folder: String
    let settings: CohortRows.Settings
    let stack: String?

    static let marker = ".credfolio-site"
    static let expiringDays = 90

    /// One row of the learners table, as the second order needs it.
    private struct RowIndex {
        let offset: UInt64
        let length: UInt32
        let percent: UInt16, projected: UInt16
    }

    private struct Expiring: Comparable {
        let expires: Day
        let handle: String
        let name: String
        let credential: String
        let title: String
        static func < (a: Expiring, b: Expiring) -> Bool {
            (a.expires, a.handle, a.credential) < (b.expires, b.handle, b.credential)
        }
    }

    /// Writes the site; returns how many learner pages it wrote.
    func write() throws -> Int {
        var earlier = Set<String>()
        try prepareFolder(&earlier)
        let portfolio = try Portfolio(store, only: stack, fallback: CBCSolver())
        let day = settings.day
        let rows = CohortRows(portfolio: portfolio, settings: settings)
        let stacks = portfolio.stacks.sorted { $0.definition.code < $1.definition.code }
        let solver = CBCSolver()
        let goalsByLearner = settings.goals

        // The stack pages, open for the whole pass.
        var stackPages: [OutputSink] = []
        for compiled in stacks {
            let name = "stacks/" + SitePath.fileName(compiled.definition.code) + ".html"
            earlier.remove(name)
            let sink = try Self.create(folder + "/" + name)
            var html = HTML()
            beginStackPage(&html, compiled, catalog: portfolio.catalog, day: day)
            html.bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
            stackPages.append(sink)
        }
        let scratchPath = folder + "/.rows.tmp"
        let scratch = try Self.create(scratchPath)
        defer { unlink(scratchPath) }
        var written: UInt64 = 0
        var index: [RowIndex] = []
        var tally = [PercentHistogram](repeating: PercentHistogram(), count: stacks.count)
        var expiring: [Expiring] = []
        var learners = 0
        var rowBytes = HTML()
        let horizon = day.adding(days: Self.expiringDays) ?? Day.last
        try rows.forEach(learner: { learner, facts in
            learners += 1
            let context = try LearnerPortfolio(store: store, portfolio: portfolio, learner: learner, facts: facts, day: day,
                                               goals: settings.allStacks ? [] : goalsByLearner[learner.id!] ?? [])
            let page = try PortfolioPage(context: context, stacks: [], solver: solver, inSite: true)
            let bytes = page.render().bytes
            let name = "learners/" + SitePath.fileName(learner.handle) + ".html"
            earlier.remove(name)
            let sink = try Self.create(folder + "/" + name)
            bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
            try sink.flush()
            for (credential, held) in context.standing.held {
                guard let expires = held.expires, expires >= day, expires <= horizon else { continue }
                let c = portfolio.catalog[credential]
                expiring.append(Expiring(expires: expires, handle: learner.handle, name: learner.name, credential: c.code, title: c.title))
            }
        }) { row, outlook, place in
            tally[place.stack].add(row.percent, complete: row.complete)
            rowBytes = HTML()
            learnerRow(&rowBytes, row, outlook)
            rowBytes.bytes.withUnsafeBufferPointer { scratch.write(bytes: $0) }
            index.append(RowIndex(offset: written, length: UInt32(rowBytes.bytes.count),
                                  percent: UInt16((row.percent * 10).rounded()), projected: UInt16((row.projectedPercent * 10).rounded())))
            written += UInt64(rowBytes.bytes.count)
            var standing = HTML()
            stackRow(&standing, row, outlook)
            standing.bytes.withUnsafeBufferPointer { stackPages[place.stack].write(bytes: $0) }
        }
        try scratch.flush()
        for sink in stackPages {
            var html = HTML()
            html.raw("</tbody></table>\n</main>\n")
            HTMLPage.end(&html, asOf: day)
            html.bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
            try sink.flush()
        }
        expiring.sort()
        let reader = open(scratchPath, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { throw CredfolioError.invalid("cannot read \(scratchPath): \(String(cString: strerror(errno)))") }
        defer { close(reader) }
        try writeIndex("index.html", order: Array(index.indices), index: index, reader: reader, stacks: stacks, tally: tally,
                       expiring: expiring, learners: learners)
        let byPercent = index.indices.sorted {
            let a = index[$0], b = index[$1]
            return (a.percent, a.projected) != (b.percent, b.projected) ? (a.percent, a.projected) > (b.percent, b.projected) : $0 < $1
        }
        try writeIndex("by-percent.html", order: byPercent, index: index, reader: reader, stacks: stacks, tally: tally,
                       expiring: expiring, learners: learners)
        for stale in earlier { unlink(folder + "/" + stale) }
        return learners
    }

    /// Makes the folder (and its `learners` and `stacks`), or clears the
    /// pages of an earlier site there; any other non-empty folder is
    /// refused, so that nobody's files are mixed with or lost to a site.
    private func prepareFolder(_ earlier: inout Set<String>) throws {
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
                for name in try Self.entries(folder + "/" + sub) where name.hasSuffix(".html") { earlier.insert(sub + "/" + name) }
            }
        } else if mkdir(folder, 0o755) != 0 {
            throw CredfolioError.invalid("cannot make the folder \(folder): \(String(cString: strerror(errno)))")
        }
        for sub in ["learners", "stacks"] where mkdir(folder + "/" + sub, 0o755) != 0 && errno != EEXIST {
            throw CredfolioError.invalid("cannot make the folder \(folder)/\(sub): \(String(cString: strerror(errno)))")
        }
        let marker = try Self.create(folder + "/" + Self.marker)
        marker.write("A site written by credfolio report html; it rewrites the pages here.\n")
        try marker.flush()
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

    /// A file of the site, created or truncated, readable by its owner only
    /// (it holds names, like the database).
    private static func create(_ path: String) throws -> OutputSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CredfolioError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
        return OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true)
    }

    // MARK: Pages

    private var title: String {
        "Cohort " + (settings.cohort ?? "(all learners)") + (stack.map { ", stack " + $0 } ?? "") + ": progress as of " + settings.day.description
    }

    private func writeIndex(_ name: String, order: [Int], index: [RowIndex], reader: Int32, stacks: [CompiledStack],
                            tally: [PercentHistogram], expiring: [Expiring], learners: Int) throws {
        let sink = try Self.create(folder + "/" + name)
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
            let h = tally[i]
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
        if index.isEmpty {
            html.element("p", text: "No learners or no stacks.")
        } else {
            html.raw("""
                <table><thead><tr><th scope="col">learner</th><th scope="col">stack</th><th scope="col">progress</th>\
                <th scope="col">status</th><th scope="col">target</th><th scope="col">last earned</th></tr></thead><tbody>

                """)
        }
        html.bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
        var buffer: [UInt8] = []
        for i in order {
            let entry = index[i]
            if buffer.count < Int(entry.length) { buffer = [UInt8](repeating: 0, count: Int(entry.length)) }
            let got = buffer.withUnsafeMutableBytes { pread(reader, $0.baseAddress, Int(entry.length), off_t(entry.offset)) }
            guard got == Int(entry.length) else { throw CredfolioError.invalid("cannot read back the site's scratch file") }
            buffer.withUnsafeBufferPointer { sink.write(bytes: UnsafeBufferPointer(rebasing: $0[..<Int(entry.length)])) }
        }
        html = HTML()
        if !index.isEmpty { html.raw("</tbody></table>\n") }
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
        html.bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
        try sink.flush()
    }

    /// A row of the learners table: the same values as `report cohort`'s row.
    private func learnerRow(_ html: inout HTML, _ row: CohortRow, _ outlook: CohortRows.Outlook?) {
        html.raw("<tr><td>")
        html.internalLink(SitePath.learner(row.handle), row.name)
        html.raw("</td><td>")
        html.internalLink(SitePath.stack(row.stack), row.stack)
        html.raw("</td><td>")
        HTMLPage.bar(&html, percent: row.percent, projected: row.projectedPercent)
        html.raw("</td><td>")
        flags(&html, row, outlook)
        html.raw("</td><td>")
        html.text(outlook?.target?.description ?? "")
        html.raw("</td><td>")
        html.text(row.lastEarned?.description ?? "")
        html.raw("</td></tr>\n")
    }

    private func stackRow(_ html: inout HTML, _ row: CohortRow, _ outlook: CohortRows.Outlook?) {
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
    private func flags(_ html: inout HTML, _ row: CohortRow, _ outlook: CohortRows.Outlook?) {
        if row.complete { HTMLPage.flag(&html, "done", "complete") }
        if row.stalled { HTMLPage.flag(&html, "stalled", "stalled") }
        switch outlook?.status {
        case .offTrack?: HTMLPage.flag(&html, "off", "off track")
        case .onTrack?: HTMLPage.flag(&html, "on", "on track")
        default: break
        }
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
