import CredfolioStore
import CredfolioApp
import CredfolioCore
import CredfolioSystem
import CredfolioEngine

/// The overview's learners table, cut into pages of ``perPage`` learners
/// (a learner's rows are never split): the first page is part of
/// `index.html`, whose summary above it is known only at the end, so its
/// rows wait in memory meanwhile (one page of them); the others,
/// `index-2.html`, `index-3.html`, …, are each gathered in memory and
/// written in one piece (over the earlier page, in place) when the next
/// page begins: with Ctrl-C noted between pages (``Interruption``), each is
/// whole, old or new. A page of a few hundred learners opens at once in a
/// browser, where one table of every row of a large cohort would not.
struct SiteTablePages {
    let folder: String
    let perPage: Int
    /// Learners in the site, for "page 3 of 80".
    let learners: Int
    /// The cohort's name, as the pages title it.
    let cohort: String
    let day: Day

    /// The first page's rows, for `index.html`.
    private(set) var first: [UInt8] = []
    /// The file names written, for the site to keep.
    private(set) var written: [String] = []
    private var placed = 0
    private var page = 1
    /// The page being gathered (after the first), and its file name.
    private var current: (name: String, bytes: [UInt8])?

    init(folder: String, perPage: Int, learners: Int, cohort: String, day: Day) {
        self.folder = folder
        self.perPage = max(1, perPage)
        self.learners = learners
        self.cohort = cohort
        self.day = day
    }

    var pages: Int { max(1, (learners + perPage - 1) / perPage) }

    static func name(_ page: Int) -> String { page == 1 ? "index.html" : "index-\(page).html" }

    /// True for a file name this table's pages take (`index-2.html`, …).
    static func isPage(_ name: String) -> Bool {
        guard name.hasPrefix("index-"), name.hasSuffix(".html") else { return false }
        let number = name.dropFirst("index-".count).dropLast(".html".count)
        return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Places `rows`, the rows of consecutive learners, the first rows of
    /// each starting at its offset in `learnerStarts`.
    mutating func place(_ rows: UnsafeBufferPointer<UInt8>, learnerStarts: [Int]) throws {
        for (j, start) in learnerStarts.enumerated() {
            let end = j + 1 < learnerStarts.count ? learnerStarts[j + 1] : rows.count
            if placed > 0 && placed % perPage == 0 { try turn() }
            placed += 1
            let learner = UnsafeBufferPointer(rebasing: rows[start..<end])
            if page == 1 {
                first.append(contentsOf: learner)
            } else {
                current?.bytes.append(contentsOf: learner)
            }
        }
    }

    /// Closes the last page written.
    mutating func finish() throws {
        try close()
    }

    private mutating func turn() throws {
        try close()
        page += 1
        let name = Self.name(page)
        var html = HTML()
        HTMLPage.begin(&html, title: "Cohort \(cohort): learners and stacks, page \(page) of \(pages), as of \(day)")
        html.raw("<nav>")
        html.internalLink(SitePath("index.html"), "← cohort overview")
        html.raw("</nav>\n<main>\n")
        html.element("h1", text: "Cohort " + cohort)
        html.element("p", ["class": "muted"], text: range(page) + " · as of \(day)")
        pager(&html, page: page)
        SiteReport.tableHead(&html)
        // As many rows as the first page's, given that room at once instead of growing into it (growing a
        // 1.6 MB page copies it about once more: callgrind counted 190 M instructions of copies at 20,000 learners).
        var bytes = html.exactBytes
        bytes.reserveCapacity(bytes.count + first.count + first.count / 8)
        current = (name, bytes)
        written.append(name)
    }

    private mutating func close() throws {
        guard var gathered = current else { return }
        current = nil  // The one reference left: the end is added in place, not to a copy.
        var html = HTML()
        html.raw("</tbody></table>\n")
        pager(&html, page: page)
        html.raw("</main>\n")
        HTMLPage.end(&html, asOf: day)
        gathered.bytes += html.exactBytes
        // One piece, in place: rewriting a page costs the file system far less than a new file.
        let sink = try SiteReport.create(folder + "/" + gathered.name, buffered: false)
        gathered.bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
        try sink.finishReplacing()
    }

    /// "Learners 251–500 of 20,000".
    func range(_ page: Int) -> String {
        let from = (page - 1) * perPage + 1, to = min(learners, page * perPage)
        return "Learners \(NumberText.grouped(from))–\(NumberText.grouped(to)) of \(NumberText.grouped(learners))"
    }

    /// Links to the first, previous, next and last pages, around "page k of n";
    /// nothing when there is one page.
    func pager(_ html: inout HTML, page: Int) {
        guard pages > 1 else { return }
        html.raw("<nav class=\"pager\">")
        if page > 1 {
            html.internalLink(SitePath(Self.name(1)), "« first")
            html.raw(" ")
            html.internalLink(SitePath(Self.name(page - 1)), "‹ previous")
            html.raw(" ")
        }
        html.element("strong", text: "page \(page) of \(pages)")
        if page < pages {
            html.raw(" ")
            html.internalLink(SitePath(Self.name(page + 1)), "next ›")
            html.raw(" ")
            html.internalLink(SitePath(Self.name(pages)), "last »")
        }
        html.raw("</nav>\n")
    }
}
