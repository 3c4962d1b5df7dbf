import CredfolioCore
import CredfolioEngine
import CredfolioApp
import CredfolioStore
import CredfolioSystem
import Synchronization

/// The rows of `report cohort` and `export progress`: one ``CohortRows``
/// rule for both, filtered, tallied for the summary, and written in one
/// format, in learner order (or collected, for `--sort`).
///
/// One thread reads the learners, in chunks (``LearnerReader``); from
/// ``parallelThreshold`` learners, worker threads turn the chunks into
/// rows and the reading thread writes them in order (``OrderedChunks``).
/// The caller runs it in one read transaction, so every chunk comes from
/// one state of the database and no writer waits for it.
struct CohortReport {
    /// How the rows are written.
    enum Style: Sendable {
        /// `report cohort`'s columns, in a format.
        case cohort(OutputFormat, jsonIndent: String)
        /// `export progress`'s CSV columns, with its as-of date.
        case progress(asOf: Day)

        var isJSON: Bool {
            if case .cohort(.json, _) = self { return true }
            return false
        }
    }

    /// One admitted row, as values.
    struct Entry: Sendable {
        let row: CohortRow
        let outlook: CohortRows.Outlook?
        let place: CohortRows.Place
    }

    /// A chunk of learners turned into rows: as bytes, ready to write, when
    /// the rows stream in learner order; else as values, for this thread to
    /// measure (a table), order (`--sort`) or cut (`--limit`).
    struct Rendered: Sendable {
        var bytes: [UInt8] = []
        var rows = 0
        var entries: [Entry] = []
        var tally = CohortTally()
    }

    let store: Store
    let portfolio: Portfolio
    let settings: CohortRows.Settings
    let query: CohortQuery
    let style: Style
    let solver: any MILPSolver
    /// From this many learners, worker threads render the rows.
    var parallelThreshold = 1_000
    /// Learners per chunk.
    var chunkLearners = 250
    /// How many rows a streamed table measures its columns on.
    var tableSample = TableSample.rows

    private var format: OutputFormat {
        if case .cohort(let format, _) = style { return format }
        return .csv
    }

    /// Whether workers write the rows as bytes: in learner order, every row, in CSV or JSON (a table once
    /// its columns are measured).
    private var streamsBytes: Bool { format != .table && query.sort == nil && query.limit == nil }

    /// A streamed table's measure, once the writing thread has taken it from the table's first rows: from
    /// then on workers write the table's rows as bytes too.
    final class SharedMeasure: Sendable {
        let value = Mutex<TableMeasure?>(nil)
    }

    /// Writes the rows (the table's header line included, or its empty
    /// message), and returns their tally.
    func write(to sink: OutputSink, emptyMessage: String) throws -> CohortTally {
        let learners = try store.learners.count(cohort: settings.cohort)
        let threads = learners >= parallelThreshold ? OrderedChunks.workers : 0
        let reader = LearnerReader(store, portfolio)
        let measure = SharedMeasure()
        var consumer = Consumer(style: style, query: query, tableSample: tableSample, sink: sink,
                                measured: format == .table && query.sort == nil && query.limit == nil ? measure : nil)
        try OrderedChunks.run(
            threads: threads, window: 2 * max(1, threads) + 2,
            worker: renderer(threads: threads, measure: measure),
            produce: { submit in
                try reader.forEachChunk(cohort: settings.cohort, details: false, size: chunkLearners, total: learners, submit)
            },
            consume: { try consumer.take($0) })
        return try consumer.finish(emptyMessage: emptyMessage)
    }

    /// What each worker runs: its own rows (and memo) and writer.
    private func renderer(threads: Int, measure: SharedMeasure) -> @Sendable () throws -> ([LearnerAwards]) throws -> Rendered {
        let (portfolio, settings, query, style, solver, streamsBytes) = (portfolio, settings, query, style, solver, streamsBytes)
        return {
            // A worker's own copy: the reference counts it touches at every row are then its own.
            let rows = CohortRows(portfolio: threads == 0 ? portfolio : try portfolio.ownCopy(), settings: settings, solver: solver)
            // With two threads rendering, each keeps a quarter of the memo's limit: at 100,000 learners that ran as
            // fast as half each, in 63 MiB instead of 90 MiB.
            rows.memoCapacity = threads == 0 ? CohortRows.memoLimit : CohortRows.memoLimit / (2 * (threads + 1))
            var writer = RowWriter(style)
            var measured = false
            return { chunk in
                var out = Rendered()
                if !streamsBytes && !measured, let table = measure.value.withLock({ $0 }) {
                    writer = RowWriter(.cohort(.table, jsonIndent: ""), table: table)
                    measured = true
                }
                try rows.forEach(chunk) { row, outlook, place in
                    guard query.admits(row) else { return }
                    out.tally.add(row, at: place)
                    if streamsBytes || measured {
                        writer.append(row, outlook, place, to: &out.bytes)
                        out.rows += 1
                    } else {
                        // This thread's memo slots mean nothing to the writing thread.
                        out.entries.append(Entry(row: row, outlook: outlook, place: place.unslotted))
                    }
                }
                return out
            }
        }
    }

