import CredfolioCBC
import CredfolioCore
import CredfolioEngine
import CredfolioReports
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

/// `report cohort`'s rows: filtered, tallied for the summary, and written
/// in one format, streamed in learner order (or collected, for `--sort`).
///
/// A large cohort written in learner order uses a second core, as `export
/// progress` does: the learners are cut into chunks of consecutive handles;
/// this thread writes the even chunks and a worker with its own connection
/// renders the odd ones, handing them over through ``Frames`` in order.
/// A table measures its columns the same way first, each thread on half of
/// the learners. Both threads read one state of the database: the report
/// holds the write lock meanwhile, as the export does.
struct CohortReport {
    /// What a report cohort run shows: the learners, stacks and rules.
    struct Scope: Sendable {
        var path: String
        var stack: String?
        var rows: CohortRows.Settings
        var query: CohortQuery
        var format: OutputFormat
        var jsonIndent: String

        /// The rows, from `portfolio`. With two threads each keeps a
        /// quarter of the memo's limit: at 100,000 learners that ran as fast
        /// as half each, in 63 MiB instead of 90 MiB.
        func rows(_ portfolio: Portfolio, threads: Int = 1) -> CohortRows {
            let rows = CohortRows(portfolio: portfolio, settings: self.rows)
            rows.memoCapacity = threads == 1 ? CohortRows.memoLimit : CohortRows.memoLimit / (2 * threads)
            return rows
        }

        /// A worker's rows, through a connection of its own.
        func rows(path: String, threads: Int) throws -> CohortRows {
            rows(try Portfolio(Store(path: path, access: .read), only: stack, fallback: CBCSolver()), threads: threads)
        }
    }

    /// What the admitted rows add up to: the summary's histograms, and how many.
    struct Tally: Sendable {
        /// By the stack's position in code order (``CohortRows/Place/stack``).
        private(set) var byStack: [PercentHistogram] = []
        private(set) var count = 0

        mutating func add(_ row: CohortRow, at place: CohortRows.Place) {
            if place.stack >= byStack.count { byStack += repeatElement(PercentHistogram(), count: place.stack + 1 - byStack.count) }
            byStack[place.stack].add(row.percent, complete: row.complete)
            count += 1
        }

        mutating func merge(_ other: Tally) {
            if other.byStack.count > byStack.count { byStack += repeatElement(PercentHistogram(), count: other.byStack.count - byStack.count) }
            for (i, h) in other.byStack.enumerated() { byStack[i].merge(h) }
            count += other.count
        }

        /// The histogram of the stack at `index` in code order.
        func histogram(at index: Int) -> PercentHistogram {
            index < byStack.count ? byStack[index] : PercentHistogram()
        }
    }

    let store: Store
    /// The stacks compiled and the catalog, for this thread's rows.
    let portfolio: Portfolio
    let scope: Scope
    /// Below this many learners one thread is quicker than two.
    var parallelThreshold = 20_000
    /// Learners per chunk handed between the threads.
    var chunkLearners = 250
    /// This thread renders one chunk in `mainShare`, and writes them all.
    var mainShare = 2
    /// How many rows a streamed table measures its columns on.
    var tableSample = TableSample.rows

    /// Writes the rows (the table's header line included, or its empty
    /// message), and returns their tally.
    func write(to sink: OutputSink, emptyMessage: String) throws -> Tally {
        let query = scope.query
        if query.sort == nil, query.limit == nil, !store.isReadOnly {
            if try store.learners.count(cohort: scope.rows.cohort) >= parallelThreshold {
                return try store.database.transaction { try parallel(to: sink, emptyMessage: emptyMessage) }
            }
        }
        return try serial(to: sink, emptyMessage: emptyMessage)
    }

