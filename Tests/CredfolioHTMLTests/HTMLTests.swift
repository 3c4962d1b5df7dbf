import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioHTML
@testable import CredfolioBadges
@testable import CredfolioCore
@testable import CredfolioCLI
@testable import CredfolioStore


@Suite("HTML: one escaping function, safe links and safe file names")
struct HTMLEscapingTests {
    @Test("each character the escaping function changes is found wherever it stands in a longer text, and no other is")
    func escapingScanFindsEveryPosition() {
        let changed: [(UInt8, String)] = [(0x26, "&amp;"), (0x3C, "&lt;"), (0x3E, "&gt;"), (0x22, "&quot;"), (0x27, "&#39;"),
                                          (0x00, "\u{FFFD}"), (0x1F, "\u{FFFD}"), (0x7F, "\u{FFFD}")]
        // Every position of texts up to 19 bytes long.
        for length in 1..<20 {
            for position in 0..<length {
                for (byte, reference) in changed {
                    var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = byte
                    let text = String(decoding: bytes, as: UTF8.self)
                    let expected = String(repeating: "a", count: position) + reference + String(repeating: "a", count: length - position - 1)
                    #expect(HTML.escaped(text) == expected, "byte \(byte) at \(position) of \(length)")
                }
            }
        }
        // Tab, newline and bytes above ASCII need nothing, wherever they stand.
        for text in ["\tabcdefgh\nijklmnop\t", "zoë zoë zoë zoë 日本語", String(repeating: "\u{1F393}", count: 5)] {
            #expect(HTML.escaped(text) == text)
        }
    }

