import CCbc
import CredfolioCore
import CredfolioSystem
import Synchronization
public import CredfolioEngine
#if canImport(Glibc)
import Glibc
#endif

/// COIN-OR CBC through its C interface: the one place in credfolio that
/// touches it. The library is opened with `dlopen` on the first solve, so
/// the commands that never plan never load it (and its BLAS, LAPACK, Clp,
/// Cgl and Osi) at start-up.
public struct CBCSolver: MILPSolver {
    public init() {}

    /// The solver's version, e.g. `2.10.8`; loads the library.
    public static func version() throws -> String {
        String(cString: try CBCLibrary.shared().getVersion()!)
    }

    /// CBC's solve (CbcMain1) keeps state in statics: one solve at a time
    /// per process, whatever thread asks.
    private static let oneAtATime = Mutex(())

    public func solve(_ program: LinearProgram, seconds: Double, nodes: Int?) throws -> Solution {
        try Self.oneAtATime.withLock { _ in try solveAlone(program, seconds: seconds, nodes: nodes) }
    }

    private func solveAlone(_ program: LinearProgram, seconds: Double, nodes: Int?) throws -> Solution {
        let cbc = try CBCLibrary.shared()
        guard let model = cbc.newModel() else { throw CredfolioError.invalid("COIN-OR CBC could not create a model") }
        defer { cbc.deleteModel(model) }
        let n = program.columns.count, m = program.rows.count
        // Compressed sparse columns, as Cbc_loadProblem takes them.
        var perColumn = [[(row: Int32, value: Double)]](repeating: [], count: n)
        for (r, row) in program.rows.enumerated() {
            for term in row.terms { perColumn[term.column].append((Int32(r), term.coefficient)) }
        }
        var start: [CoinBigIndex] = [0], index: [Int32] = [], value: [Double] = []
        for column in perColumn {
            for entry in column {
                index.append(entry.row)
                value.append(entry.value)
            }
            start.append(CoinBigIndex(index.count))
        }
        let big = 1e30  // CBC's infinity
        let columnLower = program.columns.map(\.lower), columnUpper = program.columns.map(\.upper)
        let objective = program.columns.map(\.objective)
        let rowLower = program.rows.map { $0.lower == -.infinity ? -big : $0.lower }
        let rowUpper = program.rows.map { $0.upper == .infinity ? big : $0.upper }
        cbc.loadProblem(model, Int32(n), Int32(m), start, index.isEmpty ? [0] : index, value.isEmpty ? [0] : value,
                        columnLower, columnUpper, objective, rowLower.isEmpty ? [0] : rowLower, rowUpper.isEmpty ? [0] : rowUpper)
        for (i, column) in program.columns.enumerated() where column.isInteger { cbc.setInteger(model, Int32(i)) }
        cbc.setObjSense(model, 1)
        cbc.setLogLevel(model, 0)
        cbc.setParameter(model, "log", "0")
        cbc.setParameter(model, "slog", "0")
        cbc.setParameter(model, "threads", "0")
        cbc.setMaximumSeconds(model, max(0.01, seconds))
        if let nodes { cbc.setParameter(model, "maxNodes", String(nodes)) }
        // The measures are whole numbers: an optimum proven to within less
        // than 1 is exact. No relative gap is allowed.
        cbc.setAllowableGap(model, 1e-6)
        cbc.setAllowableFractionGap(model, 0)
        _ = cbc.solve(model)
        if cbc.isProvenInfeasible(model) != 0 {
            return Solution(status: .infeasible, values: [], objective: .infinity, bound: .infinity)
        }
        let bound = cbc.getBestPossibleObjValue(model)
        let found = cbc.numberSavedSolutions(model) > 0 || cbc.isProvenOptimal(model) != 0
        guard found, let raw = cbc.getColSolution(model) else {
            return Solution(status: .unknown, values: [], objective: .infinity, bound: bound)
        }
        // Integer columns come back within CBC's tolerance of a whole number.
        let values = (0..<n).map { program.columns[$0].isInteger ? (raw[$0] + 0.5).rounded(.down) : raw[$0] }
        guard program.isFeasible(values) else {
            return Solution(status: .unknown, values: [], objective: .infinity, bound: bound)
        }
        let optimal = cbc.isProvenOptimal(model) != 0 && cbc.isAbandoned(model) == 0
        return Solution(status: optimal ? .optimal : .feasible, values: values,
                        objective: program.objectiveValue(values), bound: optimal ? program.objectiveValue(values) : bound)
    }
}