    /// One thread: rows streamed (a table once its sample is measured),
    /// or, for `--sort`, collected, sorted and cut.
    private func serial(to sink: OutputSink, emptyMessage: String) throws -> Tally {
        let rows = scope.rows(portfolio)
        let query = scope.query
        let limit = query.limit ?? Int.max
        var tally = Tally()
        var buffer: [UInt8] = []
        var writer = CohortRowWriter(format: scope.format, jsonIndent: scope.jsonIndent)
        // Sorted rows are measured whole; a streamed table on its first rows.
        var sample = TableSample(limit: query.sort == nil ? tableSample : Int.max)
        var kept: [Entry] = []
        var streaming = scope.format != .table
        func startTable(_ measure: TableMeasure) {
            buffer += measure.headerLine()
            writer = CohortRowWriter(format: .table, table: measure)
            streaming = true
        }
        try rows.forEach { row, outlook, place in
            guard query.admits(row) else { return }
            tally.add(row, at: place)
            if query.sort != nil {
                kept.append((row, outlook, place))
            } else if tally.count <= limit {
                if streaming {
                    writer.append(row, outlook, place, to: &buffer)
                    flushIfLarge(&buffer, to: sink)
                } else {
                    kept.append((row, outlook, place))
                    sample.add(row, outlook, place)
                    if sample.isFull, let measure = sample.measure {
                        startTable(measure)
                        for entry in kept { writer.append(entry.row, entry.outlook, entry.place, to: &buffer) }
                        kept = []
                    }
                }
            }
        }
        if query.sort != nil {
            kept.sort { query.precedes($0.row, $1.row) }
            if kept.count > limit { kept.removeSubrange(limit...) }
            if scope.format == .table { for entry in kept { sample.add(entry.row, entry.outlook, entry.place) } }
        }
        if !streaming {
            guard let measure = sample.measure else {
                sink.write(emptyMessage + "\n")
                return tally
            }
            startTable(measure)
        }
        for entry in kept {
            writer.append(entry.row, entry.outlook, entry.place, to: &buffer)
            flushIfLarge(&buffer, to: sink)
        }
        buffer.withUnsafeBufferPointer { sink.write(bytes: $0) }
        return tally
    }

    /// Two threads, rows in learner order, no limit.
    private func parallel(to sink: OutputSink, emptyMessage: String) throws -> Tally {
        let scope = self.scope
        let chunks = try Self.chunks(of: store, cohort: scope.rows.cohort, learners: chunkLearners)
        let rows = scope.rows(portfolio, threads: 2)
        var share = Share(rows: rows, query: scope.query)
        var tally = Tally()
        // A table is measured on its first rows, rendered here before the worker starts.
        var measure: TableMeasure?
        var sampled: [Entry] = []
        var next = 0
        if scope.format == .table {
            var sample = TableSample(limit: tableSample)
            while next < chunks.count && !sample.isFull {
                try share.rows.forEach(from: chunks[next].from, before: chunks[next].before) { row, outlook, place in
                    guard scope.query.admits(row) else { return }
                    share.tally.add(row, at: place)
                    sample.add(row, outlook, place)
                    sampled.append((row, outlook, place))
                }
                next += 1
            }
            guard let measured = sample.measure else {
                sink.write(emptyMessage + "\n")
                return share.tally
            }
            var bytes = measured.headerLine()
            var writer = CohortRowWriter(format: .table, table: measured)
            for entry in sampled {
                writer.append(entry.row, entry.outlook, entry.place, to: &bytes)
                flushIfLarge(&bytes, to: sink)
            }
            bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
            sampled = []
            measure = measured
        }
        let chunksLeft = Array(chunks[next...])
        // The rows: every `mainShare`-th chunk here, the others in the worker, written in order.
        let mainShare = self.mainShare
        func isMine(_ i: Int) -> Bool { i % mainShare == 0 }
        var frames = try Frames()
        let worker = try Worker.start { [chunks = chunksLeft, measure, fd = frames.sender] () -> Tally in
            defer { close(fd) }
            var share = Share(rows: try scope.rows(path: scope.path, threads: 2), query: scope.query)
            var writer = CohortRowWriter(format: scope.format, table: measure, jsonIndent: scope.jsonIndent)
            writer.separate = true
            var sender = Frames.Sender(fd: fd, total: chunks.indices.count { $0 % mainShare != 0 })
            var buffer: [UInt8] = []
            for chunk in chunks.enumerated() where chunk.offset % mainShare != 0 {
                let rows = try share.render(chunk.element, with: &writer, into: &buffer, piece: nil) { _ in }
                buffer = try sender.send(Frames.Chunk(bytes: buffer, rows: rows)).first ?? []
            }
            return share.tally
        }
        frames.handOverSender()
        var writer = CohortRowWriter(format: scope.format, table: measure, jsonIndent: scope.jsonIndent)
        var written = 0
        let theirTotal = chunksLeft.indices.count { !isMine($0) }
        let mine = Result {
            var buffer: [UInt8] = []
            var received = 0
            for (i, chunk) in chunksLeft.enumerated() {
                if isMine(i) {
                    writer.separate = written > 0
                    written += try share.render(chunk, with: &writer, into: &buffer) { bytes in
                        bytes.withUnsafeBufferPointer { sink.write(bytes: $0) }
                    }
                } else {
                    let theirs = try frames.receive()
                    // Their rows each begin with a comma, which the very first row goes without.
                    let skip = scope.format == .json && written == 0 && theirs.rows > 0 ? 1 : 0
                    theirs.bytes.withUnsafeBufferPointer { sink.write(bytes: UnsafeBufferPointer(rebasing: $0[skip...])) }
                    written += theirs.rows
                    frames.giveBack(theirs, index: received, total: theirTotal)
                    received += 1
                }
            }
        }
        let theirTally = try frames.finish(mine, joining: worker)
        tally = share.tally
        tally.merge(theirTally)
        return tally
    }

