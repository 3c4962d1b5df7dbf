/// A total over values some of which may be unknown: the known ones added
/// up, and how many were unknown. An unknown value is never counted as 0,
/// so a plan of a 45-hour credential and a badge of unknown hours totals
/// "45 hours + 1 credential of unknown hours", not 45.
public struct Total: Equatable, Sendable {
    /// The sum of the known values.
    public private(set) var known: Int64 = 0
    /// How many values were known.
    public private(set) var knownCount = 0
    /// How many values were unknown.
    public private(set) var unknown = 0

    public init() {}

    /// The total of `values`; nil when the known ones overflow.
    public init?(_ values: some Sequence<Int64?>) {
        for value in values {
            guard let value else { unknown += 1; continue }
            guard let sum = known.adding(checked: value) else { return nil }
            known = sum
            knownCount += 1
        }
    }

    /// The total when every value is known, else nil.
    public var value: Int64? { unknown == 0 ? known : nil }

    /// `45 hours`, `45 hours + 1 credential of unknown hours`, or `2
    /// credentials of unknown hours` when none is known; `known` formats
    /// the known sum with its unit.
    public func words(_ known: (Int64) -> String, unknown measure: String) -> String {
        guard unknown > 0 else { return known(self.known) }
        return knownCount == 0 ? unknownWords(measure) : known(self.known) + " + " + unknownWords(measure)
    }

    /// For a table's cell: `45`, `45 + 1 unknown`, `2 unknown`.
    public func brief(_ known: (Int64) -> String = { String($0) }) -> String {
        guard unknown > 0 else { return known(self.known) }
        return (knownCount > 0 ? known(self.known) + " + " : "") + "\(unknown) unknown"
    }

    /// `1 credential of unknown hours`, `2 credentials of unknown hours`.
    public func unknownWords(_ measure: String) -> String {
        "\(unknown) credential\(unknown == 1 ? "" : "s") of unknown \(measure)"
    }
}
