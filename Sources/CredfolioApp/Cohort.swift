public import CredfolioCore

/// One learner's standing toward one stack, as the cohort report, `export
/// progress` and (next) the HTML report show it: plain values, so that
/// every format renders the same row.
public struct CohortRow: Sendable {
    public var handle: String
    public var name: String
    public var cohort: String?
    public var stack: String
    public var percent: Double
    public var projectedPercent: Double
    public var complete: Bool
    public var missing: String
    public var lastEarned: Day?
    public var stalled: Bool
    /// The goal's target date, when the stack is a goal with one.
    public var target: Day?
    /// The percents as shown, at one decimal: formatted once per distinct row.
    public var percentText: String
    public var projectedText: String
    /// The top-level requirements met, and how many there are (`export progress`'s columns).
    public var requirementsMet = 0
    public var requirementsTotal = 0

    public init(handle: String, name: String, cohort: String?, stack: String, percent: Double, projectedPercent: Double,
                complete: Bool, missing: String, lastEarned: Day?, stalled: Bool, target: Day? = nil, percentText: String? = nil,
                projectedText: String? = nil) {
        self.target = target
        self.percentText = percentText ?? NumberText.fixed(percent, decimals: 1)
        self.projectedText = projectedText ?? NumberText.fixed(projectedPercent, decimals: 1)
        self.handle = handle
        self.name = name
        self.cohort = cohort
        self.stack = stack
        self.percent = percent
        self.projectedPercent = projectedPercent
        self.complete = complete
        self.missing = missing
        self.lastEarned = lastEarned
        self.stalled = stalled
    }
}

/// Stalled: no award earned in the last `days` days (the as-of date and
/// the `days - 1` before it) while the stack is incomplete.
public enum Stall {
    public static let defaultDays = 90

    public static func isStalled(lastEarned: Day?, complete: Bool, on day: Day, after days: Int) -> Bool {
        guard !complete else { return false }
        guard let lastEarned else { return true }
        return lastEarned.days(until: day) >= days
    }
}

/// How a cohort report is narrowed, ordered and cut.
public struct CohortQuery: Sendable {
    public enum Sort: String, CaseIterable, Sendable {
        case percent, projected
        case lastEarned = "last-earned"
        case name
        /// The goal's target date, soonest first; rows without one come last either way.
        case target
    }

    public var incompleteOnly = false
    public var completeOnly = false
    public var minPercent: Double?
    public var maxPercent: Double?
    public var stalledOnly = false
    /// nil: closest to done first (percent, then projected, descending).
    public var sort: Sort?
    public var descending = false
    public var limit: Int?

    public init() {}

    /// True when `row` passes every filter. Percents compare as shown, at one decimal.
    public func admits(_ row: CohortRow) -> Bool {
        if incompleteOnly && row.complete { return false }
        if completeOnly && !row.complete { return false }
        let shown = (row.percent * 10).rounded() / 10
        if let minPercent, shown < minPercent { return false }
        if let maxPercent, shown > maxPercent { return false }
        if stalledOnly && !row.stalled { return false }
        return true
    }

    public var isFiltered: Bool {
        incompleteOnly || completeOnly || minPercent != nil || maxPercent != nil || stalledOnly
    }

    /// The order of rows: the chosen key (ascending unless `descending`),
    /// then handle, then stack; with no key, closest to done first.
    public func precedes(_ a: CohortRow, _ b: CohortRow) -> Bool {
        func ordered<T: Comparable>(_ x: T, _ y: T) -> Bool? {
            x == y ? nil : (descending ? x > y : x < y)
        }
        let decided: Bool?
        switch sort {
        case nil:
            decided = (a.percent, a.projectedPercent) == (b.percent, b.projectedPercent) ? nil
                : (a.percent, a.projectedPercent) > (b.percent, b.projectedPercent)
        case .percent?: decided = ordered(a.percent, b.percent)
        case .projected?: decided = ordered(a.projectedPercent, b.projectedPercent)
        case .lastEarned?: decided = ordered(a.lastEarned ?? Day.first, b.lastEarned ?? Day.first)
        case .name?: decided = ordered(a.name, b.name)
        case .target?:
            switch (a.target, b.target) {
            case let (x?, y?): decided = ordered(x, y)
            case (.some, nil): decided = true
            case (nil, .some): decided = false
            case (nil, nil): decided = nil
            }
        }
        return decided ?? ((a.handle, a.stack) < (b.handle, b.stack))
    }
}

/// How many learners reached each percent, at one decimal: the median of
/// a stack's percents, exactly as shown, without keeping any row.
public struct PercentHistogram: Sendable {
    private var counts = [Int](repeating: 0, count: 1001)
    public private(set) var total = 0
    public private(set) var complete = 0

    public init() {}

    public mutating func add(_ percent: Double, complete: Bool) {
        let tenth = min(1000, max(0, Int((percent * 10).rounded())))
        counts[tenth] += 1
        total += 1
        if complete { self.complete += 1 }
    }

    /// The counts in eleven bins: 0 to 9.9, 10 to 19.9, … 90 to 99.9, and 100.
    public var deciles: [Int] {
        var bins = [Int](repeating: 0, count: 11)
        for (tenth, count) in counts.enumerated() { bins[min(10, tenth / 100)] += count }
        return bins
    }

    /// Adds the percents another histogram counted.
    public mutating func merge(_ other: PercentHistogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
        total += other.total
        complete += other.complete
    }

    /// The median of the percents at one decimal (the mean of the middle two
    /// for an even count); nil when empty.
    public var median: Double? {
        guard total > 0 else { return nil }
        func value(at rank: Int) -> Double {
            var seen = 0
            for (tenth, count) in counts.enumerated() {
                seen += count
                if seen > rank { return Double(tenth) / 10 }
            }
            return 100
        }
        return total % 2 == 1 ? value(at: total / 2) : (value(at: total / 2 - 1) + value(at: total / 2)) / 2
    }
}

/// Whether a learner will reach a goal by its target date, at their pace.
public enum GoalStatus: String, CaseIterable, Sendable {
    case done
    case onTrack = "on-track"
    case offTrack = "off-track"
    case unknown

    /// The estimated finish is the as-of date plus ceil(remaining hours /
    /// pace) weeks, the remaining hours those of the least-hours plan.
    /// `unknown` without a pace, a target date, or a plan.
    public static func assess(complete: Bool, remainingHours: Int64?, pace: Double?, target: Day?, on day: Day)
        -> (finish: Day?, status: GoalStatus)
    {
        if complete { return (day, .done) }
        guard let pace, pace > 0, let weeks = Schedule.weeks(hours: remainingHours, weeks: nil, pace: pace) else { return (nil, .unknown) }
        let finish = weeks > Int64(Limits.maxDays) ? nil : day.adding(days: Int(weeks) * 7)
        guard let target else { return (finish, .unknown) }
        guard let finish else { return (nil, .offTrack) }
        return (finish, finish <= target ? .onTrack : .offTrack)
    }
}

/// How long a plan takes, and whether it fits in six months.
public enum Schedule {
    /// Six months, as the product promises it: 26 weeks.
    public static let sixMonths: Int64 = 26

    /// ceil(hours / pace) with a pace; else the credentials' weeks one
    /// after another. Nil when the total it needs is unknown.
    public static func weeks(hours: Int64?, weeks: Int64?, pace: Double?) -> Int64? {
        guard let pace, pace > 0 else { return weeks }
        return hours.map { Int64(clampingUp: Double($0) / pace - 1e-9) }
    }

    public static func fitsSixMonths(_ weeks: Int64) -> Bool { weeks <= sixMonths }
}
