import Crypto

extension ImportedBadge.Recipient {
    /// Whether the badge was issued to one of `addresses`: true or false,
    /// or nil when it names no email (a DID or URL only) and so cannot be
    /// checked. Hashes are `sha256` or `md5` of the address followed by
    /// the salt, compared with the address as stored and in lower case.
    public func matches(_ addresses: [String]) -> Bool? {
        switch self {
        case .unverifiable:
            return nil
        case .email(let identity):
            return addresses.contains { $0.lowercased() == identity.lowercased() }
        case .hashed(let algorithm, let digest, let salt):
            for address in addresses {
                for candidate in Set([address, address.lowercased()]) {
                    let input = Array((candidate + salt).utf8)
                    let hex: String
                    switch algorithm {
                    case "sha256": hex = Self.hex(SHA256.hash(data: input))
                    case "md5": hex = Self.hex(Insecure.MD5.hash(data: input))
                    default: return false
                    }
                    if hex == digest { return true }
                }
            }
            return false
        }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest { out += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SHA-256 of a file, as `source.sha256` shows it.
public enum Fingerprint {
    public static func sha256(_ bytes: [UInt8]) -> String {
        ImportedBadge.Recipient.hex(SHA256.hash(data: bytes))
    }
}
