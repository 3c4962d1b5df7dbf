/// Everything one learner's progress toward one stack depends on: which of
/// the stack's relevant credentials they hold now and in projection, and the
/// totals seen by leaves that count any credential. Two learners with equal
/// keys have identical progress rows, so a report over many learners can
/// compute each distinct key once.
public struct ProgressKey: Hashable, Sendable {
    @usableFromInline var held: (UInt64, UInt64) = (0, 0)
    @usableFromInline var projected: (UInt64, UInt64) = (0, 0)
    @usableFromInline var totals: (Double, Double, Double, Double) = (0, 0, 0, 0)

    @inlinable public static func == (a: ProgressKey, b: ProgressKey) -> Bool {
        a.held == b.held && a.projected == b.projected && a.totals == b.totals
    }

    /// One word folded from every field, then hashed once: keys are hashed
    /// for every learner and stack, and equality settles any collision.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(folded)
    }

    /// Every field folded into one word, each multiplied by a large odd
    /// constant so that its bits spread over the word.
    @inlinable public var folded: UInt64 {
        var x = held.0 &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ held.1) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ projected.0) &* 0x94D0_49BB_1331_11EB
        x = (x ^ projected.1) &* 0x9E37_79B9_7F4A_7C15
        x ^= totals.0.bitPattern &+ (totals.1.bitPattern << 1) &+ (totals.2.bitPattern << 2) &+ (totals.3.bitPattern << 3)
        return (x ^ (x >> 29)) &* 0xBF58_476D_1CE4_E5B9
    }

    /// The key of the same learner with their projection left out, as if
    /// nothing of theirs were unfinished: all that the current evaluation,
    /// and so the explained tree and the missing items, depend on. Many
    /// learners who differ only in what they have under way share it.
    public var current: ProgressKey {
        var key = self
        key.projected = held
        key.totals.1 = totals.0
        key.totals.3 = totals.2
        return key
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
        // Past its threshold a total changes nothing in the row: clamp it,
        // so that every learner who has met the leaf shares a key.
        func total(_ leaf: AmountLeaf, _ members: [Int]) -> Double {
            min(leaf.threshold, unrestrictedTotal(leaf, members: members, catalog: catalog))
        }
        if !unrestricted.isEmpty {
            key.totals.0 = total(unrestricted[0], held)
            key.totals.1 = total(unrestricted[0], projected)
            if unrestricted.count > 1 {
                key.totals.2 = total(unrestricted[1], held)
                key.totals.3 = total(unrestricted[1], projected)
            }
        }
        return key
    }
}
