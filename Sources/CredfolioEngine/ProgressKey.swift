/// Everything one learner's progress toward one stack depends on: which of
/// the stack's relevant credentials they hold now and in projection, and the
/// totals seen by leaves that count any credential. Two learners with equal
/// keys have identical progress rows, so a report over many learners can
/// compute each distinct key once.
public struct ProgressKey: Hashable, Sendable {
    var held: (UInt64, UInt64) = (0, 0)
    var projected: (UInt64, UInt64) = (0, 0)
    var totals: (Double, Double, Double, Double) = (0, 0, 0, 0)

    public static func == (a: ProgressKey, b: ProgressKey) -> Bool {
        a.held == b.held && a.projected == b.projected && a.totals == b.totals
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(held.0)
        hasher.combine(held.1)
        hasher.combine(projected.0)
        hasher.combine(projected.1)
        hasher.combine(totals.0)
        hasher.combine(totals.1)
        hasher.combine(totals.2)
        hasher.combine(totals.3)
    }
}

extension CompiledStack {
    /// The key of a learner who holds `held` (catalog indices) and, in
    /// projection, `projected`; nil when the stack is too broad to key (more
    /// than 128 relevant credentials, or more than two leaves that count any
    /// credential), in which case evaluate directly.
    public func progressKey(held: [Int], projected: [Int], catalog: Catalog) -> ProgressKey? {
        guard relevant.count <= 128, unrestricted.count <= 2 else { return nil }
        var key = ProgressKey()
        func bits(_ members: [Int]) -> (UInt64, UInt64) {
            var low: UInt64 = 0, high: UInt64 = 0
            for i in members {
                let bit = keyBit[i]
                if bit < 0 { continue }
                if bit < 64 { low |= 1 << UInt64(bit) } else { high |= 1 << UInt64(bit - 64) }
            }
            return (low, high)
        }
        key.held = bits(held)
        key.projected = held == projected ? key.held : bits(projected)
        if !unrestricted.isEmpty {
            key.totals.0 = unrestrictedTotal(unrestricted[0], members: held, catalog: catalog)
            key.totals.1 = unrestrictedTotal(unrestricted[0], members: projected, catalog: catalog)
            if unrestricted.count > 1 {
                key.totals.2 = unrestrictedTotal(unrestricted[1], members: held, catalog: catalog)
                key.totals.3 = unrestrictedTotal(unrestricted[1], members: projected, catalog: catalog)
            }
        }
        return key
    }
}
