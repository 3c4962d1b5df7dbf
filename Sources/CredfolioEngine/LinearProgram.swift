import CredfolioCore

/// A mixed 0-1 linear program as plain values: what the planner builds, what
/// a solver adapter hands to a solver, and what `--write-model` writes.
///
/// Minimise `objective · x` subject to `lower ≤ row · x ≤ upper` for every
/// row, and `lower ≤ x ≤ upper` for every column.
public struct LinearProgram: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        /// The name in the LP file: letters, digits and `_` only.
        public var name: String
        /// What the column stands for, for people (a comment in the LP file).
        public var meaning: String
        public var lower: Double
        public var upper: Double
        public var objective: Double
        public var isInteger: Bool
    }

    public struct Row: Sendable, Equatable {
        public var name: String
        public var terms: [(column: Int, coefficient: Double)]
        public var lower: Double
        public var upper: Double

        public static func == (a: Row, b: Row) -> Bool {
            a.name == b.name && a.lower == b.lower && a.upper == b.upper
                && a.terms.map(\.column) == b.terms.map(\.column) && a.terms.map(\.coefficient) == b.terms.map(\.coefficient)
        }
    }

    public var columns: [Column] = []
    public var rows: [Row] = []

    public init() {}

    /// Adds a binary column; returns its index.
    @discardableResult
    public mutating func addBinary(_ name: String, meaning: String, objective: Double = 0,
                                   fixed: Double? = nil) -> Int {
        columns.append(Column(name: name, meaning: meaning, lower: fixed ?? 0, upper: fixed ?? 1,
                              objective: objective, isInteger: true))
        return columns.count - 1
    }

    /// Adds a column; returns its index.
    @discardableResult
    public mutating func addColumn(_ name: String, meaning: String, lower: Double, upper: Double, objective: Double,
                                   isInteger: Bool) -> Int {
        columns.append(Column(name: name, meaning: meaning, lower: lower, upper: upper, objective: objective, isInteger: isInteger))
        return columns.count - 1
    }

    /// Adds `lower ≤ Σ coefficient · column ≤ upper`.
    public mutating func addRow(_ name: String, _ terms: [(column: Int, coefficient: Double)],
                                lower: Double = -.infinity, upper: Double = .infinity) {
        rows.append(Row(name: name, terms: terms, lower: lower, upper: upper))
    }

    /// The objective's value at `values`.
    public func objectiveValue(_ values: [Double]) -> Double {
        zip(columns, values).reduce(0) { $0 + $1.0.objective * $1.1 }
    }

    /// True when `values` (rounded to 0 or 1) meets every bound and row.
    public func isFeasible(_ values: [Double], tolerance: Double = 1e-6) -> Bool {
        guard values.count == columns.count else { return false }
        for (column, value) in zip(columns, values) where value < column.lower - tolerance || value > column.upper + tolerance {
            return false
        }
        for row in rows {
            let total = row.terms.reduce(0) { $0 + $1.coefficient * values[$1.column] }
            if total < row.lower - tolerance * max(1, abs(row.lower)) || total > row.upper + tolerance * max(1, abs(row.upper)) {
                return false
            }
        }
        return true
    }

    /// The program in CPLEX LP format, which CBC (`cbc FILE solve`), GLPK,
    /// HiGHS, Gurobi and CPLEX all read. Each column's meaning is a comment.
    public var lpText: String {
        var out = "\\ credfolio planning model: minimise the measure over the credentials not yet held\n"
        for column in columns { out += "\\ \(column.name) = \(column.meaning)\n" }
        out += "Minimize\n obj:"
        var any = false
        for column in columns where column.objective != 0 {
            out += " " + Self.term(column.objective, column.name, first: !any)
            any = true
        }
        if !any { out += " 0 " + (columns.first?.name ?? "x") }
        out += "\nSubject To\n"
        for row in rows {
            let lhs = row.terms.enumerated().map { Self.term($1.coefficient, columns[$1.column].name, first: $0 == 0) }
                .joined(separator: " ")
            let body = lhs.isEmpty ? "0 " + (columns.first?.name ?? "x") : lhs
            if row.lower == row.upper {
                out += " \(row.name): \(body) = \(Self.number(row.upper))\n"
            } else if row.lower > -.infinity && row.upper < .infinity {
                out += " \(row.name)_lo: \(body) >= \(Self.number(row.lower))\n"
                out += " \(row.name)_hi: \(body) <= \(Self.number(row.upper))\n"
            } else if row.lower > -.infinity {
                out += " \(row.name): \(body) >= \(Self.number(row.lower))\n"
            } else if row.upper < .infinity {
                out += " \(row.name): \(body) <= \(Self.number(row.upper))\n"
            }
        }
        out += "Bounds\n"
        for column in columns {
            if column.lower == column.upper {
                out += " \(column.name) = \(Self.number(column.lower))\n"
            } else {
                out += " \(Self.number(column.lower)) <= \(column.name) <= \(Self.number(column.upper))\n"
            }
        }
        out += "Generals\n"
        for column in columns where column.isInteger { out += " \(column.name)\n" }
        out += "End\n"
        return out
    }

    static func term(_ coefficient: Double, _ name: String, first: Bool) -> String {
        let sign = coefficient < 0 ? "-" : (first ? "" : "+")
        let magnitude = abs(coefficient)
        return (sign.isEmpty ? "" : sign + " ") + (magnitude == 1 ? "" : number(magnitude) + " ") + name
    }

    /// A number as LP files write it: whole numbers without a decimal point.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// How a solve ended.
public struct Solution: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// The values are optimal: proven.
        case optimal
        /// The values are feasible, but the search stopped at its time limit.
        case feasible
        /// Proven: no values meet every row.
        case infeasible
        /// The search stopped before it found any feasible values.
        case unknown
    }

    public var status: Status
    /// One per column (empty unless optimal or feasible).
    public var values: [Double]
    /// The objective at `values`.
    public var objective: Double
    /// A proven lower bound on the optimum.
    public var bound: Double

    public init(status: Status, values: [Double], objective: Double, bound: Double) {
        self.status = status
        self.values = values
        self.objective = objective
        self.bound = bound
    }
}

/// Something that solves a ``LinearProgram``: COIN-OR CBC in the command
/// line, any exact method in tests.
public protocol MILPSolver: Sendable {
    /// Minimises `program` within `seconds`, exploring at most `nodes`
    /// branch-and-bound nodes when given (a limit that, unlike time, gives
    /// the same answer on every machine).
    func solve(_ program: LinearProgram, seconds: Double, nodes: Int?) throws -> Solution
}

extension MILPSolver {
    public func solve(_ program: LinearProgram, seconds: Double) throws -> Solution {
        try solve(program, seconds: seconds, nodes: nil)
    }
}