    @Test("the escaping function turns every character that could open markup into a reference, for text and attributes alike")
    func escapeCorpus() {
        #expect(HTML.escaped(Hostile.scriptName)
                == "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;")
        #expect(HTML.escaped(Hostile.imageName)
                == "&quot;&gt;&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;2&#39;)&quot;&gt;")
        #expect(HTML.escaped(Hostile.stackTitle) == "&lt;b onmouseover=alert(1)&gt;Hostile&lt;/b&gt; &amp; &#39;quoted&#39;")
        #expect(HTML.escaped("&amp; is already escaped") == "&amp;amp; is already escaped")
        #expect(HTML.escaped("Zoë 日本 \u{1F393}") == "Zoë 日本 \u{1F393}")
        #expect(HTML.escaped("nul\u{0} bell\u{7} del\u{7F} tab\tnewline\n") == "nul\u{FFFD} bell\u{FFFD} del\u{FFFD} tab\tnewline\n")
        var html = HTML()
        html.open("a", ["title": Hostile.imageName])
        #expect(String(decoding: html.bytes, as: UTF8.self)
                == "<a title=\"&quot;&gt;&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;2&#39;)&quot;&gt;\">")
    }

    @Test("only http: and https: URLs become links; javascript:, data:, blanks before a scheme and relative URLs stay text")
    func links() {
        for url in ["https://example.org", "HTTP://EXAMPLE.ORG/x", "http://a.test/?q=<1>", "HtTpS://x.test"] { #expect(HTML.isWebURL(url), "\(url)") }
        // A control byte that case folding by bit would turn into ':' or '/' (0x1A, 0x0F), and look-alike letters, are not a scheme.
        for url in [Hostile.javascriptURL, "JavaScript:alert(1)", Hostile.dataURL, " https://example.org", "\u{1}https://x.test",
                    "//example.org", "example.org", "vbscript:x", "file:///etc/passwd", "", "http\u{1A}//x.test", "http:\u{0F}/x.test",
                    "ｈttp://x.test", "http", "https:/"] {
            #expect(!HTML.isWebURL(url), "\(url)")
        }
        var html = HTML()
        html.link(Hostile.javascriptURL, "evidence")
        #expect(String(decoding: html.bytes, as: UTF8.self) == "evidence (javascript:document.body.setAttribute(&#39;data-pwned&#39;,&#39;4&#39;))")
        html = HTML()
        html.link(Hostile.webURL, Hostile.webURL)
        #expect(String(decoding: html.bytes, as: UTF8.self)
                == "<a href=\"https://example.org/evidence?a=1&amp;b=&quot;2&quot;\" rel=\"noopener noreferrer\">https://example.org/evidence?a=1&amp;b=&quot;2&quot;</a>")
        html = HTML()
        html.internalLink(SitePath.learner("a\"b", from: 1), Hostile.scriptName)
        #expect(String(decoding: html.bytes, as: UTF8.self)
                == "<a href=\"../learners/a_22b.html\">&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;</a>")
    }

    @Test("a handle or code becomes a file name of safe bytes only, one per name, never climbing out of its folder")
    func fileNames() {
        #expect(SitePath.fileName("maria") == "maria")
        #expect(SitePath.fileName("a.b-c") == "a.b-c")
        #expect(SitePath.fileName("../etc/passwd") == "_2E._2Fetc_2Fpasswd")
        #expect(SitePath.fileName(".hidden") == "_2Ehidden")
        #expect(SitePath.fileName("a_b") == "a_5Fb")
        #expect(SitePath.fileName("a/b") != SitePath.fileName("a_2Fb"))
        #expect(SitePath.fileName("zoë") == "zo_C3_AB")
        #expect(SitePath.learner("a b", from: 1).href == "../learners/a_20b.html")
    }

    @Test("a bar has its number beside it in text, and the projection in words when it is ahead; the bar itself is hidden from screen readers")
    func bars() {
        func bar(_ percent: Double, _ projected: Double) -> String {
            var html = HTML()
            HTMLPage.bar(&html, percent: percent, projected: projected)
            return String(decoding: html.bytes, as: UTF8.self)
        }
        #expect(bar(40, 40) == #"<span class="bar" aria-hidden="true"><i style="width:40.0%"></i></span><span class="num">40.0%</span>"#)
        #expect(bar(100.0 / 3, 50) == #"<span class="bar" aria-hidden="true"><i class="p" style="width:50.0%"></i>"#
                + #"<i style="width:33.3%"></i></span><span class="num">33.3%</span><span class="muted"> (projected 50.0%)</span>"#)
        #expect(bar(0, 0) == #"<span class="bar" aria-hidden="true"><i style="width:0.0%"></i></span><span class="num">0.0%</span>"#)
        // Projected no higher than done: no projection, in the bar or in words.
        #expect(bar(60, 55) == #"<span class="bar" aria-hidden="true"><i style="width:60.0%"></i></span><span class="num">60.0%</span>"#)
    }

    @Test("numbers and days are written digit by digit exactly as their descriptions read, at every edge")
    func numbersAndDays() throws {
        func written(_ body: (inout HTML) -> Void) -> String {
            var html = HTML()
            body(&html)
            return String(decoding: html.bytes, as: UTF8.self)
        }
        for value: Int64 in [0, 7, 9, 10, 99, 100, 1_000_000, -1, -10, 1_234_567_890, .max, .min, .max - 1, .min + 1] {
            #expect(written { $0.number(value) } == String(value))
        }
        #expect(written { $0.number(UInt64.max) } == "18446744073709551615")
        #expect(written { $0.number(Int8.min) } == "-128")
        #expect(written { $0.number(UInt8.max) } == "255")
        for text in ["2026-11-29", "0001-01-01", "9999-12-31", "2024-02-29"] {
            let day = try #require(Day(iso: text))
            #expect(written { $0.day(day) } == text)
        }
    }
}

