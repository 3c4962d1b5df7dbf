import CredfolioSQL
import CredfolioCore
import CredfolioSystem
import CPosix
#if canImport(Glibc)
import Glibc
#endif

/// Copies a whole credfolio database into an empty one, of either engine:
/// SQLite to PostgreSQL to move a file to a team's server, PostgreSQL to
/// SQLite for a portable snapshot. Every table, every row, with its id, in
/// one transaction on the target; checked before that transaction commits,
/// by exporting both databases and comparing the bytes, and by counting
/// every table's rows.
public struct DatabaseCopy {
    /// How a column's values travel between the engines.
    enum Kind { case integer, real, text, boolean, bytes }

    /// Every table, parents before children, with its columns; `true` for a
    /// table whose `id` the engine numbers (copied as it is, then the
    /// numbering moved past it).
    static let tables: [(name: String, numbered: Bool, columns: [(String, Kind)])] = [
        ("learner", true, [("id", .integer), ("handle", .text), ("name", .text), ("email", .text), ("cohort", .text),
                           ("notes", .text), ("created_on", .text), ("pace", .real)]),
        ("skill", true, [("id", .integer), ("code", .text), ("name", .text), ("category", .text), ("framework", .text),
                         ("framework_id", .text)]),
        ("credential", true, [("id", .integer), ("code", .text), ("title", .text), ("issuer", .text), ("kind", .text),
                              ("hours", .integer), ("credits", .real), ("credit_unit", .text), ("cost_cents", .integer),
                              ("currency", .text), ("weeks", .integer), ("format", .text), ("level", .text),
                              ("validity_months", .integer), ("validity_unknown", .boolean), ("employer_validated", .boolean),
                              ("accreditation", .text), ("url", .text), ("achievement_id", .text), ("registry_ctid", .text),
                              ("description", .text)]),
        ("credential_skill", false, [("credential_id", .integer), ("skill_id", .integer)]),
        ("credential_occupation", false, [("credential_id", .integer), ("code", .text)]),
        ("credential_route", true, [("id", .integer), ("credential_id", .integer), ("position", .integer), ("name", .text),
                                    ("note", .text)]),
        ("credential_route_target", false, [("route_id", .integer), ("position", .integer), ("registry_ctid", .text),
                                            ("name", .text)]),
        ("award", true, [("id", .integer), ("learner_id", .integer), ("credential_id", .integer), ("status", .text),
                         ("started_on", .text), ("earned_on", .text), ("expires_on", .text), ("evidence_url", .text),
                         ("notes", .text)]),
        ("badge_source", true, [("id", .integer), ("award_id", .integer), ("format", .text), ("sha256", .text),
                                ("imported_at", .text), ("verification", .text), ("recipient", .text), ("assertion_id", .text),
                                ("original", .bytes)]),
        ("stack", true, [("id", .integer), ("code", .text), ("title", .text), ("issuer", .text), ("description", .text),
                         ("grants_credential_id", .integer), ("shared", .boolean), ("requires", .text), ("registry_ctid", .text)]),
        ("stack_credential", false, [("stack_id", .integer), ("credential_id", .integer)]),
        ("stack_skill", false, [("stack_id", .integer), ("skill_id", .integer)]),
        ("stack_child", false, [("stack_id", .integer), ("child_stack_id", .integer)]),
        ("learner_email", false, [("learner_id", .integer), ("address", .text)]),
        ("learner_goal", false, [("learner_id", .integer), ("stack_id", .integer), ("target_date", .text)]),
        ("issuer_key", true, [("id", .integer), ("issuer_id", .text), ("key_text", .text), ("kind", .text), ("added_on", .text)]),
    ]

    /// How many rows each table has, in ``tables``'s order.
    public typealias Counts = [(table: String, rows: Int)]

