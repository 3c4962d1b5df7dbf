import CredfolioCore
import CredfolioSystem
import CredfolioApp

/// Renders the rows of `report cohort` in one format, keeping what repeats.
///
/// A learner's cells are rendered once per learner, and the cells from
/// `stack` to `missing` once per memo slot, since the same progress key
/// gives the same cells. Every cell goes through the same ``Cell``
/// renderers as any other report, so the bytes are those of
/// ``CohortRows/cells(_:_:)`` written by ``streamReport``; a test compares them.
struct CohortRowWriter {
    var format: OutputFormat { style.format }
    /// How cells are written; apart from the caches, so that writing into
    /// a cache does not copy it.
    private let style: Style
    /// JSON: whether the next row needs a comma before it.
    var separate = false

    private var learner = -1
    /// The learner's cells, and apart, the last-earned cell (with what goes before it).
    private var learnerBytes: [UInt8] = [], lastEarnedBytes: [UInt8] = []
    /// The rendered cells `stack` to `missing`, by memo slot: where each
    /// starts and ends in one arena, which stops growing at `arenaLimit`.
    private var fragmentBounds: [(start: Int32, end: Int32)] = []
    private var arena: [UInt8] = []
    static let arenaLimit = 8 << 20
    /// For the measuring pass: the last learner measured, and the slots measured.
    private var measuredLearner = -1
    private var measuredSlots: [Bool] = []

    /// - Parameters:
    ///   - table: for `.table`, the measure of the first pass; pass nil to
    ///     measure (``measure(_:_:_:into:)``).
    ///   - jsonIndent: the indent of the array the rows are in.
    init(format: OutputFormat, table: TableMeasure? = nil, jsonIndent: String = "") {
        style = Style(format: format, table: table, jsonIndent: jsonIndent)
    }

    /// Appends one row, a whole line (CSV, table) or object (JSON, with
    /// the comma before it when ``separate``).
    mutating func append(_ row: CohortRow, _ outlook: CohortRows.Outlook?, _ place: CohortRows.Place, to bytes: inout [UInt8]) {
        if format == .json {
            if separate { bytes.append(0x2C) }
            separate = true
            bytes += style.open
        }
        if place.learner != learner {
            learner = place.learner
            learnerBytes.removeAll(keepingCapacity: true)
            style.appendCell(0, .text(row.handle), to: &learnerBytes)
            style.appendCell(1, .text(row.name), to: &learnerBytes)
            style.appendCell(2, .text(row.cohort), to: &learnerBytes)
            lastEarnedBytes.removeAll(keepingCapacity: true)
            style.appendCell(8, .day(row.lastEarned), to: &lastEarnedBytes)
        }
        bytes += learnerBytes
        if let slot = place.slot, slot < fragmentBounds.count, fragmentBounds[slot].end > 0 {
            let bounds = fragmentBounds[slot]
            arena.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(bounds.start)..<Int(bounds.end)])) }
        } else if let slot = place.slot, arena.count < Self.arenaLimit {
            let start = arena.count
            style.appendKeyed(row, to: &arena)
            if slot >= fragmentBounds.count {
                fragmentBounds += repeatElement((start: Int32(0), end: Int32(0)), count: slot + 1 - fragmentBounds.count)
            }
            fragmentBounds[slot] = (Int32(start), Int32(arena.count))
            arena.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start...])) }
        } else {
            style.appendKeyed(row, to: &bytes)
        }
        bytes += lastEarnedBytes
        if let outlook {
            style.appendCell(9, .bool(row.stalled), to: &bytes)
            style.appendCell(10, .day(outlook.target), to: &bytes)
            style.appendCell(11, .day(outlook.finish), to: &bytes)
            style.appendCell(12, .text(CohortRows.statusText(outlook, table: format == .table)), to: &bytes)
        } else {
            bytes += row.stalled ? style.stalledTail : style.activeTail
        }
        switch format {
        case .csv: bytes.append(0x0A)
        case .json: bytes += style.close
        case .table: style.table.endLine(&bytes)
        }
    }

    /// Measures one row for a table's first pass.
    mutating func measure(_ row: CohortRow, _ outlook: CohortRows.Outlook?, _ place: CohortRows.Place, into m: inout TableMeasure) {
        if place.learner != measuredLearner {
            measuredLearner = place.learner
            m.note(0, .text(row.handle))
            m.note(1, .text(row.name))
            m.note(2, .text(row.cohort))
        }
        var known = false
        if let slot = place.slot {
            if slot >= measuredSlots.count { measuredSlots += repeatElement(false, count: slot + 1 - measuredSlots.count) }
            known = measuredSlots[slot]
            measuredSlots[slot] = true
        }
        if !known {
            m.note(3, .text(row.stack))
            m.note(4, .decimal(row.percentText))
            m.note(5, .decimal(row.projectedText))
            m.note(6, .bool(row.complete))
            m.note(7, .text(row.missing))
        }
        m.note(8, width: row.lastEarned == nil ? 0 : 10, numeric: false)
        m.note(9, .bool(row.stalled))
        m.note(10, width: outlook?.target == nil ? 0 : 10, numeric: false)
        m.note(11, width: outlook?.finish == nil ? 0 : 10, numeric: false)
        m.note(12, .text(outlook.map { CohortRows.statusText($0, table: true) }))
        m.countRow()
    }
}

