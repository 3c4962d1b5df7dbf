import CredfolioSQL
import CredfolioCore

/// A CSV file read against a known set of columns: the header is matched
/// case-insensitively in any order, unknown and missing required columns
/// are errors, and every error is prefixed with `file:line: `.
final class CSVTable {
    let reader: CSVReader
    let file: String
    let columns: [String]
    /// For each known column, its position in the file, or nil when absent.
    private(set) var positions: [Int?]
    private var headerCount = 0
    /// Positions of columns whose header cell is empty.
    private var unnamed: [Int] = []

    init(reader: CSVReader, file: String, columns: [String], required: [String]) throws {
        self.reader = reader
        self.file = file
        self.columns = columns
        self.positions = Array(repeating: nil, count: columns.count)
        let expected = columns.joined(separator: ",")
        do {
            guard try reader.next() else {
                throw CredfolioError.invalid("\(file): empty file; the first line must be a header such as \(expected)")
            }
            let header = try reader.record()
            headerCount = header.count
            for (position, raw) in header.enumerated() {
                let name = raw.trimmingSpaces().lowercased()
                if name.isEmpty {
                    // Spreadsheets write trailing empty header cells (code,title,,,):
                    // such a column is accepted while every cell of it is empty.
                    unnamed.append(position)
                    continue
                }
                guard let index = columns.firstIndex(of: name) else {
                    throw CredfolioError.invalid(
                        "\(file):\(reader.recordLine): unknown column \(Field.quoted(raw)) (columns are \(expected))")
                }
                guard positions[index] == nil else {
                    throw CredfolioError.invalid("\(file):\(reader.recordLine): column \(name) appears twice")
                }
                positions[index] = position
            }
            for name in required where positions[columns.firstIndex(of: name)!] == nil {
                throw CredfolioError.invalid("\(file):\(reader.recordLine): missing column \(name) (columns are \(expected))")
            }
        } catch let error as CSVError {
            throw wrap(error)
        }
    }

    var line: Int { reader.recordLine }

    func has(_ column: Int) -> Bool { positions[column] != nil }

    func wrap(_ error: CSVError) -> CredfolioError {
        let field = error.field.map { position in
            columnName(atPosition: position - 1).map { " \($0):" } ?? " field \(position):"
        } ?? ""
        return .invalid("\(file):\(error.line):\(field) \(error.reason)")
    }

    private func columnName(atPosition position: Int) -> String? {
        positions.firstIndex(of: position).map { columns[$0] }
    }

    /// Reads the next data row; false at the end. A file with a header and
    /// no rows is an empty table: it imports nothing, as `export` of an
    /// empty table writes it.
    func next() throws -> Bool {
        do {
            guard try reader.next() else { return false }
        } catch let error as CSVError {
            throw wrap(error)
        }
        guard reader.fieldCount == headerCount else {
            throw CredfolioError.invalid(
                "\(file):\(line): \(reader.fieldCount) field\(reader.fieldCount == 1 ? "" : "s"), but the header has \(headerCount)")
        }
        for position in unnamed where !reader.fieldIsEmpty(position) {
            throw CredfolioError.invalid(
                "\(file):\(line): column \(position + 1) has no name in the header but holds a value; name it or remove it")
        }
        return true
    }

    /// The cell of `column` in the current row, with export's formula
    /// neutralisation removed; nil when the file has no such column.
    /// Call it inside ``row(_:)``, which prefixes its errors.
    func value(_ column: Int) throws -> String? {
        guard let position = positions[column] else { return nil }
        return CSVCell.unneutralize(try reader.field(position))
    }

    /// Runs `body` for the current row, prefixing its errors with the line.
    func row<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CSVError {
            throw wrap(error)
        } catch let error as CredfolioError {
            throw CredfolioError.invalid("\(file):\(line): \(error.message)")
        }
    }
}

/// What one import did.
public struct ImportSummary: Equatable, Sendable, CustomStringConvertible {
    public let kind: String
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0

    public init(kind: String, inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.kind = kind
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }

    public var total: Int { inserted + updated + unchanged }

    /// `imported 1,204 awards: 1,180 new, 24 updated, 0 unchanged`;
    /// `imported 1 stack: …`
    public var description: String {
        let noun = total == 1 && kind.hasSuffix("s") ? String(kind.dropLast()) : kind
        return "imported \(NumberText.grouped(total)) \(noun): \(NumberText.grouped(inserted)) new, "
            + "\(NumberText.grouped(updated)) updated, \(NumberText.grouped(unchanged)) unchanged"
    }
}

/// Tells a row that this import already wrote (a key twice in one file)
/// from one that was there before, without keeping every key in memory:
/// rows inserted by this import have ids above the largest id before it,
/// and earlier rows are marked in a bit set over their ids.
struct TouchedRows {
    let maxBefore: Int64
    private var bits: [UInt64]

    init(maxBefore: Int64) {
        self.maxBefore = maxBefore
        bits = Array(repeating: 0, count: Int(maxBefore / 64) + 1)
    }

    /// Marks row `id` as written; false when it already was.
    mutating func mark(_ id: Int64) -> Bool {
        if id > maxBefore { return false }
        let word = Int(id / 64), bit = UInt64(1) << UInt64(id % 64)
        if bits[word] & bit != 0 { return false }
        bits[word] |= bit
        return true
    }
}
