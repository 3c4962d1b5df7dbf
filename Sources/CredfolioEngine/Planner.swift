public import CredfolioCore
#if canImport(Glibc)
import Glibc
#endif

/// What the next-best plan minimises.
public enum Measure: String, CaseIterable, Sendable {
    case hours, cost, weeks

    /// The credential's value of this measure; nil when it is unknown.
    public func of(_ credential: Credential) -> Int64? {
        switch self {
        case .hours: return credential.hours
        case .cost: return credential.costCents
        case .weeks: return credential.weeks
        }
    }
}

/// What a plan may and may not use, and the limits it must keep.
public struct PlanOptions: Sendable {
    public var measure: Measure
    /// At most this much cost (cents) in the credentials to earn.
    public var maxCostCents: Int64?
    /// At most this many hours in the credentials to earn.
    public var maxHours: Int64?
    /// Finished within this many weeks: with `pace`, ceil(hours / pace);
    /// without it, the credentials' weeks one after another.
    public var withinWeeks: Int64?
    /// Study hours a week.
    public var pace: Double?
    /// Catalog indices never to suggest.
    public var excluded: Set<Int> = []
    /// Only credentials offered in one of these ways (nil: any). A
    /// credential whose delivery is unknown cannot be shown to match.
    public var formats: Set<DeliveryFormat>?
    /// How long the solver may search, in seconds.
    public var timeLimit: Double = 10

    public init(measure: Measure = .hours) { self.measure = measure }

    /// False when the options leave `credential` out: excluded, or not
    /// offered in a delivery mode asked for.
    public func allows(_ i: Int, _ credential: Credential) -> Bool {
        !excluded.contains(i) && formats.map { credential.deliveries.contains(where: $0.contains) } != false
    }

    var hasLimits: Bool { !limits.isEmpty }

    typealias Limit = (name: String, bound: Double, value: KeyPath<Credential, Int64?>)

    /// Each limit given: its row's name, its bound, and the credential value
    /// it counts. `--within-weeks` counts hours at a pace (ceil(hours /
    /// pace) ≤ W exactly when hours ≤ W · pace), else weeks.
    var limits: [Limit] {
        var out: [Limit] = []
        if let maxCostCents { out.append(("max_cost", Double(maxCostCents), \.costCents)) }
        if let maxHours { out.append(("max_hours", Double(maxHours), \.hours)) }
        if let withinWeeks, let pace {
            out.append(("within_weeks", Double(withinWeeks) * pace, \.hours))
        } else if let withinWeeks {
            out.append(("within_weeks", Double(withinWeeks), \.weeks))
        }
        return out
    }
}

/// The cheapest set of credentials whose addition completes a stack.
public struct Plan: Sendable, Equatable {
    /// True when a plan was found, false when the solver proved that no
    /// set of catalog credentials completes the stack, nil when the time
    /// limit ran out before either.
    public var completable: Bool?
    /// Catalog indices to earn, least measure first, then by code.
    public var credentials: [Int]
    /// The total of the measure over those of `credentials` whose measure
    /// is known.
    public var total: Int64
    /// True only when the solver proved that no plan has a smaller total.
    public var optimal: Bool
    /// A proven lower bound on the least total (equal to `total` when optimal).
    public var bound: Int64?
    /// False when `--max-cost`, `--max-hours` or `--within-weeks` could not
    /// all be met: the plan is then the best one without them.
    public var limitsMet: Bool
    /// Why the stack cannot be completed, or why no plan was found.
    public var reason: String?
    /// How many of `credentials` have the measure unknown: never counted
    /// as 0, so the plan uses as few of them as it can (see ``CompiledStack/plan(held:catalog:options:solver:)``).
    public var unknown: Int = 0

    /// The total, when a plan was found and every credential in it has
    /// the measure known; else nil (an unknown is never taken as 0).
    public var knownTotal: Int64? { completable == true && unknown == 0 ? total : nil }
}

/// The 0-1 program behind a plan, and which column is which credential.
public struct PlanningModel: Sendable {
    public var program: LinearProgram
    /// The column of each catalog credential in the model.
    public var column: [Int: Int]
    /// The credentials not held, which the objective counts.
    public var candidates: [Int]
    /// The objective's row, as terms: what stage two keeps at its optimum.
    var measureTerms: [(column: Int, coefficient: Double)]
    /// The columns of the candidates whose measure is unknown.
    var unknownColumns: [Int]
}

