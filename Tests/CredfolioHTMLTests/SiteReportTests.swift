import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioHTML
@testable import CredfolioSystem
@testable import CredfolioCore
@testable import CredfolioApp
@testable import CredfolioStore
@testable import CredfolioCLI
import CredfolioCBC

@Suite("report html: worker threads and shared sections write the same site as one thread rendering every page", .serialized)
struct SiteReportTests {
    /// Every file of the site at `folder`, by its path inside it.
    func files(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let names = try #require(FileManager.default.subpathsOfDirectory(atPath: folder) as [String]?)
        for name in names {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder), !isFolder.boolValue { out[name] = FileManager.default.contents(atPath: folder + "/" + name) }
        }
        return out
    }

    @Test("byte-identical sites: one thread without sharing, one thread sharing sections, worker threads with small chunks, a tiny cache")
    func sameSiteEveryWay() throws {
        let dir = try TemporaryDirectory()
        // 301 learners, two stacks (one counts any credential's hours, the other holds it), goals, lapsed and
        // unfinished awards, hostile names; a third stack with a credential that lapses (c4), and a
        // fourth whose cannot: learners past its 10 hours share a key, but not the credentials that make them.
        let store = try cohortWorld(dir)
        _ = try store.stacks.importFile(Array("""
            {"code": "c", "title": "Shared <sections>", "requires": {"all": [{"credential": "c7"},
             {"choose": 1, "of": [{"credential": "c8"}, {"credential": "c4"}]}, {"hours": 20, "from": ["c10", "c11"]}]}}
            """.utf8), file: "c.json")
        _ = try store.stacks.importFile(Array(#"{"code": "d", "requires": {"all": [{"credential": "c7"}, {"hours": 10}]}}"#.utf8),
                                        file: "d.json")
        let settings = CohortRows.Settings(cohort: nil, day: day("2026-06-01"), goals: try store.learners.goalsByLearner(), allStacks: false,
                                           pace: nil, stalledAfter: 90, shortMissing: false)
        func site(_ name: String, threshold: Int, chunk: Int, cache: Int, page: Int = 40) throws -> (SiteTally, [String: Data]) {
            var report = SiteReport(store: store, folder: dir.file(name), settings: settings, stack: nil, solver: CBCSolver())
            report.parallelThreshold = threshold
            report.chunkLearners = chunk
            report.sectionCacheBytes = cache
            report.pageLearners = page
            let tally = try store.read { try report.write() }
            return (tally, try files(dir.file(name)))
        }
        let (reference, expected) = try site("reference", threshold: .max, chunk: 1_000, cache: 0)
        #expect(reference.learners == 301 && reference.sharedSections == 0)
        // Learner pages, stack pages, index.html and its 7 more pages of 40 learners, by-percent.html, the marker.
        #expect(expected.count == 301 + 4 + 1 + 7 + 2)
        // Every row is on one page of the learners table, in learner order, each page holding 40 learners at most.
        let rows = (1...8).map { page -> [String] in
            let html = String(decoding: expected[page == 1 ? "index.html" : "index-\(page).html"] ?? Data(), as: UTF8.self)
            return html.components(separatedBy: "<tr><td><a href=\"learners/").dropFirst().map { String($0.prefix { $0 != "." }) }
        }
        #expect(rows.joined().count == reference.histograms.reduce(0) { $0 + $1.total })
        #expect(rows.allSatisfy { Set($0).count <= 40 } && rows.map { Set($0).count }.reduce(0, +) == 301)
        #expect(rows.joined().map { $0 } == rows.joined().sorted())
        #expect(String(decoding: expected["index-2.html"]!, as: UTF8.self).contains("Learners 41–80 of 301"))
        // Worker threads take chunks as they come free, so which thread renders which differs from run to run.
        let ways = [("shared", Int.max, 1_000, 16 << 20), ("threads", 1, 7, 16 << 20), ("threads-one-each", 1, 1, 16 << 20),
                    ("threads-unshared", 1, 50, 0), ("tiny-cache", 1, 13, 2_000)]
        for (name, threshold, chunk, cache) in ways {
            let (tally, written) = try site(name, threshold: threshold, chunk: chunk, cache: cache)
            #expect(Set(written.keys) == Set(expected.keys), "\(name)")
            for (file, bytes) in expected where written[file] != bytes { Issue.record("\(name): \(file) differs") }
            #expect(tally.learners == 301, "\(name)")
            #expect(tally.histograms.map(\.median) == reference.histograms.map(\.median), "\(name)")
            #expect((tally.sharedSections > 0) == (cache > 0), "\(name): \(tally.sharedSections) shared")
        }
        // Written again with longer pages, the site drops the pages it no longer has. Each stack page was
        // written over a spare and exchanged with it: the spare now holds the version before.
        _ = try site("reference", threshold: 1, chunk: 30, cache: 0, page: 100)
        let rewritten = try files(dir.file("reference"))
        let stackPages = expected.keys.filter { $0.hasPrefix("stacks/") }
        #expect(stackPages.count == 4)
        for page in stackPages {
            #expect(rewritten["stacks/." + page.dropFirst("stacks/".count) + ".spare"] == expected[page], "\(page)'s spare")
        }
        #expect(rewritten["index-4.html"] != nil && rewritten["index-5.html"] == nil && rewritten.count == expected.count - 4 + 4)
    }

    @Test("a site written again removes the pages of learners no longer there, and keeps every other file")
    func stalePagesRemoved() throws {
        let dir = try TemporaryDirectory()
        let store = try cohortWorld(dir)
        let settings = CohortRows.Settings(cohort: nil, day: day("2026-06-01"), goals: try store.learners.goalsByLearner(), allStacks: false,
                                           pace: nil, stalledAfter: 90, shortMissing: false)
        func site() throws -> SiteTally {
            var report = SiteReport(store: store, folder: dir.file("site"), settings: settings, stack: nil, solver: CBCSolver())
            report.parallelThreshold = 1
            report.chunkLearners = 20
            return try store.read { try report.write() }
        }
        _ = try site()
        #expect(FileManager.default.fileExists(atPath: dir.file("site/learners/l1007.html")))
        try dir.write("site/learners/notes.txt", "mine")
        try store.learners.remove("l1007", force: true)
        #expect(try site().learners == 300)
        #expect(!FileManager.default.fileExists(atPath: dir.file("site/learners/l1007.html")))
        #expect(FileManager.default.fileExists(atPath: dir.file("site/learners/l1008.html")))
        #expect(FileManager.default.fileExists(atPath: dir.file("site/learners/notes.txt")))
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.file("site/learners")).filter { $0.hasSuffix(".html") }
        #expect(pages.count == 300)
    }

    @Test("the row writer writes what the plain row renderers write, for rows with and without a memo slot")
    func rowWriter() throws {
        let dir = try TemporaryDirectory()
        let store = try cohortWorld(dir)
        let settings = CohortRows.Settings(cohort: nil, day: day("2026-06-01"), goals: try store.learners.goalsByLearner(), allStacks: false,
                                           pace: nil, stalledAfter: 90, shortMissing: false)
        let portfolio = try Portfolio(store, only: nil, fallback: CBCSolver())
        let rows = CohortRows(portfolio: portfolio, settings: settings, solver: CBCSolver())
        rows.memoCapacity = 9  // most rows have no slot
        var writer = SiteRowWriter()
        var slotted = 0, unslotted = 0
        try rows.forEach(try everyLearner(store, portfolio)) { row, outlook, place in
            if place.slot == nil { unslotted += 1 } else { slotted += 1 }
            var overview = ByteBuffer(), stackPage = ByteBuffer()
            writer.rows(row, outlook, place, overview: &overview, stackPage: &stackPage)
            var expected = HTML()
            SiteRenderer.learnerRow(&expected, row, outlook)
            #expect(overview.exactBytes == expected.bytes, "\(row.handle) \(row.stack)")
            expected.removeAll()
            SiteRenderer.stackRow(&expected, row, outlook)
            #expect(stackPage.exactBytes == expected.bytes, "\(row.handle) \(row.stack)")
        }
        #expect(slotted > 100 && unslotted > 100)
    }

    @Test("by-percent.html lists the incomplete rows closest to done, at most its limit, ties by learner then stack")
    func closestRows() {
        var closest = ClosestRows(limit: 3)
        let offers: [(Double, Double, String, Int)] = [(50, 50, "b", 0), (80, 90, "c", 1), (80, 90, "a", 1), (80, 95, "d", 0),
                                                        (10, 10, "e", 0), (80, 90, "a", 0), (99.96, 99.96, "f", 0)]
        for (round, offer) in offers.enumerated() {
            closest.offer(percent: offer.0, projected: offer.1, handle: offer.2, stack: offer.3, bytes: [UInt8(round)])
        }
        // 99.96 shows as 100.0 but is not complete: it is kept, first.
        #expect(closest.sorted.map { "\($0.handle)\($0.stack)" } == ["f0", "d0", "a0"])
        #expect(closest.count == 3)
        var other = ClosestRows(limit: 3)
        other.offer(percent: 85, projected: 85, handle: "g", stack: 0, bytes: [])
        closest.merge(other)
        #expect(closest.sorted.map { "\($0.handle)\($0.stack)" } == ["f0", "g0", "d0"])
        #expect(ClosestRows.tenths(.nan) == 0 && ClosestRows.tenths(-3) == 0 && ClosestRows.tenths(1e300) == 1000)
    }

    @Test("rows offered in learner and stack order, with many ties, keep exactly the closest that a sort of all of them gives")
    func closestRowsWithTies() {
        var closest = ClosestRows(limit: 7)
        var all: [(Int, Int, String, Int)] = []
        for learner in 0..<40 {
            let handle = "learner-" + String(1000 + learner)
            for stack in 0..<5 {
                // Few distinct percents, so most rows tie with the last one kept.
                let tenths = ((learner * 7 + stack * 3) % 4) * 250
                all.append((tenths, tenths + (stack % 2) * 10, handle, stack))
                closest.offer(percent: Double(tenths) / 10, projected: Double(tenths + (stack % 2) * 10) / 10, handle: handle,
                              stack: stack, bytes: [])
            }
        }
        let expected = all.sorted { a, b in
            (a.0, a.1) != (b.0, b.1) ? (a.0, a.1) > (b.0, b.1) : (a.2, a.3) < (b.2, b.3)
        }.prefix(7).map { "\($0.2)/\($0.3)" }
        #expect(closest.sorted.map { "\($0.handle)/\($0.stack)" } == Array(expected))
    }
}
