import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioHTML
@testable import CredfolioBadges
@testable import CredfolioCore
@testable import CredfolioCLI

/// Debian's chromium, headless, with a profile of its own: Scripts/test
/// installs it when it is missing. It is found as a shell finds it, on
/// PATH (`$CREDFOLIO_CHROMIUM` names one elsewhere); when it is missing,
/// the browser suite fails, unless `CREDFOLIO_SKIP_BROWSER=1` says to
/// leave it out.
enum Chromium {
    static let path = find(in: ProcessInfo.processInfo.environment)

    static func find(in environment: [String: String]) -> String? {
        if let given = environment["CREDFOLIO_CHROMIUM"], !given.isEmpty { return given }
        let folders = (environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }

    /// `CREDFOLIO_SKIP_BROWSER=1`: the browser suite is left out, on purpose.
    static let skipped = ProcessInfo.processInfo.environment["CREDFOLIO_SKIP_BROWSER"] == "1"

    struct Missing: Error, CustomStringConvertible {
        var description: String { "chromium is not on PATH: install it (Scripts/test does), or set CREDFOLIO_SKIP_BROWSER=1 to leave these tests out" }
    }

    /// Runs chromium on `url` with `arguments`; returns standard output.
    static func run(_ arguments: [String], url: String, in dir: TemporaryDirectory) throws -> String {
        guard let path else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                             "--user-data-dir=" + dir.file("profile-\(UUID().uuidString)")] + arguments + [url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func dom(_ file: String, in dir: TemporaryDirectory, netLog: String? = nil) throws -> String {
        try run(["--dump-dom"] + (netLog.map { ["--log-net-log=" + $0] } ?? []), url: "file://" + file, in: dir)
    }

    /// The URLs a page asked for in a net log: requests with an initiator
    /// (the browser's own, such as its update checks, have none).
    static func pageRequests(_ netLog: String) throws -> [String] {
        let log = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: netLog))) as! [String: Any]
        let types = (log["constants"] as! [String: Any])["logEventTypes"] as! [String: Int]
        let start = types["URL_REQUEST_START_JOB"]!
        return (log["events"] as! [[String: Any]]).compactMap { event in
            guard event["type"] as? Int == start, let params = event["params"] as? [String: Any], let url = params["url"] as? String,
                  params["initiator"] as? String != "not an origin" else { return nil }
            return url
        }
    }
}

/// A PNG screenshot, decoded to RGB(A) rows (8 bits, colour type 2 or 6).
struct Screenshot {
    let width: Int, height: Int, channels: Int
    let pixels: [UInt8]

    init(png bytes: [UInt8]) throws {
        var offset = 8, idat: [UInt8] = []
        var width = 0, height = 0, colourType = 0
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let data = Array(bytes[offset + 8..<offset + 8 + length])
            if type == "IHDR" {
                width = data[0..<4].reduce(0) { $0 << 8 | Int($1) }
                height = data[4..<8].reduce(0) { $0 << 8 | Int($1) }
                #expect(data[8] == 8)
                colourType = Int(data[9])
            } else if type == "IDAT" {
                idat += data
            }
            offset += 12 + length
        }
        channels = colourType == 6 ? 4 : 3
        let raw = try Inflate.zlib(idat, limit: height * (width * channels + 1))
        let stride = width * channels
        var out = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let value = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= channels ? Int(out[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(out[(y - 1) * stride + x - channels]) : 0
                let predicted: Int
                switch filter {
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: predicted = 0
                }
                out[y * stride + x] = UInt8((value + predicted) & 0xFF)
            }
        }
        self.width = width
        self.height = height
        pixels = out
    }

    /// How many pixels are within `tolerance` of the colour (r, g, b).
    func count(_ r: Int, _ g: Int, _ b: Int, tolerance: Int = 3) -> Int {
        stride(from: 0, to: pixels.count, by: channels).reduce(0) { n, i in
            abs(Int(pixels[i]) - r) <= tolerance && abs(Int(pixels[i + 1]) - g) <= tolerance && abs(Int(pixels[i + 2]) - b) <= tolerance
                ? n + 1 : n
        }
    }
}

@Suite("HTML in a real browser (headless chromium)", .serialized, .disabled(if: Chromium.skipped, "CREDFOLIO_SKIP_BROWSER=1"))
struct BrowserTests {
    @Test("chromium is found on PATH, as Scripts/ensure-deps finds it; missing, the suite fails unless CREDFOLIO_SKIP_BROWSER=1")
    func chromiumOnPath() throws {
        let dir = try TemporaryDirectory()
        let fake = dir.file("chromium")
        try "#!/bin/sh\n".write(toFile: fake, atomically: false, encoding: .utf8)
        chmod(fake, 0o755)
        #expect(Chromium.find(in: ["PATH": "/nonexistent:" + dir.path]) == fake)
        #expect(Chromium.find(in: ["PATH": "/nonexistent"]) == nil)
        #expect(Chromium.path != nil, "\(Chromium.Missing())")
    }