extension CompiledStack {
    /// The planning model (see the README's "How plans are found"):
    ///
    /// - x_c ∈ {0,1}: take credential c; fixed at 1 (and free) when held,
    ///   at 0 when excluded or of another delivery format.
    /// - a_n ∈ {0,1}: node n of the flattened tree is met; a_root = 1.
    /// - `all`: a_n ≤ a_child; `choose N`: N·a_n ≤ Σ a_child.
    /// - credential leaf: a_leaf ≤ x_c, and Σ a_leaf ≤ x_c over a
    ///   credential's leaves unless the stack is shared.
    /// - skill leaf: a_leaf ≤ Σ x_c over the credentials that teach it.
    /// - hours leaf: H·a_leaf ≤ Σ hours_c·x_c over its scope; credits alike,
    ///   counting only its unit.
    /// - prerequisites: for a credential c with routes, one binary y_r per
    ///   route r, x_c ≤ Σ y_r and y_r ≤ x_t for each t that r needs; the
    ///   credentials routes need are in the model and count in the measure.
    ///   A credential none of whose routes can be met is fixed at 0.
    /// - minimise Σ measure_c·x_c over the credentials not held whose
    ///   measure is known; those of unknown measure cost nothing here, and
    ///   a stage before it keeps their number at its least.
    /// - limits: a credential whose value for a limit is unknown is not
    ///   used while that limit holds (it cannot be shown to keep it).
    public func planningModel(held: HeldSet, catalog: Catalog, options: PlanOptions, withLimits: Bool) -> PlanningModel {
        var program = LinearProgram()
        // Every credential that can change a leaf.
        var relevant = Set<Int>()
        for node in nodes {
            switch node.kind {
            case .credential(let i): relevant.insert(i)
            case .skill(_, let teachers): relevant.formUnion(teachers)
            case .hours(_, let from), .credits(_, _, let from):
                if let from { relevant.formUnion(from) } else { relevant.formUnion(0..<catalog.count) }
            case .all, .choose: break
            }
        }
        var column: [Int: Int] = [:]
        var candidates: [Int] = []
        var measureTerms: [(column: Int, coefficient: Double)] = []
        var unknownColumns: [Int] = []
        relevant = catalog.withPrerequisites(relevant)
        for i in relevant.sorted() {
            let credential = catalog[i]
            let name = "x\(i)"
            if held.contains(i) {
                column[i] = program.addBinary(name, meaning: "\(credential.code) (held)", fixed: 1)
            } else if !options.allows(i, credential) {
                column[i] = program.addBinary(name, meaning: "\(credential.code) (excluded)", fixed: 0)
            } else if catalog.routes[i]?.isEmpty == true {
                column[i] = program.addBinary(name, meaning: "\(credential.code) (no route to it can be met)", fixed: 0)
            } else {
                let measure = options.measure.of(credential).map(Double.init)
                let c = program.addBinary(name, meaning: credential.code + (measure == nil ? " (\(options.measure.rawValue) unknown)" : ""),
                                          objective: measure ?? 0)
                column[i] = c
                candidates.append(i)
                if let measure, measure != 0 { measureTerms.append((c, measure)) }
                if measure == nil { unknownColumns.append(c) }
            }
        }
        var met: [Int] = []
        for (id, node) in nodes.enumerated() {
            met.append(program.addBinary("a\(id)", meaning: "requirement met: " + (node.stack.map { "stack \($0): " } ?? "") + node.label,
                                         fixed: id == root ? 1 : nil))
        }
        for (id, node) in nodes.enumerated() {
            switch node.kind {
            case .all:
                for child in node.children { program.addRow("all\(id)_\(child)", [(met[id], 1), (met[child], -1)], upper: 0) }
            case .choose(let n):
                program.addRow("choose\(id)", [(met[id], Double(n))] + node.children.map { (met[$0], -1) }, upper: 0)
            case .credential(let i):
                program.addRow("leaf\(id)", [(met[id], 1), (column[i]!, -1)], upper: 0)
            case .skill(_, let teachers):
                program.addRow("skill\(id)", [(met[id], 1)] + teachers.compactMap { column[$0] }.map { ($0, -1) }, upper: 0)
            case .hours(let threshold, let from), .credits(let threshold, _, let from):
                var unit: String?
                if case .credits(_, let u, _) = node.kind { unit = u }
                var terms: [(column: Int, coefficient: Double)] = [(met[id], threshold)]
                for i in from.map({ Set($0).sorted() }) ?? Array(0..<catalog.count) {
                    let amount = CompiledStack.amount(of: i, unit: unit, catalog: catalog)
                    if amount > 0, let c = column[i] { terms.append((c, -amount)) }
                }
                program.addRow((unit == nil ? "hours" : "credits") + "\(id)", terms, upper: 0)
            }
        }
        for i in candidates {
            guard let routes = catalog.routes[i], !routes.isEmpty else { continue }
            var some: [(column: Int, coefficient: Double)] = [(column[i]!, 1)]
            for (r, route) in routes.enumerated() {
                let y = program.addBinary("y\(i)_\(r)", meaning: "\(catalog.codes[i]) by route \(r + 1): "
                                          + route.map { catalog.codes[$0] }.joined(separator: ", "))
                some.append((y, -1))
                for t in route { program.addRow("route\(i)_\(r)_\(t)", [(y, 1), (column[t]!, -1)], upper: 0) }
            }
            program.addRow("prerequisite\(i)", some, upper: 0)
        }
        if !shared {
            for (credential, leaves) in credentialLeafGroups where leaves.count > 1 {
                program.addRow("once\(credential)", leaves.map { (met[$0], 1) } + [(column[credential]!, -1)], upper: 0)
            }
        }
        if withLimits {
            for limit in options.limits {
                let known = candidates.compactMap { i in catalog[i][keyPath: limit.value].map { (column[i]!, Double($0)) } }
                program.addRow(limit.name, known.filter { $0.1 != 0 }, upper: limit.bound)
                let unknown = candidates.filter { catalog[$0][keyPath: limit.value] == nil }
                if !unknown.isEmpty { program.addRow(limit.name + "_unknown", unknown.map { (column[$0]!, 1) }, upper: 0) }
            }
        }
        return PlanningModel(program: program, column: column, candidates: candidates, measureTerms: measureTerms,
                             unknownColumns: unknownColumns)
    }

