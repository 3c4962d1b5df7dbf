/// UTF-8 validation for the CSV reader's hot path: ASCII runs are checked a
/// byte at a time with no decoding, other sequences by their lead byte
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
public enum UTF8Check {
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int) -> Bool { i + k < n && bytes[i + k] & 0xC0 == 0x80 }
            switch b {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let second = bytes[i + 1]
                if b == 0xE0 && second < 0xA0 { return false }  // overlong
                if b == 0xED && second > 0x9F { return false }  // surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let second = bytes[i + 1]
                if b == 0xF0 && second < 0x90 { return false }  // overlong
                if b == 0xF4 && second > 0x8F { return false }  // above U+10FFFF
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
