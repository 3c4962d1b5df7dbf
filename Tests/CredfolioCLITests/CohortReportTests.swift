import Foundation
import Testing
@testable import CredfolioTestSupport
@testable import CredfolioSystem
@testable import CredfolioCore
@testable import CredfolioEngine
@testable import CredfolioApp
@testable import CredfolioStore
@testable import CredfolioCLI
import CredfolioCBC

@Suite("report cohort: the row writer and the two-thread path", .serialized)
struct CohortReportTests {
    func world(_ dir: TemporaryDirectory) throws -> Store { try cohortWorld(dir) }

    func portfolio(_ store: Store) throws -> Portfolio {
        try Portfolio(store, only: nil, fallback: CBCSolver())
    }

    func settings(_ store: Store, _ format: OutputFormat) throws -> CohortRows.Settings {
        CohortRows.Settings(cohort: nil, day: day("2026-06-01"), goals: try store.learners.goalsByLearner(), allStacks: false,
                            pace: nil, stalledAfter: 90, shortMissing: format == .table)
    }

    func report(_ store: Store, _ format: OutputFormat, _ query: CohortQuery = CohortQuery()) throws -> CohortReport {
        CohortReport(store: store, portfolio: try portfolio(store), settings: try settings(store, format), query: query,
                     style: .cohort(format, jsonIndent: format == .json ? "  " : ""), solver: CBCSolver())
    }

    @Test("the row writer writes exactly what the generic writers make of each row's cells, in every format")
    func writerMatchesCells() throws {
        let dir = try TemporaryDirectory()
        let store = try world(dir)
        for format in [OutputFormat.table, .csv, .json] {
            let reference = try captureOutput(in: dir) { sink in
                let rows = CohortRows(portfolio: try portfolio(store), settings: try settings(store, format), solver: CBCSolver())
                let learners = try everyLearner(store, try portfolio(store))
                try streamReport(columns: CohortRows.columns, format: format, to: sink, jsonIndent: format == .json ? "  " : "") { emit in
                    try rows.forEach(learners) { row, outlook, _ in emit(CohortRows.cells(row, outlook, table: format == .table)) }
                }
            }
            let written = try captureOutput(in: dir) { sink in
                if format == .json { sink.write("[") }
                let tally = try report(store, format).write(to: sink, emptyMessage: "")
                if format == .json { sink.write(tally.count == 0 ? "]" : "\n  ]") }
                // Two stacks each, but one for the 61 learners whose only goal is b.
                #expect(tally.count == 301 * 2 - 61)
            }
            let expected = format == .csv ? reference.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? "" : reference
            #expect(written == expected, "\(format)")
            #expect(written.contains("on-track") || written.contains("off-track") || written.contains("unknown"), "\(format)")
        }
    }

    @Test("worker threads write the same bytes and tally as one thread, in every format, with small chunks, filters and goals")
    func parallelMatchesSerial() throws {
        let dir = try TemporaryDirectory()
        let store = try world(dir)
        var onlyHigh = CohortQuery()
        onlyHigh.minPercent = 60
        var stalled = CohortQuery()
        stalled.stalledOnly = true
        var complete = CohortQuery()
        complete.completeOnly = true
        let cases: [(OutputFormat, CohortQuery)] = [(.table, CohortQuery()), (.csv, CohortQuery()), (.json, CohortQuery()),
                                                   (.json, onlyHigh), (.json, complete), (.table, stalled)]
        for (format, query) in cases {
            do {
                var serialTally: CohortTally?
                let serial = try captureOutput(in: dir) { sink in
                    var report = try report(store, format, query)
                    report.parallelThreshold = .max
                    serialTally = try report.write(to: sink, emptyMessage: "empty")
                }
                // One learner a chunk, for one case: every chunk boundary is crossed.
                for chunk in [7, 50] + (format == .json && query.completeOnly ? [1] : []) {
                    var parallelTally: CohortTally?
                    let parallel = try captureOutput(in: dir) { sink in
                        var report = try report(store, format, query)
                        report.parallelThreshold = 1
                        report.chunkLearners = chunk
                        parallelTally = try report.write(to: sink, emptyMessage: "empty")
                    }
                    #expect(parallel == serial, "\(format) chunk \(chunk)")
                    #expect(parallelTally?.count == serialTally?.count)
                    #expect(parallelTally?.byStack.map(\.median) == serialTally?.byStack.map(\.median))
                }
                #expect(serialTally!.count > 0)
                // The first learner has no complete stack: the first row comes from a later chunk.
                if query.completeOnly { #expect(!serial.contains("\"l1000\"") && serial.hasPrefix("\n    {")) }
            }
        }
    }

    @Test("a streamed table is measured on its first rows: a later, wider cell pushes its line right, and nothing traps")
    func tableSample() throws {
        let dir = try TemporaryDirectory()
        let store = try world(dir)
        var tables: [String] = []
        for threshold in [Int.max, 1] {
            let table = try captureOutput(in: dir) { sink in
                var report = try report(store, .table)
                report.parallelThreshold = threshold
                report.chunkLearners = 10
                report.tableSample = 3
                _ = try report.write(to: sink, emptyMessage: "empty")
            }
            let lines = table.split(separator: "\n")
            // The header and the first three rows agree on the column where STACK starts (in display columns: the
            // cohort 日本-0 is six wide); the hostile name of l1011 is wider.
            let stackColumn = lines[0].range(of: "STACK")!.lowerBound.utf16Offset(in: lines[0])
            /// What a line shows from display column `column` on.
            func from(_ column: Int, _ line: Substring) -> Substring {
                var width = 0, start = line.startIndex
                while width < column, start < line.endIndex {
                    width += DisplayWidth.of(line[start])
                    start = line.index(after: start)
                }
                return line[start...]
            }
            for line in lines[1...3] { #expect(from(stackColumn, line).hasPrefix("a ") || from(stackColumn, line).hasPrefix("b ")) }
            let wide = try #require(lines.first { $0.hasPrefix("l1011") })
            #expect(wide.contains("Zoë \"=SUM\", 11"))
            #expect(!from(stackColumn, wide).hasPrefix("a ") && !from(stackColumn, wide).hasPrefix("b "))
            tables.append(table)
        }
        // Worker threads write the rows after the sample as bytes, with the sample's measure: the same table.
        #expect(tables[0] == tables[1])
    }
}