    /// The plan with the least total measure that completes the stack,
    /// found by `solver` on ``planningModel(held:catalog:options:withLimits:)``.
    ///
    /// Credentials whose measure is unknown are never taken as 0: when the
    /// model has any, a first solve finds the fewest of them a plan needs,
    /// and the plan keeps to that number (a plan of 45 hours and one
    /// credential of unknown hours beats one of 10 hours and two unknown).
    ///
    /// Ties are broken by a second solve with the total held at its optimum:
    /// the fewest credentials. Plans still tied after that are told apart by
    /// the solver itself, which is deterministic (one thread, a node limit,
    /// the model's columns in code order), so the same inputs always give
    /// the same plan. (A third solve for "earliest codes" was measured: on
    /// catalogs with many equal hours it took seconds where the plan took
    /// tens of milliseconds.)
    public func plan(held: HeldSet, catalog: Catalog, options: PlanOptions, solver: any MILPSolver) throws -> Plan {
        let started = Clock.seconds()
        if options.hasLimits {
            let limited = try solve(held: held, catalog: catalog, options: options, withLimits: true, solver: solver, started: started)
            if limited.completable != false { return limited }
            var unlimited = try solve(held: held, catalog: catalog, options: options, withLimits: false, solver: solver,
                                      started: started)
            if unlimited.completable == true {
                unlimited.limitsMet = false
                // A credential whose value for a limit is unknown cannot be shown to keep it: say which ones.
                let limits = options.limits
                let unknown = unlimited.credentials.filter { i in limits.contains { catalog[i][keyPath: $0.value] == nil } }
                    .map { catalog.codes[$0] }
                let why = unknown.isEmpty ? ""
                    : " (\(unknown.joined(separator: ", ")) \(unknown.count == 1 ? "has" : "have") a value a limit needs unknown, "
                      + "so cannot be shown to keep it)"
                unlimited.reason = "no plan keeps every limit given\(why); this is the best plan without them"
            }
            return unlimited
        }
        return try solve(held: held, catalog: catalog, options: options, withLimits: false, solver: solver, started: started)
    }

