import CredfolioCBC
import CredfolioCore
import CredfolioEngine
import CredfolioReports
import CredfolioStore
#if canImport(Glibc)
import Glibc
#endif

/// `export progress`: one CSV row per learner × stack, streamed. Each stack
/// is compiled once and each learner's awards are read once, in one query,
/// so memory does not grow with the number of learners (beyond the memo).
///
/// A row is determined by the learner's ``ProgressKey`` for the stack, so
/// the cells after the learner's own are computed once per distinct key and
/// kept as bytes; real cohorts repeat the same patterns of holdings often.
///
/// A large export to a file uses a second core: the learners are split at
/// the median handle, and a worker thread with its own connection writes the
/// second half to an unnamed file in the output's folder, appended once the
/// first half is out.
/// The export holds the write lock meanwhile, so both halves read the same
/// state of the database.
struct ProgressExport {
    let store: Store
    let stack: String?
    let cohort: String?
    let asOf: Day
    /// Below this many learners one thread is quicker than two.
    var parallelThreshold = 20_000
    /// Where the second thread may keep its half of the rows: the output
    /// file's own folder, as an unnamed file. Nil (standard output) means
    /// one thread and no temporary file at all: `$TMPDIR` may be RAM.
    var spillFolder: String? = nil
    /// Filters, order and limit (`export progress --incomplete --sort …`).
    var query: CohortQuery? = nil
    /// Each learner's goal stacks: a learner with goals gets rows for those
    /// only. Nil: every stack for everyone (`--all-stacks`, `--stack`).
    var goals: [Int64: [LearnerGoal]]? = nil
    var stalledAfter = Stall.defaultDays

    func write(to csv: CSVWriter, sink: OutputSink) throws {
        try store.database.transaction {
            csv.row(ProgressFormatting.csvColumns)
            let count = try store.learners.count(cohort: cohort)
            // Two connections read one state only under the write lock, which
            // a read-only database cannot take: then one thread.
            // A sort or a limit needs every row in one place: then one thread.
            guard count >= parallelThreshold, !store.isReadOnly, query?.sort == nil, query?.limit == nil, let spillFolder,
                  let middle = try store.learners.handle(at: count / 2, cohort: cohort)
            else {
                try Self.rows(portfolio: Portfolio(store, only: stack, fallback: CBCSolver()), cohort: cohort, from: nil, before: nil,
                              asOf: asOf, query: query, stalledAfter: stalledAfter, goals: goals, to: csv)
                try csv.flush()
                return
            }
            let temporary = try TemporaryFile(folder: spillFolder, named: false)
            let worker = try Worker.start { [path = store.path, stack, cohort, asOf, query, stalledAfter, goals, fd = temporary.fd] in
                let store = try Store(path: path, access: .read)
                let csv = CSVWriter(sink: OutputSink(fileDescriptor: fd, name: "a temporary file"))
                try Self.rows(portfolio: Portfolio(store, only: stack, fallback: CBCSolver()), cohort: cohort, from: middle, before: nil,
                              asOf: asOf, query: query, stalledAfter: stalledAfter, goals: goals, to: csv)
                try csv.flush()
            }
            var firstHalf: (any Error)?
            do {
                try Self.rows(portfolio: Portfolio(store, only: stack, fallback: CBCSolver()), cohort: cohort, from: nil, before: middle,
                              asOf: asOf, query: query, stalledAfter: stalledAfter, goals: goals, to: csv)
                try csv.flush()
            } catch {
                firstHalf = error
            }
            let secondHalf = Result { try worker.join() }
            if let error = firstHalf { throw error }
            try secondHalf.get()
            try temporary.copy(to: sink)
        }
    }

    /// A computed row, as the memo keeps it: its cells from `stack` on, and
    /// what the filters and the order read.
    struct Cells {
        let bytes: [UInt8]
        let percent: Double
        let projected: Double
        let complete: Bool
    }

    /// Writes the rows of the learners in [from, before) that `query`
    /// admits; with a `--sort` or `--limit` they are collected first, as
    /// (key, bytes) pairs, ordered and cut, then written.
    static func rows(portfolio: Portfolio, cohort: String?, from: String?, before: String?, asOf: Day,
                     query: CohortQuery? = nil, stalledAfter: Int = Stall.defaultDays, goals: [Int64: [LearnerGoal]]? = nil,
                     to csv: CSVWriter) throws {
        let catalog = portfolio.catalog
        let stacks = portfolio.stacks.sorted { $0.definition.code < $1.definition.code }
        var memo = Array(repeating: ProgressKeyTable<Cells>(), count: stacks.count)
        var remembered = 0
        var prefix: [UInt8] = []
        let collect = query.map { $0.sort != nil || $0.limit != nil } ?? false
        var collected: [(row: CohortRow, bytes: [UInt8])] = []
        try portfolio.forEachLearner(cohort: cohort, from: from, before: before) { learner, facts in
            let held = catalog.holdings(facts, on: asOf)
            let projected = catalog.holdings(facts, on: asOf, projected: true)
            let heldMembers = held.members
            let projectedMembers = projected == held ? heldMembers : projected.members
            prefix.removeAll(keepingCapacity: true)
            ProgressFormatting.learnerCells(learner, into: &prefix)
            var last: Day??
            let learnerGoals = goals?[learner.id!]
            for (s, stack) in stacks.enumerated() {
                if let learnerGoals, !Goals.shows(stack.definition.code, to: learnerGoals.lazy.map(\.stack)) { continue }
                let key = stack.progressKey(held: heldMembers, projected: projectedMembers, catalog: catalog)
                let cells: Cells
                if let key, let known = memo[s][key] {
                    cells = known
                } else {
                    let p = stack.progress(held: held, projected: projected, catalog: catalog)
                    cells = Cells(bytes: ProgressFormatting.progressCells(p, catalog: catalog, asOf: asOf), percent: p.percent,
                                  projected: p.projectedPercent, complete: p.complete)
                    if let key, remembered < CohortRows.memoLimit {
                        memo[s][key] = cells
                        remembered += 1
                    }
                }
                guard let query else {
                    csv.rawRow(prefix, cells.bytes)
                    continue
                }
                if last == nil { last = .some(catalog.lastEarned(facts, on: asOf)) }
                let row = CohortRow(handle: learner.handle, name: learner.name, cohort: learner.cohort, stack: stack.definition.code,
                                    percent: cells.percent, projectedPercent: cells.projected, complete: cells.complete, missing: "",
                                    lastEarned: last!, stalled: Stall.isStalled(lastEarned: last!, complete: cells.complete,
                                                                               on: asOf, after: stalledAfter),
                                    target: learnerGoals?.first { $0.stack == stack.definition.code }?.target)
                guard query.admits(row) else { continue }
                if collect {
                    collected.append((row, prefix + cells.bytes))
                } else {
                    csv.rawRow(prefix, cells.bytes)
                }
            }
        }
        guard collect, let query else { return }
        if query.sort != nil { collected.sort { query.precedes($0.row, $1.row) } }
        for (i, entry) in collected.enumerated() {
            if let limit = query.limit, i >= limit { break }
            csv.rawRow(entry.bytes, [])
        }
    }
}
