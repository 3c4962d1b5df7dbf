public import CredfolioCore

/// One learner's progress toward one stack, ready to show: the evaluation
/// of what they hold, the projection with their unfinished awards, and
/// what is missing.
public struct StackProgress {
    public let stack: CompiledStack
    public let current: Evaluation
    public let projected: Evaluation
    public let held: HeldSet

    public var code: String { stack.definition.code }
    public var percent: Double { current.percent }
    public var projectedPercent: Double { projected.percent }
    public var complete: Bool { current.complete }

    /// Requirements are the root group's children (N of them for a root
    /// `choose N`; one when the root is a single requirement), met when
    /// their value is 1.
    public var requirementsTotal: Int {
        let root = stack.nodes[stack.root]
        if case .choose(let n) = root.kind { return n }
        return max(1, root.children.count)
    }

    public var requirementsMet: Int {
        let root = stack.nodes[stack.root]
        if root.children.isEmpty { return current.isMet(stack.root) ? 1 : 0 }
        return min(requirementsTotal, root.children.filter(current.isMet).count)
    }

    /// What is still missing, as text items: a credential's code,
    /// `skill:CODE`, `hours:N` or `credits:N:UNIT` (N still to earn), and
    /// for an unfinished `choose` one item `K of (A|B|C)`, where K more of
    /// the alternatives are needed and each alternative lists what it still
    /// lacks, joined by `+`. A `choose` whose remaining alternatives are all
    /// needed lists them as plain items. Nothing under a met group, never
    /// a held credential. Never empty for an incomplete stack: one that can
    /// never be complete (a credential required twice in a stack that is
    /// not shared) lists `again:CODE` for each such credential.
    public func missing(catalog: Catalog) -> [String] {
        missingItems(catalog: catalog).map(\.text)
    }

    /// ``missing(catalog:)`` joined by `separator`, built as one string (a
    /// report writes it for every distinct progress key): the first `limit`
    /// items only, when there are more.
    public func missingText(catalog: Catalog, separator: String, limit: Int = .max) -> (text: String, items: Int) {
        let items = missingItems(catalog: catalog)
        // Built as bytes and made a string once: appending to a string costs far more a piece.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(items.count * 16)
        for (i, item) in items.prefix(limit).enumerated() {
            if i > 0 { bytes.append(contentsOf: separator.utf8) }
            item.write(into: &bytes)
        }
        return (String(decoding: bytes, as: UTF8.self), items.count)
    }

    /// The one item a `choose` node stands for, when its alternatives are
    /// not all needed; nil otherwise.
    public func missingItem(of node: Int, catalog: Catalog) -> MissingItem? {
        let items = missingItems(from: node, catalog: catalog)
        if items.count == 1, case .choose = items[0] { return items[0] }
        return nil
    }

    /// The same, structured: see ``MissingItem``.
    public func missingItems(catalog: Catalog) -> [MissingItem] {
        var out: [MissingItem] = []
        for item in missingItems(from: stack.root, catalog: catalog) where !out.contains(item) { out.append(item) }
        if out.isEmpty && !current.complete {
            // Only a stack that can never be complete gets here: its unmet
            // leaves name credentials already held and counted elsewhere.
            out = stack.repeatedCredentials(catalog: catalog).map { .code("again:" + $0) }
            if out.isEmpty { out = [.code("unsatisfiable")] }
        }
        return out
    }