    private func solve(held: HeldSet, catalog: Catalog, options: PlanOptions, withLimits: Bool, solver: any MILPSolver,
                       started: Double) throws -> Plan {
        var model = planningModel(held: held, catalog: catalog, options: options, withLimits: withLimits)
        func unfinished(_ result: Solution, bound: Double?) -> Plan? {
            switch result.status {
            case .infeasible:
                return Plan(completable: false, credentials: [], total: 0, optimal: true, bound: nil, limitsMet: !withLimits,
                            reason: withLimits ? "no plan keeps every limit given" : blocker(catalog: catalog, held: held, options: options))
            case .unknown:
                return Plan(completable: nil, credentials: [], total: 0, optimal: false, bound: bound.flatMap(Self.integralBound),
                            limitsMet: false, reason: "no plan was found within the time limit of \(NumberText.plain(options.timeLimit)) s")
            case .optimal, .feasible:
                return nil
            }
        }
        var fewestProven = true
        if !model.unknownColumns.isEmpty {
            // Stage zero: the fewest credentials of unknown measure.
            var fewest = model.program
            for c in fewest.columns.indices { fewest.columns[c].objective = 0 }
            for c in model.unknownColumns { fewest.columns[c].objective = 1 }
            let zero = try solver.solve(fewest, seconds: options.timeLimit - (Clock.seconds() - started))
            if let plan = unfinished(zero, bound: nil) { return plan }
            fewestProven = zero.status == .optimal
            let count = (zero.objective - 0.5).rounded(.up)
            model.program.addRow("fewest_unknown", model.unknownColumns.map { ($0, 1) }, upper: count + 0.5)
        }
        let first = try solver.solve(model.program, seconds: options.timeLimit - (Clock.seconds() - started))
        if let plan = unfinished(first, bound: fewestProven ? first.bound : nil) { return plan }
        var values = first.values
        let optimal = first.status == .optimal && fewestProven
        let total = Int64(clampingUp: first.objective - 0.5)
        let remaining = options.timeLimit - (Clock.seconds() - started)
        if optimal && remaining > 0 && model.candidates.count > 1 {
            // Stage two: the same total, and the fewest credentials.
            for c in model.program.columns.indices { model.program.columns[c].objective = 0 }
            for i in model.candidates { model.program.columns[model.column[i]!].objective = 1 }
            model.program.addRow("least_total", model.measureTerms, upper: Double(total) + 0.5)
            let second = try solver.solve(model.program, seconds: remaining, nodes: Self.tieBreakNodes)
            if second.status == .optimal || second.status == .feasible { values = second.values }
        }
        let chosen = model.candidates.filter { values[model.column[$0]!] > 0.5 }
        // Least measure first, the unknown last, then by code.
        func key(_ i: Int) -> (Int64, String) { (options.measure.of(catalog[i]) ?? .max, catalog.codes[i]) }
        let ordered = chosen.sorted { key($0) < key($1) }
        var sum: Int64 = 0
        for i in ordered { sum = sum.adding(saturating: options.measure.of(catalog[i]) ?? 0) }
        return Plan(completable: true, credentials: ordered, total: sum, optimal: optimal,
                    bound: optimal ? sum : fewestProven ? Self.integralBound(first.bound) : nil, limitsMet: true, reason: nil,
                    unknown: ordered.count { options.measure.of(catalog[$0]) == nil })
    }

    /// How far the tie-breaking solve may search: a node limit, not only a
    /// time limit, so that the plan is the same on every machine.
    static let tieBreakNodes = 10_000

    /// A lower bound on a total of whole numbers: rounded up.
    static func integralBound(_ bound: Double) -> Int64? {
        bound.isFinite && abs(bound) < 1e18 ? Int64(clampingUp: bound - 1e-6) : nil
    }

    /// The first requirement that no credential the plan may use can meet,
    /// described for a person.
    func blocker(catalog: Catalog, held: HeldSet, options: PlanOptions) -> String {
        var usable = HeldSet(capacity: catalog.count)
        for i in 0..<catalog.count where held.contains(i) || (options.allows(i, catalog[i]) && catalog.routes[i] == nil) {
            usable.insert(i)
        }
        // Those whose prerequisites can be met, until no more can.
        var grew = true
        while grew {
            grew = false
            for (i, routes) in catalog.routes where !usable.contains(i) && options.allows(i, catalog[i])
                && routes.contains(where: { $0.allSatisfy(usable.contains) }) {
                usable.insert(i)
                grew = true
            }
        }
        let restricted = !options.excluded.isEmpty || options.formats != nil
        let offer = restricted ? "the credentials allowed offer" : "the catalog offers"
        func feasible(_ id: Int) -> String? {
            let node = nodes[id]
            switch node.kind {
            case .credential(let i):
                if usable.contains(i) { return nil }
                return options.allows(i, catalog[i]) ? "credential \(catalog.codes[i]): no route of its prerequisites can be met"
                    : "credential \(catalog.codes[i]) is excluded"
            case .skill(let code, let teachers):
                if teachers.isEmpty { return "skill \(code): no credential in the catalog teaches it" }
                return teachers.contains(where: usable.contains) ? nil : "skill \(code): every credential that teaches it is excluded"
            case .hours(let threshold, _), .credits(let threshold, _, _):
                let offered = total(of: id, held: usable, catalog: catalog)
                return offered + Evaluation.epsilon < threshold
                    ? "\(node.label): \(offer) only \(NumberText.plain(offered))" : nil
            case .all:
                for child in node.children { if let reason = feasible(child) { return reason } }
                return nil
            case .choose(let n):
                let reasons = node.children.map(feasible)
                let possible = reasons.filter { $0 == nil }.count
                if possible >= n { return nil }
                return "\(node.label): only \(possible) can be met (" + reasons.compactMap { $0 }.joined(separator: "; ") + ")"
            }
        }
        if let reason = feasible(root) { return reason }
        let repeated = repeatedCredentials(catalog: catalog)
        if !repeated.isEmpty {
            return "credential \(repeated.joined(separator: ", ")) is required more than once and the stack is not shared, "
                + "so one award cannot meet every requirement"
        }
        return "no combination of the credentials allowed meets every requirement at once"
    }
}

/// Seconds on a monotonic clock.
enum Clock {
    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