    /// The demo's learners, credentials, stacks and awards, two goals, and
    /// the site and a portfolio page written from them.
    func demoSite() throws -> (cli: CLI, site: String) {
        let cli = try CLI()
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/demo-data").path
        for (kind, file) in [("skills", "skills.csv"), ("credentials", "credentials.csv"), ("stacks", "stacks.json"),
                             ("learners", "learners.csv"), ("awards", "awards.csv")] {
            try cli.ok("import", kind, data + "/" + file)
        }
        try cli.ok("learner", "goal", "add", "maria", "web-developer", "--by", "2027-01-15")
        let site = cli.directory.file("site")
        try cli.ok("report", "html", "-o", site, "--as-of", "2026-11-29")
        return (cli, site)
    }

    func exported(_ cli: CLI) throws -> [String: String] {
        var out: [String: String] = [:]
        let reader = CSVReader(text: try cli.ok("export", "progress", "--as-of", "2026-11-29"))
        _ = try reader.next()
        while try reader.next() {
            let cells = try reader.record()
            out[SitePath.fileName(cells[0]) + " " + cells[3]] = cells[4]
        }
        return out
    }

    func matches(_ pattern: String, in text: String) throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (1..<m.numberOfRanges).map { String(text[Range(m.range(at: $0), in: text)!]) }
        }
    }

    @Test("every percent the browser shows on the overview, a portfolio page and a stack page equals export progress")
    func percentsMatchExport() throws {
        let (cli, site) = try demoSite()
        let expected = try exported(cli)
        #expect(expected.count > 10)
        let index = try Chromium.dom(site + "/index.html", in: cli.directory)
        let rows = try matches(#"<tr><td><a href="learners/([^"]+)\.html">[^<]*</a></td><td><a href="stacks/([^"]+)\.html">[^<]*</a></td><td><span class="bar"[^>]*>(?:<i[^>]*></i>)+</span><span class="num">([0-9.]+)%</span>"#, in: index)
        #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0[0] + " " + $0[1], $0[2]) }) == expected)
        let maria = try Chromium.dom(site + "/learners/maria.html", in: cli.directory)
        let sections = try matches(#"<h3><a href="\.\./stacks/([^"]+)\.html">[^<]*</a>.*?</h3>\s*<p><span class="bar"[^>]*>(?:<i[^>]*></i>)+</span><span class="num">([0-9.]+)%</span>"#, in: maria)
        #expect(!sections.isEmpty)
        for section in sections { #expect(expected["maria " + section[0]] == section[1], "\(section)") }
        let stack = try Chromium.dom(site + "/stacks/data-analyst.html", in: cli.directory)
        let standing = try matches(#"<tr><td><a href="\.\./learners/([^"]+)\.html">[^<]*</a></td><td><span class="bar"[^>]*>(?:<i[^>]*></i>)+</span><span class="num">([0-9.]+)%</span>"#, in: stack)
        #expect(!standing.isEmpty)
        for row in standing { #expect(expected[row[0] + " data-analyst"] == row[1], "\(row)") }
        #expect(standing.count == expected.keys.filter { $0.hasSuffix(" data-analyst") }.count)
    }

    @Test("hostile names render as text: no script runs, no element is injected, and no page makes a network request")
    func hostileInBrowser() throws {
        let cli = try Hostile.world()
        let site = cli.directory.file("site")
        try cli.ok("report", "html", "-o", site, "--as-of", "2026-11-29")
        for page in ["index.html", "learners/ana.html", "learners/ben.html", "stacks/s.html"] {
            let netLog = cli.directory.file("net-\(UUID().uuidString).json")
            let dom = try Chromium.dom(site + "/" + page, in: cli.directory, netLog: netLog)
            #expect(dom.contains("</html>"), "\(page)")
            #expect(!dom.contains("data-pwned=\""), "\(page): a script ran")
            #expect(!dom.contains("<img") && !dom.contains("<script") && !dom.contains("<b "), "\(page): an element was injected")
            if page == "learners/ana.html" {
                #expect(dom.contains("&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;"))
                #expect(dom.contains(HTML.escaped(Hostile.badgeName).replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&quot;", with: "\"")))
            }
            #expect(try Chromium.pageRequests(netLog) == [], "\(page)")
        }
        // The check can fail: a page of our own that loads an image is caught.
        let control = cli.directory.file("control.html")
        try Data(#"<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>"#.utf8).write(to: URL(fileURLWithPath: control))
        let netLog = cli.directory.file("control-net.json")
        _ = try Chromium.dom(control, in: cli.directory, netLog: netLog)
        #expect(try Chromium.pageRequests(netLog) == ["http://127.0.0.1:9/x.png"])
    }

    @Test("screenshots are not blank: the bars' blue is drawn on the overview and on a portfolio page")
    func screenshots() throws {
        let (cli, site) = try demoSite()
        for page in ["index.html", "learners/sarah.html"] {
            let png = cli.directory.file("shot-\(UUID().uuidString).png")
            _ = try Chromium.run(["--screenshot=" + png, "--window-size=1280,900", "--hide-scrollbars"], url: "file://" + site + "/" + page,
                                 in: cli.directory)
            let shot = try Screenshot(png: Array(try Data(contentsOf: URL(fileURLWithPath: png))))
            #expect(shot.width == 1280 && shot.height == 900)
            #expect(shot.count(0x0B, 0x57, 0xA4) > 200, "\(page): no bar drawn")
            #expect(shot.count(0xFF, 0xFF, 0xFF, tolerance: 0) < shot.width * shot.height, "\(page): blank")
        }
    }
}
