/// What the admitted rows of `report cohort` and `export progress` add up
/// to: the per-stack summary's histograms, and how many rows.
public struct CohortTally: Sendable {
    /// By the stack's position in code order (``CohortRows/Place/stack``).
    public private(set) var byStack: [PercentHistogram] = []
    public private(set) var count = 0

    public init() {}

    public mutating func add(_ row: CohortRow, at place: CohortRows.Place) {
        if place.stack >= byStack.count { byStack += repeatElement(PercentHistogram(), count: place.stack + 1 - byStack.count) }
        byStack[place.stack].add(row.percent, complete: row.complete)
        count += 1
    }

    public mutating func merge(_ other: CohortTally) {
        if other.byStack.count > byStack.count { byStack += repeatElement(PercentHistogram(), count: other.byStack.count - byStack.count) }
        for (i, h) in other.byStack.enumerated() { byStack[i].merge(h) }
        count += other.count
    }

    /// The histogram of the stack at `index` in code order.
    public func histogram(at index: Int) -> PercentHistogram {
        index < byStack.count ? byStack[index] : PercentHistogram()
    }
}
