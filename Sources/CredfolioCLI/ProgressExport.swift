import CredfolioCore
import CredfolioEngine
import CredfolioStore

/// `export progress`: one CSV row per learner × stack, streamed. Each stack
/// is compiled once and each learner's awards are read once, in one query,
/// so memory does not grow with the number of learners.
struct ProgressExport {
    let store: Store
    let stack: String?
    let cohort: String?
    let asOf: Day

    func write(to csv: CSVWriter) throws {
        let portfolio = try Portfolio(store, only: stack)
        let catalog = portfolio.catalog
        let stacks = portfolio.stacks.sorted { $0.definition.code < $1.definition.code }
        csv.row(ProgressFormatting.csvColumns)
        try portfolio.forEachLearner(cohort: cohort) { learner, facts in
            let held = catalog.holdings(facts, on: asOf)
            let projected = catalog.holdings(facts, on: asOf, projected: true)
            for s in stacks {
                ProgressFormatting.writeRow(csv, learner: learner, progress: s.progress(held: held, projected: projected, catalog: catalog),
                                            catalog: catalog, asOf: asOf)
            }
        }
        try csv.flush()
    }
}
