public import CredfolioCore
public import CredfolioEngine
import CredfolioStore
public import CredfolioSystem

/// How progress is shown: the same rows for `progress --format csv`,
/// `export progress` and the cohort report, and the explained tree.
public enum ProgressFormatting {
    public static let csvColumns = [
        "learner", "name", "cohort", "stack", "percent", "projected_percent", "complete",
        "requirements_met", "requirements_total", "missing", "as_of",
    ]

    public static func percent(_ value: Double) -> String { NumberText.fixed(value, decimals: 1) }

    /// Writes one CSV row in ``csvColumns`` order.
    public static func writeRow(_ csv: CSVWriter, learner: Learner, progress p: StackProgress, catalog: Catalog, asOf: Day) {
        var prefix: [UInt8] = []
        learnerCells(learner, into: &prefix)
        csv.rawRow(prefix, progressCells(p, catalog: catalog, asOf: asOf))
    }

    /// The learner's cells of a row (`learner,name,cohort,`), separator included.
    public static func learnerCells(_ learner: Learner, into bytes: inout [UInt8]) {
        learnerCells(handle: learner.handle, name: learner.name, cohort: learner.cohort, into: &bytes)
    }

    public static func learnerCells(handle: String, name: String, cohort: String?, into bytes: inout [UInt8]) {
        CSVCell.appendText(handle, to: &bytes)
        bytes.append(0x2C)
        CSVCell.appendText(name, to: &bytes)
        bytes.append(0x2C)
        CSVCell.appendText(cohort ?? "", to: &bytes)
        bytes.append(0x2C)
    }

    /// The cells from `stack` to `missing` (no separator after them): the
    /// same for every learner with the same progress on the stack.
    public static func progressCells(stack: String, percent: String, projected: String, complete: Bool, met: Int, total: Int,
                                     missing: String, into bytes: inout [UInt8]) {
        CSVCell.appendText(stack, to: &bytes)
        for number in [percent, projected, complete ? "true" : "false", String(met), String(total)] {
            bytes.append(0x2C)
            bytes.append(contentsOf: number.utf8)
        }
        bytes.append(0x2C)
        CSVCell.appendText(missing, to: &bytes)
    }

    /// The cells from `stack` to `as_of` of `p`.
    public static func progressCells(_ p: StackProgress, catalog: Catalog, asOf: Day) -> [UInt8] {
        var bytes: [UInt8] = []
        progressCells(stack: p.code, percent: percent(p.percent), projected: percent(p.projectedPercent), complete: p.complete,
                      met: p.requirementsMet, total: p.requirementsTotal, missing: p.missing(catalog: catalog).joined(separator: ";"),
                      into: &bytes)
        bytes.append(0x2C)
        bytes.append(contentsOf: asOf.description.utf8)
        return bytes
    }

    /// `[██████░░░░░░░░░░░░░░]`
    public static func bar(_ value: Double, width: Int = 20) -> String {
        let filled = min(width, max(0, Int((value * Double(width)).rounded(.down))))
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
    }

    public static func marker(_ value: Double) -> String {
        value >= 1 - Evaluation.epsilon ? "[x]" : value > Evaluation.epsilon ? "[~]" : "[ ]"
    }

    public static func label(_ node: CompiledStack.Node) -> String {
        var out = ""
        writeLabel(nested: node.stack, node.label, to: &out)
        return out
    }

    /// Writes a requirement's label: "stack CODE: " first for one that
    /// comes from a nested stack. A page escapes the pieces as it writes them.
    public static func writeLabel(nested stack: String?, _ label: String, to out: inout some TextOutputStream) {
        if let stack {
            out.write("stack ")
            out.write(stack)
            out.write(": ")
        }
        out.write(label)
    }

    /// The mark of a leaf that is not met but that the learner's record
    /// could meet: a lapsed credential (`expired 2026-09-15: renew`) or work
    /// under way (`in progress since 2026-10-01`); for a skill, through any
    /// credential that teaches it.
    public static func mark(_ p: StackProgress, _ id: Int, standing: Standing?) -> String? {
        guard let standing, !p.current.isMet(id) else { return nil }
        return leafMark(p.stack, id, standing: standing)
    }