    typealias Entry = (row: CohortRow, outlook: CohortRows.Outlook?, place: CohortRows.Place)

    /// Learners whose handles lie in [from, before).
    struct Chunk: Sendable {
        let from: String?
        let before: String?
    }

    /// The learners of `cohort` (nil: all) cut into chunks of `learners`
    /// consecutive handles; with `total`, the last ones smaller.
    static func chunks(of store: Store, cohort: String?, learners: Int, tapering total: Int? = nil) throws -> [Chunk] {
        // The first handle of every chunk after the first: every `learners`-th handle, in order, read in
        // one pass over the handles (a window function numbering every row cost several times more, on
        // the one thread that runs before the second starts). Only those handles are made strings.
        // With `total` (how many learners there are), the last two chunks' worth are cut in quarters, so
        // that a thread waiting for the other's last chunk waits for a smaller one.
        let size = max(1, learners)
        var starts: [String] = []
        var n = 0, next = size
        try store.database.cachedStatement("SELECT handle FROM learner\(cohort == nil ? "" : " WHERE cohort = ?1") ORDER BY handle")
            .forEachRow(cohort.map { [DatabaseValue.text($0)] } ?? []) { row in
                if n == next {
                    starts.append(row.string(0))
                    let nearTheEnd = total.map { $0 - n <= 2 * size } ?? false
                    next += nearTheEnd ? max(1, size / 4) : size
                }
                n += 1
            }
        return zip([nil] + starts, starts.map(Optional.some) + [nil]).map { Chunk(from: $0, before: $1) }
    }

    /// One thread's rows and tally.
    struct Share {
        let rows: CohortRows
        let query: CohortQuery
        var tally = Tally()

        init(rows: CohortRows, query: CohortQuery) {
            self.rows = rows
            self.query = query
        }

        /// Renders the admitted rows of `chunk` into `buffer` (emptied
        /// first), handing `emit` every `piece` bytes (and emptying it
        /// again); returns how many rows.
        mutating func render(_ chunk: Chunk, with writer: inout CohortRowWriter, into buffer: inout [UInt8],
                             piece: Int? = 1 << 16, emit: ([UInt8]) throws -> Void) throws -> Int {
            buffer.removeAll(keepingCapacity: true)
            var count = 0
            try rows.forEach(from: chunk.from, before: chunk.before) { row, outlook, place in
                guard query.admits(row) else { return }
                tally.add(row, at: place)
                count += 1
                writer.append(row, outlook, place, to: &buffer)
                if let piece, buffer.count >= piece {
                    try emit(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if piece != nil {
                try emit(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            return count
        }
    }

    private func flushIfLarge(_ buffer: inout [UInt8], to sink: OutputSink) {
        guard buffer.count >= 1 << 16 else { return }
        buffer.withUnsafeBufferPointer { sink.write(bytes: $0) }
        buffer.removeAll(keepingCapacity: true)
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