    /// Copies `source` into `target`, which must hold no rows; returns the
    /// rows copied, by table. Nothing is stored when anything fails, the
    /// check included.
    public static func run(from source: Store, to target: Store) throws -> Counts {
        let from = source.database, to = target.database
        return try from.read {
            try to.transaction(retrying: false) {
                for table in tables {
                    guard try to.scalar(Int.self, "SELECT count(*) FROM \(table.name)") == 0 else {
                        throw CredfolioError.conflict("\(target.path) is not empty (its \(table.name) table has rows): copy writes into a new, empty database")
                    }
                }
                var counts: Counts = []
                for table in tables {
                    counts.append((table.name, try copy(table, from: from, to: to)))
                }
                try check(source, target, counts: counts)
                return counts
            }
        }
    }

    private static func copy(_ table: (name: String, numbered: Bool, columns: [(String, Kind)]),
                             from: any SQLConnection, to: any SQLConnection) throws -> Int {
        let names = table.columns.map(\.0).joined(separator: ", ")
        let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
        let insert = "INSERT INTO \(table.name) (\(names))" + (table.numbered ? to.dialect.keepingIdentity : "") + " VALUES (\(marks))"
        var rows = 0
        try from.forEachRow("SELECT \(names) FROM \(table.name) ORDER BY 1, 2") { row in
            let values = table.columns.indices.map { i -> DatabaseValue in
                let column = Int32(i)
                if row.isNull(column) { return .null }
                switch table.columns[i].1 {
                case .integer, .boolean: return .integer(row.int64(column))
                case .real: return .real(row.double(column))
                case .text: return .text(row.string(column))
                case .bytes: return .blob(row.blob(column))
                }
            }
            try to.execute(insert, arguments: values)
            rows += 1
        }
        if table.numbered, let renumber = to.dialect.renumbering(table.name) { try to.execute(script: renumber) }
        return rows
    }

    /// Compares the two databases inside the copy's transaction: every
    /// table's rows counted in the target, and the four CSV exports of both
    /// byte for byte.
    private static func check(_ source: Store, _ target: Store, counts: Counts) throws {
        for (table, rows) in counts {
            let stored = try target.database.scalar(Int.self, "SELECT count(*) FROM \(table)") ?? -1
            guard stored == rows else {
                throw CredfolioError(.database, "copy check failed: \(table) has \(stored) rows in \(target.path), \(rows) in \(source.path)")
            }
        }
        for kind in Importer.Kind.allCases {
            let a = try TemporaryBytes(), b = try TemporaryBytes()
            try Exporter(source).run(kind, to: CSVWriter(sink: a.sink))
            try Exporter(target).run(kind, to: CSVWriter(sink: b.sink))
            guard try a.sameBytes(as: b) else {
                throw CredfolioError(.database, "copy check failed: the \(kind.rawValue) exported from \(target.path) differ from \(source.path)'s")
            }
        }
    }
}

/// Bytes written to an unnamed temporary file (gone when closed): an export
/// to compare, held on disk rather than in memory.
private final class TemporaryBytes {
    let fd: Int32
    let sink: OutputSink

    init() throws {
        fd = credfolio_open_unnamed("/tmp", 0o600)
        guard fd >= 0 else { throw CredfolioError.invalid("cannot make a temporary file in /tmp: \(String(cString: strerror(errno)))") }
        sink = OutputSink(fileDescriptor: fd, name: "a temporary file")
    }

    deinit { close(fd) }

    /// Whether both files hold the same bytes.
    func sameBytes(as other: TemporaryBytes) throws -> Bool {
        try sink.flush()
        try other.sink.flush()
        guard lseek(fd, 0, SEEK_END) == lseek(other.fd, 0, SEEK_END) else { return false }
        lseek(fd, 0, SEEK_SET)
        lseek(other.fd, 0, SEEK_SET)
        var x = [UInt8](repeating: 0, count: 1 << 16), y = x
        while true {
            let n = x.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            let m = y.withUnsafeMutableBytes { read(other.fd, $0.baseAddress, $0.count) }
            guard n == m, n >= 0 else { return false }
            if n == 0 { return true }
            if x[0..<n] != y[0..<m] { return false }
        }
    }
}
