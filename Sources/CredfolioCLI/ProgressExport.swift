import CredfolioCore
import CredfolioEngine
import CredfolioStore

/// `export progress`: one CSV row per learner × stack, streamed. Each stack
/// is compiled once and each learner's awards are read once, in one query,
/// so memory does not grow with the number of learners (beyond the memo).
///
/// A row is determined by the learner's ``ProgressKey`` for the stack, so
/// the cells after the learner's own are computed once per distinct key and
/// kept as bytes; real cohorts repeat the same patterns of holdings often.
struct ProgressExport {
    let store: Store
    let stack: String?
    let cohort: String?
    let asOf: Day
    /// Distinct keys remembered across all stacks: the memo stops growing
    /// there (about 40 MiB), so memory stays bounded however many learners
    /// there are; the first keys met are usually the most common ones.
    static let memoLimit = 160_000

    func write(to csv: CSVWriter) throws {
        let portfolio = try Portfolio(store, only: stack)
        let catalog = portfolio.catalog
        let stacks = portfolio.stacks.sorted { $0.definition.code < $1.definition.code }
        var memo = Array(repeating: [ProgressKey: [UInt8]](), count: stacks.count)
        csv.row(ProgressFormatting.csvColumns)
        var prefix: [UInt8] = []
        var remembered = 0
        try portfolio.forEachLearner(cohort: cohort) { learner, facts in
            let held = catalog.holdings(facts, on: asOf)
            let projected = catalog.holdings(facts, on: asOf, projected: true)
            let heldMembers = held.members
            let projectedMembers = projected == held ? heldMembers : projected.members
            prefix.removeAll(keepingCapacity: true)
            CSVWriter.appendText(learner.handle, to: &prefix)
            prefix.append(0x2C)
            CSVWriter.appendText(learner.name, to: &prefix)
            prefix.append(0x2C)
            CSVWriter.appendText(learner.cohort ?? "", to: &prefix)
            prefix.append(0x2C)
            for (s, stack) in stacks.enumerated() {
                let key = stack.progressKey(held: heldMembers, projected: projectedMembers, catalog: catalog)
                let cells: [UInt8]
                if let key, let known = memo[s][key] {
                    cells = known
                } else {
                    cells = Self.cells(stack.progress(held: held, projected: projected, catalog: catalog), catalog: catalog, asOf: asOf)
                    if let key, remembered < Self.memoLimit {
                        memo[s][key] = cells
                        remembered += 1
                    }
                }
                csv.rawRow(prefix, cells)
            }
        }
        try csv.flush()
    }

    /// The cells from `stack` to `as_of`, in ``ProgressFormatting/csvColumns`` order.
    static func cells(_ p: StackProgress, catalog: Catalog, asOf: Day) -> [UInt8] {
        var bytes: [UInt8] = []
        CSVWriter.appendText(p.code, to: &bytes)
        for number in [ProgressFormatting.percent(p.percent), ProgressFormatting.percent(p.projectedPercent),
                       p.complete ? "true" : "false", String(p.requirementsMet), String(p.requirementsTotal)] {
            bytes.append(0x2C)
            bytes.append(contentsOf: number.utf8)
        }
        bytes.append(0x2C)
        CSVWriter.appendText(p.missing(catalog: catalog).joined(separator: ";"), to: &bytes)
        bytes.append(0x2C)
        bytes.append(contentsOf: asOf.description.utf8)
        return bytes
    }
}
