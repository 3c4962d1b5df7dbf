public import CredfolioCore
import CredfolioEngine
public import CredfolioStore

extension Store {
    /// Integrity, foreign keys, and credfolio's own invariants: what the
    /// storage checks find, then whether every stack compiles and can be
    /// completed, and how many earned awards have lapsed by `day`.
    public func diagnose(on day: Day) throws -> [Finding] {
        var findings = try diagnoseStorage()
        func add(_ check: String, _ problems: [String], ok: String) { findings.add(check, problems, ok: ok) }

        // Every stack must parse and compile: references resolve, no cycles.
        var stackProblems: [String] = []
        var definitions: [String: StackDefinition] = [:]
        let rows = try stacks.codes()
        for code in rows {
            do {
                if let d = try stacks.find(code) { definitions[code] = d }
            } catch {
                stackProblems.append("\(error)")
            }
        }
        let catalog = Catalog(try credentials.list())
        let skillCodes = try skills.idsByCode()
        for (code, definition) in definitions.sorted(by: { $0.key < $1.key }) {
            do {
                let compiled = try CompiledStack(definition, catalog: catalog, stacks: { definitions[$0] })
                if !compiled.canEverComplete {
                    stackProblems.append(
                        "stack \(code) can never be complete: credential "
                            + compiled.repeatedCredentials(catalog: catalog).joined(separator: ", ")
                            + " is required more than once in a stack that is not shared")
                }
                for skill in definition.requires.references.skills.sorted() where skillCodes[skill] == nil {
                    stackProblems.append("stack \(code): skill \(skill) does not exist")
                }
            } catch let error as CredfolioError {
                stackProblems.append(error.message)
            }
        }
        add("stacks", stackProblems, ok: definitions.count == 1 ? "1 stack resolves" : "\(definitions.count) stacks resolve")

        // Not a fault, but worth knowing: earned awards that have lapsed.
        var expired = 0
        let portfolio = try Portfolio(self, only: nil, compile: false, checkRanges: false)
        try LearnerReader(self, portfolio).forEachLearner { _, facts in
            for fact in facts where fact.status == .earned {
                if let expiry = portfolio.catalog.expiry(of: fact), expiry <= day { expired += 1 }
            }
        }
        findings.append(Finding(check: "expiry", severity: .info,
                                detail: "\(NumberText.grouped(expired)) earned award\(expired == 1 ? " has" : "s have") expired by \(day)"))
        return findings
    }
}
