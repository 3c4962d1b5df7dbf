/// A hash table from progress keys to values: what the reports' memos
/// use, since they look a key up for every learner and stack (more than a
/// million times a site of 20,000 learners).
///
/// A `Dictionary` hashes each key with `Hasher` (SipHash, seeded), which
/// cost about as much as the rest of a lookup. A key here is already folded
/// into one well-mixed word (``ProgressKey/folded``), so this table takes
/// the top bits of that word times a 64-bit odd constant (Fibonacci
/// hashing) and probes linearly; equality settles any collision. It only
/// grows: a memo stops adding keys at its own limit.
///
/// Inlinable, as `Dictionary` is, so that the modules that use it
/// specialise it for their values instead of calling generic code.
public struct ProgressKeyTable<Value> {
    @usableFromInline var keys: [ProgressKey] = []
    @usableFromInline var values: [Value] = []
    /// Open addressing: an index into `keys` plus one, or 0 for an empty slot.
    @usableFromInline var slots: [Int32] = []
    /// 64 minus the base-2 logarithm of `slots.count`.
    @usableFromInline var shift: UInt64 = 64

    @inlinable public init() {}

    /// How many keys it holds.
    @inlinable public var count: Int { keys.count }

    /// The value kept for `key`, if any; setting a value keeps it (setting
    /// nil is not supported: nothing is ever removed).
    @inlinable public subscript(key: ProgressKey) -> Value? {
        get {
            guard let index = find(key).index else { return nil }
            return values[index]
        }
        set {
            guard let newValue else { preconditionFailure("ProgressKeyTable: values are never removed") }
            let (index, slot) = find(key)
            if let index { return values[index] = newValue }
            keys.append(key)
            values.append(newValue)
            if keys.count * 2 > slots.count {
                grow()
            } else {
                slots[slot] = Int32(keys.count)
            }
        }
    }

    /// Where `key` is (its index), or the empty slot where it would go.
    @inlinable func find(_ key: ProgressKey) -> (index: Int?, slot: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1
        var slot = Self.home(key, shift)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return (nil, slot) }
            if keys[entry - 1] == key { return (entry - 1, slot) }
            slot = (slot + 1) & mask
        }
    }

    @inlinable static func home(_ key: ProgressKey, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key.folded &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Doubles the slots (at least 64) and places every key again; the
    /// keys are never more than half the slots.
    @usableFromInline mutating func grow() {
        var size = Swift.max(64, slots.count * 2)
        while size < keys.count * 2 { size *= 2 }
        precondition(size <= Int(Int32.max), "ProgressKeyTable: too many keys")
        slots = [Int32](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        let mask = size - 1
        for (i, key) in keys.enumerated() {
            var slot = Self.home(key, shift)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i + 1)
        }
    }
}

extension ProgressKeyTable: Sendable where Value: Sendable {}