/// The functions of libCbcSolver that credfolio calls, found with dlsym.
struct CBCLibrary: Sendable {
    let getVersion: credfolio_cbc_getVersion
    let newModel: credfolio_cbc_newModel
    let deleteModel: credfolio_cbc_deleteModel
    let loadProblem: credfolio_cbc_loadProblem
    let setInteger: credfolio_cbc_setInteger
    let setObjSense: credfolio_cbc_setObjSense
    let setParameter: credfolio_cbc_setParameter
    let setLogLevel: credfolio_cbc_setLogLevel
    let setMaximumSeconds: credfolio_cbc_setMaximumSeconds
    let setAllowableGap: credfolio_cbc_setAllowableGap
    let setAllowableFractionGap: credfolio_cbc_setAllowableFractionGap
    let solve: credfolio_cbc_solve
    let getColSolution: credfolio_cbc_getColSolution
    let getObjValue: credfolio_cbc_getObjValue
    let getBestPossibleObjValue: credfolio_cbc_getBestPossibleObjValue
    let numberSavedSolutions: credfolio_cbc_numberSavedSolutions
    let isProvenOptimal: credfolio_cbc_isProvenOptimal
    let isProvenInfeasible: credfolio_cbc_isProvenInfeasible
    let isAbandoned: credfolio_cbc_isAbandoned

    /// The sonames Debian installs (coinor-libcbc3.1), newest first.
    static let names = ["libCbcSolver.so.3", "libCbcSolver.so"]

    /// Loaded once per process; the handle is never closed.
    static let loaded: Result<CBCLibrary, CredfolioError> = {
        guard let library = SharedLibrary(firstOf: names) else {
            return .failure(CredfolioError.invalid(
                "planning needs COIN-OR CBC, which is not installed: apt-get install coinor-libcbc3.1 (or run Scripts/ensure-deps)"))
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws(CredfolioError) -> T {
            guard let function = library.function(name, as: type) else {
                throw CredfolioError.invalid("the installed COIN-OR CBC lacks \(name): install coinor-libcbc3.1 2.10 or later")
            }
            return function
        }
        do {
            return .success(CBCLibrary(
                getVersion: try symbol("Cbc_getVersion", credfolio_cbc_getVersion.self),
                newModel: try symbol("Cbc_newModel", credfolio_cbc_newModel.self),
                deleteModel: try symbol("Cbc_deleteModel", credfolio_cbc_deleteModel.self),
                loadProblem: try symbol("Cbc_loadProblem", credfolio_cbc_loadProblem.self),
                setInteger: try symbol("Cbc_setInteger", credfolio_cbc_setInteger.self),
                setObjSense: try symbol("Cbc_setObjSense", credfolio_cbc_setObjSense.self),
                setParameter: try symbol("Cbc_setParameter", credfolio_cbc_setParameter.self),
                setLogLevel: try symbol("Cbc_setLogLevel", credfolio_cbc_setLogLevel.self),
                setMaximumSeconds: try symbol("Cbc_setMaximumSeconds", credfolio_cbc_setMaximumSeconds.self),
                setAllowableGap: try symbol("Cbc_setAllowableGap", credfolio_cbc_setAllowableGap.self),
                setAllowableFractionGap: try symbol("Cbc_setAllowableFractionGap", credfolio_cbc_setAllowableFractionGap.self),
                solve: try symbol("Cbc_solve", credfolio_cbc_solve.self),
                getColSolution: try symbol("Cbc_getColSolution", credfolio_cbc_getColSolution.self),
                getObjValue: try symbol("Cbc_getObjValue", credfolio_cbc_getObjValue.self),
                getBestPossibleObjValue: try symbol("Cbc_getBestPossibleObjValue", credfolio_cbc_getBestPossibleObjValue.self),
                numberSavedSolutions: try symbol("Cbc_numberSavedSolutions", credfolio_cbc_numberSavedSolutions.self),
                isProvenOptimal: try symbol("Cbc_isProvenOptimal", credfolio_cbc_isProvenOptimal.self),
                isProvenInfeasible: try symbol("Cbc_isProvenInfeasible", credfolio_cbc_isProvenInfeasible.self),
                isAbandoned: try symbol("Cbc_isAbandoned", credfolio_cbc_isAbandoned.self)))
        } catch let error as CredfolioError {
            return .failure(error)
        } catch {
            return .failure(CredfolioError.invalid("\(error)"))
        }
    }()

    static func shared() throws(CredfolioError) -> CBCLibrary { try loaded.get() }
}