    /// The mark of leaf `id`, met or not: see ``mark(_:_:standing:)``.
    public static func leafMark(_ stack: CompiledStack, _ id: Int, standing: Standing) -> String? {
        leafMarked(stack, id, where: standing.hasMark).flatMap { standing.mark($0) }
    }

    /// The credential whose mark leaf `id` carries, given which credentials
    /// have one: the leaf's own, or for a skill the first teacher with one;
    /// nil when there is none.
    @inlinable
    public static func leafMarked(_ stack: CompiledStack, _ id: Int, where hasMark: (Int) -> Bool) -> Int? {
        switch stack.nodes[id].kind {
        case .credential(let i):
            return hasMark(i) ? i : nil
        case .skill(_, let teachers):
            return teachers.first(where: hasMark)
        default:
            return nil
        }
    }

    /// The requirement tree, one line per node, indented.
    public static func tree(_ p: StackProgress, catalog: Catalog, standing: Standing? = nil, indent: String = "  ") -> String {
        var lines: [(String, String)] = []
        func visit(_ id: Int, depth: Int) {
            let node = p.stack.nodes[id]
            let value = p.current.nodeValues[id]
            let prefix = indent + String(repeating: "    ", count: depth) + marker(value) + " " + label(node)
            var detail = p.detail(id, catalog: catalog).text
            if !node.children.isEmpty { detail = percent(value * 100) + "%, " + detail }
            if let mark = mark(p, id, standing: standing) { detail += ": " + mark }
            lines.append((prefix, detail))
            for child in node.children { visit(child, depth: depth + 1) }
        }
        visit(p.stack.root, depth: 0)
        let width = min(64, lines.map { $0.0.count }.max() ?? 0)
        return lines.map { prefix, detail in
            prefix + String(repeating: " ", count: max(2, width - prefix.count + 2)) + detail
        }.joined(separator: "\n") + "\n"
    }

    public static func treeJSON(_ p: StackProgress, catalog: Catalog, standing: Standing? = nil) -> JSONValue {
        func visit(_ id: Int) -> JSONValue {
            let node = p.stack.nodes[id]
            let (by, text) = p.detail(id, catalog: catalog)
            var members: [(String, JSONValue)] = [("requirement", .string(node.label))]
            if let stack = node.stack { members.append(("stack", .string(stack))) }
            members += [
                ("percent", .number(Double(percent(p.current.nodeValues[id] * 100))!)),
                ("met", .bool(p.current.isMet(id))),
                ("satisfied_by", .array(by.map(JSONValue.string))),
                ("detail", .string(text)),
            ]
            if let mark = mark(p, id, standing: standing) { members.append(("mark", .string(mark))) }
            if !node.children.isEmpty { members.append(("children", .array(node.children.map(visit)))) }
            return .object(members)
        }
        return visit(p.stack.root)
    }

    public static func json(_ p: StackProgress, catalog: Catalog, standing: Standing? = nil) -> JSONValue {
        .object([
            ("stack", .string(p.code)),
            ("title", .optional(p.stack.definition.title)),
            ("percent", .number(Double(percent(p.percent))!)),
            ("projected_percent", .number(Double(percent(p.projectedPercent))!)),
            ("complete", .bool(p.complete)),
            ("requirements_met", .integer(Int64(p.requirementsMet))),
            ("requirements_total", .integer(Int64(p.requirementsTotal))),
            ("missing", .array(p.missingItems(catalog: catalog).map(\.json))),
            ("exact", .bool(p.current.exact && p.projected.exact)),
            ("requirements", treeJSON(p, catalog: catalog, standing: standing)),
        ])
    }

    /// Closest to done first: by percent, then projected percent, then code.
    public static func ranked(_ list: [StackProgress]) -> [StackProgress] {
        list.sorted { ranksBefore(($0.percent, $0.projectedPercent, $0.code), ($1.percent, $1.projectedPercent, $1.code)) }
    }

    /// The order of ``ranked(_:)``, for anything with a percent, a projected percent and a stack code.
    public static func ranksBefore(_ a: (percent: Double, projected: Double, code: String),
                            _ b: (percent: Double, projected: Double, code: String)) -> Bool {
        (a.percent, a.projected) != (b.percent, b.projected) ? (a.percent, a.projected) > (b.percent, b.projected) : a.code < b.code
    }
}