    func missingItems(from start: Int, catalog: Catalog) -> [MissingItem] {
        // Items are appended to one array as the tree is walked: no array per
        // node, since export progress runs this for every distinct key. The
        // stack's arrays are read once here, not through the class at every node.
        let nodes = stack.nodes, leafCodes = stack.leafCodes
        func collect(_ id: Int, into out: inout [MissingItem]) {
            guard !current.isMet(id) else { return }
            // Read in place: a copy of the node would retain its label and the rest.
            switch nodes[id].kind {
            case .credential(let i):
                // A held credential counted elsewhere cannot be earned twice.
                if !held.contains(i) { out.append(.code(leafCodes[id])) }
            case .skill:
                out.append(.code(leafCodes[id]))
            case .hours(let threshold, _):
                let have = stack.total(of: id, held: held, catalog: catalog)
                out.append(.code("hours:" + NumberText.plain(threshold - have)))
            case .credits(let threshold, let unit, _):
                let have = stack.total(of: id, held: held, catalog: catalog)
                out.append(.code("credits:" + NumberText.plain(threshold - have) + ":" + unit))
            case .all:
                for child in nodes[id].children { collect(child, into: &out) }
            case .choose(let n):
                var met = 0
                var alternatives: [[MissingItem]] = []
                for child in nodes[id].children {
                    if current.isMet(child) { met += 1; continue }
                    var items: [MissingItem] = []
                    collect(child, into: &items)
                    if !items.isEmpty { alternatives.append(items) }
                }
                if alternatives.count <= n - met {
                    for items in alternatives { out.append(contentsOf: items) }
                } else {
                    out.append(.choose(n - met, alternatives))
                }
            }
        }
        var out: [MissingItem] = []
        out.reserveCapacity(8)
        collect(start, into: &out)
        return out
    }

    /// A person's account of one node: which credentials met it, or how
    /// far along it is. The text is what ``writeDetail(_:catalog:to:)`` writes.
    public func detail(_ id: Int, catalog: Catalog) -> (satisfiedBy: [String], text: String) {
        switch stack.nodes[id].kind {
        case .hours, .credits: return stack.amountDetail(id, held: held, catalog: catalog)
        default: break
        }
        var text = ""
        writeDetail(id, catalog: catalog, to: &text)
        switch stack.nodes[id].kind {
        case .credential:
            return (current.assignment(of: id).map { [catalog.codes[$0]] } ?? [], text)
        case .skill(_, let teachers):
            return (teachers.filter(held.contains).map { catalog.codes[$0] }, text)
        default:
            return ([], text)
        }
    }

    /// Writes ``detail(_:catalog:)``'s text to `out` piece by piece ("met by
    /// cr-1", "missing", "taught by cr-1, cr-2", "2 of 3 met", an amount's
    /// total): a page escapes the pieces as it writes them, with no string
    /// built first. Every kind of node has some text.
    public func writeDetail(_ id: Int, catalog: Catalog, to out: inout some TextOutputStream) {
        // Read in place: a copy of the node would retain its label, children and the rest.
        switch stack.nodes[id].kind {
        case .credential(let i):
            if let by = current.assignment(of: id) {
                out.write("met by ")
                out.write(catalog.codes[by])
                return
            }
            var ancestor = stack.nodes[id].parent
            var settled = false
            while let a = ancestor, !settled {
                settled = current.isMet(a)
                ancestor = stack.nodes[a].parent
            }
            if settled { return out.write("not needed") }
            out.write(held.contains(i) ? "held, but counted for another requirement" : "missing")
        case .skill(_, let teachers):
            var first = true
            for t in teachers where held.contains(t) {
                out.write(first ? "taught by " : ", ")
                out.write(catalog.codes[t])
                first = false
            }
            if first { out.write("missing: no held credential teaches it") }
        case .hours, .credits:
            stack.writeAmountDetail(id, held: held, catalog: catalog, to: &out)
        case .all, .choose(_):
            var met = 0
            for child in stack.nodes[id].children where current.isMet(child) { met += 1 }
            let need: Int
            if case .choose(let n) = stack.nodes[id].kind { need = n } else { need = stack.nodes[id].children.count }
            out.write(String(min(met, need)))
            out.write(" of ")
            out.write(String(need))
            out.write(" met")
        }
    }
}