@Suite("HTML pages: hostile text, stable bytes, the site's folder", .serialized)
struct HTMLPageTests {
    @Test("no hostile name, title, URL or badge name reaches a page as markup; each is there as text")
    func hostileText() throws {
        let cli = try Hostile.world()
        let page = cli.directory.file("ana.html")
        try cli.ok("portfolio", "ana", "--html", "-o", page, "--as-of", "2026-11-29")
        let site = cli.directory.file("site")
        try cli.ok("report", "html", "-o", site, "--as-of", "2026-11-29")
        for file in [page, site + "/index.html", site + "/by-percent.html", site + "/learners/ana.html", site + "/learners/ben.html",
                     site + "/stacks/s.html"] {
            let html = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!html.contains("<script"), "\(file)")
            #expect(!html.contains("<img"), "\(file)")
            #expect(!html.contains("<b "), "\(file)")
            #expect(!html.contains("<svg onload"), "\(file)")
            #expect(!html.lowercased().contains("href=\"javascript:") && !html.lowercased().contains("href=\"data:"), "\(file)")
            #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;"), "\(file)")
        }
        let ana = try String(contentsOfFile: page, encoding: .utf8)
        #expect(ana.contains("<h1>" + HTML.escaped(Hostile.scriptName) + "</h1>"))
        #expect(ana.contains("<title>" + HTML.escaped(Hostile.scriptName) + ": credentials and progress</title>"))
        #expect(ana.contains(HTML.escaped(Hostile.stackTitle)))
        #expect(ana.contains(HTML.escaped(Hostile.credentialTitle)))
        #expect(ana.contains(HTML.escaped(Hostile.badgeName)))
        #expect(ana.contains(HTML.escaped(Hostile.javascriptURL)) && ana.contains(HTML.escaped(Hostile.dataURL)))
        let ben = try String(contentsOfFile: site + "/learners/ben.html", encoding: .utf8)
        #expect(ben.contains("<a href=\"" + HTML.escaped(Hostile.webURL) + "\" rel=\"noopener noreferrer\">"))
        #expect(ben.contains("<h1>" + HTML.escaped(Hostile.imageName) + "</h1>"))
    }

    @Test("a site's learner page shows each badge's verification as the portfolio page does; a learner without badges shows none")
    func verificationsOnSitePages() throws {
        let cli = try Hostile.world()
        let verifications = try cli.store().awards.verifications(learner: "ana")
        #expect(!verifications.isEmpty)
        let page = cli.directory.file("ana.html"), site = cli.directory.file("site")
        try cli.ok("portfolio", "ana", "--html", "-o", page, "--as-of", "2026-11-29")
        try cli.ok("report", "html", "-o", site, "--as-of", "2026-11-29")
        let alone = try String(contentsOfFile: page, encoding: .utf8)
        let inSite = try String(contentsOfFile: site + "/learners/ana.html", encoding: .utf8)
        for text in verifications.values {
            let cell = "<td>" + HTML.escaped(text) + "</td></tr>"
            #expect(alone.contains(cell) && inSite.contains(cell), "\(text)")
        }
        let ben = try String(contentsOfFile: site + "/learners/ben.html", encoding: .utf8)
        #expect(ben.contains("</td><td></td></tr>\n</tbody></table>"))
    }

    @Test("the same database and as-of date give byte-identical pages; an earlier site is rewritten, a foreign folder refused")
    func stableAndSafeFolder() throws {
        let cli = try Hostile.world()
        let first = cli.directory.file("one"), second = cli.directory.file("two")
        try cli.ok("report", "html", "-o", first, "--as-of", "2026-11-29")
        try cli.ok("report", "html", "-o", second, "--as-of", "2026-11-29")
        let files = ["index.html", "by-percent.html", "learners/ana.html", "learners/ben.html", "stacks/s.html"]
        for file in files {
            #expect(FileManager.default.contents(atPath: first + "/" + file) == FileManager.default.contents(atPath: second + "/" + file), "\(file)")
        }
        // Rewriting a site drops the pages of learners no longer there, and leaves no scratch file.
        try cli.ok("learner", "remove", "ben", "--force")
        try cli.ok("report", "html", "-o", first, "--as-of", "2026-11-29")
        #expect(!FileManager.default.fileExists(atPath: first + "/learners/ben.html"))
        #expect(!FileManager.default.fileExists(atPath: first + "/.rows.tmp"))
        let page = cli.directory.file("p.html")
        try cli.ok("portfolio", "ana", "--html", "-o", page, "--as-of", "2026-11-29")
        let again = cli.directory.file("q.html")
        try cli.ok("portfolio", "ana", "--html", "-o", again, "--as-of", "2026-11-29")
        #expect(FileManager.default.contents(atPath: page) == FileManager.default.contents(atPath: again))
        let foreign = cli.directory.file("mine")
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: foreign + "/notes.txt"))
        #expect(try cli.fails("report", "html", "-o", foreign).contains("is not empty and holds no credfolio site"))
        #expect(try String(contentsOfFile: foreign + "/notes.txt", encoding: .utf8) == "keep me")
        #expect(try cli.fails("portfolio", "ana", "-o", page, status: 64).contains("add --html"))
        #expect(try cli.fails("portfolio", "ana", "--html", "-o", page, "--stack", "nosuch").contains("no stack \"nosuch\""))
    }
}