extension CohortRowWriter {
    /// The format and, for a table, the measure and, for JSON, the keys.
    private struct Style {
        let format: OutputFormat
        let table: TableMeasure
        /// JSON: the `"key": ` before each value, and the braces around a row.
        let keys: [[UInt8]]
        let open: [UInt8], close: [UInt8]
        /// The cells after `last_earned_on` of a row that is not a goal's, stalled or not.
        private(set) var stalledTail: [UInt8] = [], activeTail: [UInt8] = []

        init(format: OutputFormat, table: TableMeasure?, jsonIndent: String) {
            self.format = format
            self.table = table ?? TableMeasure(columns: CohortRows.columns)
            let inner = jsonIndent + "  "
            keys = CohortRows.columns.map { Array(("\n" + inner + "  " + JSONValue.string($0).serialized() + ": ").utf8) }
            open = Array(("\n" + inner + "{").utf8)
            close = Array(("\n" + inner + "}").utf8)
            func tail(stalled: Bool) -> [UInt8] {
                var bytes: [UInt8] = []
                appendCell(9, .bool(stalled), to: &bytes)
                appendCell(10, .day(nil), to: &bytes)
                appendCell(11, .day(nil), to: &bytes)
                appendCell(12, .text(nil), to: &bytes)
                return bytes
            }
            stalledTail = tail(stalled: true)
            activeTail = tail(stalled: false)
        }

        func appendKeyed(_ row: CohortRow, to bytes: inout [UInt8]) {
            appendCell(3, .text(row.stack), to: &bytes)
            appendCell(4, .decimal(row.percentText), to: &bytes)
            appendCell(5, .decimal(row.projectedText), to: &bytes)
            appendCell(6, .bool(row.complete), to: &bytes)
            appendCell(7, .text(row.missing), to: &bytes)
        }

        /// One cell with what goes before it: a comma, a JSON key, or a table's
        /// separator and padding.
        func appendCell(_ column: Int, _ cell: Cell, to bytes: inout [UInt8]) {
            switch format {
            case .csv:
                if column > 0 { bytes.append(0x2C) }
                cell.appendCSV(to: &bytes)
            case .json:
                if column > 0 { bytes.append(0x2C) }
                bytes += keys[column]
                cell.appendJSON(to: &bytes)
            case .table:
                if case .day(let day?) = cell {
                    table.appendCell(column, width: 10, to: &bytes) { day.appendISO(to: &$0) }
                } else {
                    table.appendCell(column, cell.tableText, to: &bytes)
                }
            }
        }
    }
}

/// Writes `export progress`'s rows (``ProgressFormatting/csvColumns``) from
/// ``CohortRows``: a learner's cells once per learner, and the cells from
/// `stack` to `missing` once per memo slot (the same progress key gives the
/// same cells), kept as bytes.
struct ProgressRowWriter {
    private let asOf: [UInt8]
    private var learner = -1
    private var learnerBytes: [UInt8] = []
    /// The cells `stack` to `missing`, by memo slot.
    private var bySlot: [[UInt8]?] = []

    init(asOf: Day) {
        self.asOf = Array(("," + asOf.description + "\n").utf8)
    }

    mutating func append(_ row: CohortRow, _ place: CohortRows.Place, to bytes: inout [UInt8]) {
        if place.learner != learner {
            learner = place.learner
            learnerBytes.removeAll(keepingCapacity: true)
            ProgressFormatting.learnerCells(handle: row.handle, name: row.name, cohort: row.cohort, into: &learnerBytes)
        }
        bytes += learnerBytes
        if let slot = place.slot, slot < bySlot.count, let known = bySlot[slot] {
            bytes += known
        } else {
            var cells: [UInt8] = []
            ProgressFormatting.progressCells(stack: row.stack, percent: row.percentText, projected: row.projectedText,
                                             complete: row.complete, met: row.requirementsMet, total: row.requirementsTotal,
                                             missing: row.missing, into: &cells)
            bytes += cells
            if let slot = place.slot {
                if slot >= bySlot.count { bySlot += repeatElement(nil, count: slot + 1 - bySlot.count) }
                bySlot[slot] = cells
            }
        }
        bytes += asOf
    }
}