extension CompiledStack {
    /// What an hours or credits requirement says for a learner holding
    /// `held`: its total against its threshold, and the credentials that
    /// make the total. It needs no evaluation: a page can fill it in for a
    /// learner whose requirement tree is otherwise another learner's.
    public func amountDetail(_ id: Int, held: HeldSet, catalog: Catalog) -> (satisfiedBy: [String], text: String) {
        var codes: [String] = []
        forEachContribution(to: id, held: held, catalog: catalog) { i, _ in codes.append(catalog.codes[i]) }
        var text = ""
        writeAmountDetail(id, held: held, catalog: catalog, to: &text)
        return (codes, text)
    }

    /// Writes ``amountDetail(_:held:catalog:)``'s text to `out` piece by
    /// piece ("60 of 100 hours (cr-1, cr-2)"), without building it first:
    /// a page that escapes as it writes fills this in for every learner.
    /// Nothing is written for a node that is not an hours or credits requirement.
    public func writeAmountDetail(_ id: Int, held: HeldSet, catalog: Catalog, to out: inout some TextOutputStream) {
        let threshold: Double, unit: String, credits: Bool
        switch nodes[id].kind {
        case .hours(let t, _): (threshold, unit, credits) = (t, "hours", false)
        case .credits(let t, let u, _): (threshold, unit, credits) = (t, u, true)
        default: return
        }
        out.write(NumberText.plain(total(of: id, held: held, catalog: catalog)))
        out.write(" of ")
        out.write(NumberText.plain(threshold))
        out.write(" ")
        out.write(unit)
        if credits { out.write(" credits") }
        var first = true
        forEachContribution(to: id, held: held, catalog: catalog) { i, _ in
            out.write(first ? " (" : ", ")
            out.write(catalog.codes[i])
            first = false
        }
        if !first { out.write(")") }
    }

    /// True when node `id` is an hours or credits requirement that counts any credential.
    public func countsAnyCredential(_ id: Int) -> Bool {
        switch nodes[id].kind {
        case .hours(_, nil), .credits(_, _, nil): return true
        default: return false
        }
    }

    /// Progress for a learner: `held` now, `projected` with unfinished awards.
    public func progress(held: HeldSet, projected: HeldSet, catalog: Catalog) -> StackProgress {
        let current = evaluate(held, catalog: catalog)
        // Most learners have nothing unfinished: the projection is the same.
        return StackProgress(stack: self, current: current,
                             projected: projected == held ? current : evaluate(projected, catalog: catalog), held: held)
    }
}

/// One thing a learner still lacks for a stack.
public enum MissingItem: Equatable, Sendable {
    /// A credential's code, `skill:CODE`, `hours:N`, `credits:N:UNIT` or `again:CODE`.
    case code(String)
    /// `count` more of these alternatives, each what it still lacks.
    case choose(Int, [[MissingItem]])

    /// `aws-ccp`, `1 of (meta-react|vue-cert)`, `2 of (a+b|c|hours:20)`.
    public var text: String {
        switch self {
        case .code(let code): return code
        case .choose:
            var bytes: [UInt8] = []
            write(into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Appends ``text``'s UTF-8 to `out`, alternatives and all, without an array of strings per level.
    func write(into out: inout [UInt8]) {
        switch self {
        case .code(let code):
            out.append(contentsOf: code.utf8)
        case .choose(let count, let alternatives):
            out.append(contentsOf: String(count).utf8)
            out.append(contentsOf: " of (".utf8)
            for (a, items) in alternatives.enumerated() {
                if a > 0 { out.append(UInt8(ascii: "|")) }
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: "+")) }
                    item.write(into: &out)
                }
            }
            out.append(UInt8(ascii: ")"))
        }
    }

    /// A string, or `{"choose": K, "of": [[…], …]}`.
    public var json: JSONValue {
        switch self {
        case .code(let code): return .string(code)
        case .choose(let count, let alternatives):
            return .object([("choose", .integer(Int64(count))),
                            ("of", .array(alternatives.map { .array($0.map(\.json)) }))])
        }
    }
}