    /// The writing thread's side: rows written in order, or kept to be
    /// measured, sorted or cut; the tally.
    private struct Consumer {
        let style: Style
        let query: CohortQuery
        let sink: OutputSink
        var tally = CohortTally()
        /// Rows written so far (JSON puts a comma between two).
        var written = 0
        /// Rows admitted so far, for `--limit` (which cuts the rows, not the tally).
        var admitted = 0
        /// Rows kept: all of them for `--sort`; a table's first ones until they are measured.
        var kept: [Entry] = []
        var sample: TableSample
        var writer: RowWriter
        var buffer: [UInt8] = []
        /// Whether rows are written as they come (a table: once measured).
        var streaming: Bool

        /// Where a streamed table's measure goes, once taken, for the workers.
        let measured: SharedMeasure?

        init(style: Style, query: CohortQuery, tableSample: Int, sink: OutputSink, measured: SharedMeasure?) {
            self.style = style
            self.query = query
            self.sink = sink
            self.measured = measured
            // Sorted rows are measured whole; a streamed table on its first rows.
            sample = TableSample(limit: query.sort == nil ? tableSample : Int.max)
            writer = RowWriter(style)
            if case .cohort(.table, _) = style { streaming = false } else { streaming = true }
        }

        mutating func take(_ chunk: Rendered) throws {
            tally.merge(chunk.tally)
            if chunk.rows > 0 {
                // What this thread wrote of earlier chunks goes first.
                buffer.withUnsafeBufferPointer { sink.write(bytes: $0) }
                buffer.removeAll(keepingCapacity: true)
                // A worker's rows each begin with the comma JSON puts between rows, which the first row goes without.
                let skip = written == 0 && style.isJSON ? 1 : 0
                chunk.bytes.withUnsafeBufferPointer { sink.write(bytes: UnsafeBufferPointer(rebasing: $0[skip...])) }
                written += chunk.rows
            }
            for entry in chunk.entries {
                admitted += 1
                if query.sort != nil {
                    kept.append(entry)
                } else if admitted <= query.limit ?? .max {
                    if streaming {
                        write(entry)
                    } else {
                        kept.append(entry)
                        sample.add(entry.row, entry.outlook, entry.place)
                        if sample.isFull, let measure = sample.measure {
                            startTable(measure)
                            for entry in kept { write(entry) }
                            kept = []
                        }
                    }
                }
            }
        }

        mutating func finish(emptyMessage: String) throws -> CohortTally {
            if query.sort != nil {
                kept.sort { query.precedes($0.row, $1.row) }
                if let limit = query.limit, kept.count > limit { kept.removeSubrange(limit...) }
                if !streaming { for entry in kept { sample.add(entry.row, entry.outlook, entry.place) } }
            }
            if !streaming {
                guard let measure = sample.measure else {
                    sink.write(emptyMessage + "\n")
                    return tally
                }
                startTable(measure)
            }
            for entry in kept { write(entry) }
            buffer.withUnsafeBufferPointer { sink.write(bytes: $0) }
            return tally
        }

        private mutating func startTable(_ measure: TableMeasure) {
            buffer += measure.headerLine()
            writer = RowWriter(.cohort(.table, jsonIndent: ""), table: measure)
            streaming = true
            measured?.value.withLock { $0 = measure }
        }

        private mutating func write(_ entry: Entry) {
            writer.separate(written > 0)
            writer.append(entry.row, entry.outlook, entry.place, to: &buffer)
            written += 1
            if buffer.count >= 1 << 16 {
                buffer.withUnsafeBufferPointer { sink.write(bytes: $0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// A row writer of either style.
    /// A row writer of either style: one of the two is set. Optional chaining mutates it in place.
    private struct RowWriter {
        private var cohort: CohortRowWriter?
        private var progress: ProgressRowWriter?

        init(_ style: Style, table: TableMeasure? = nil) {
            switch style {
            case .cohort(let format, let jsonIndent):
                cohort = CohortRowWriter(format: format, table: table, jsonIndent: jsonIndent)
                cohort?.separate = true
            case .progress(let day):
                progress = ProgressRowWriter(asOf: day)
            }
        }

        /// JSON: whether the next row needs a comma before it (the export's CSV has no such thing).
        mutating func separate(_ separate: Bool) {
            cohort?.separate = separate
        }

        mutating func append(_ row: CohortRow, _ outlook: CohortRows.Outlook?, _ place: CohortRows.Place, to bytes: inout [UInt8]) {
            cohort?.append(row, outlook, place, to: &bytes)
            progress?.append(row, place, to: &bytes)
        }
    }
}

/// The rows a streamed table measures its columns on: its first
/// ``rows`` rows. A table up to that long is aligned exactly; past it, a
/// later cell wider than its column pushes the rest of its line right,
/// instead of every row being computed twice (once to measure, once to write).
struct TableSample {
    static let rows = 10_000
    let limit: Int
    private var measured = TableMeasure(columns: CohortRows.columns)
    private var measurer = CohortRowWriter(format: .table)

    init(limit: Int) { self.limit = limit }

    var isFull: Bool { measured.rows >= limit }

    /// The measure, once any row was added.
    var measure: TableMeasure? { measured.rows > 0 ? measured : nil }

    mutating func add(_ row: CohortRow, _ outlook: CohortRows.Outlook?, _ place: CohortRows.Place) {
        guard !isFull else { return }
        measurer.measure(row, outlook, place, into: &measured)
    }
}
