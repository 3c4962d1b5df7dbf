/// The documented range of every number credfolio accepts, from the command
/// line, a file or the database. Values are checked where they enter, so
/// that every sum and every derived date downstream is representable.
///
/// The bounds are far beyond any real credential, and small enough that
/// sums over a whole catalog of a million credentials fit in `Int64`.
public enum Limits {
    /// A credential's cost: at most 10,000,000,000 currency units.
    public static let maxCostCents: Int64 = 1_000_000_000_000
    /// A credential's notional workload: at most 1,000,000 hours.
    public static let maxHours: Int64 = 1_000_000
    /// A credential's credits: at most 1,000,000.
    public static let maxCredits: Double = 1_000_000
    /// A credential's typical duration: at most 5,200 weeks (a century).
    public static let maxWeeks: Int64 = 5_200
    /// A credential's validity: at most 1,200 months (a century).
    public static let maxValidityMonths: Int64 = 1_200
    /// A stack's hours or credits threshold: at most 1,000,000,000.
    public static let maxThreshold: Double = 1_000_000_000
    /// A study pace: more than 0 (at least 0.01) and at most 168 hours a week.
    public static let minPace: Double = 0.01
    public static let maxPace: Double = 168
    /// How far ahead or back a report looks: at most 36,500 days (a century).
    public static let maxDays: Int = 36_500
    /// A stack's requirement tree, with nested stacks inlined: at most
    /// 10,000 requirements.
    public static let maxStackNodes = 10_000
}

extension Int64 {
    /// `self + other`, or nil when the sum does not fit.
    @inlinable
    public func adding(checked other: Int64) -> Int64? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }

    /// `self + other`, or `Int64.max` when the sum does not fit: for bounds
    /// and costs that only ever get compared.
    @inlinable
    public func adding(saturating other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `value` rounded up, or `Int64.max` when it is too large (or not a
    /// number), 0 when it is negative: a Double that never traps.
    @inlinable
    public init(clampingUp value: Double) {
        let up = value.rounded(.up)
        if !(up < 9_223_372_036_854_774_784) { self = .max } else if up <= 0 { self = 0 } else { self = Int64(up) }
    }
}
