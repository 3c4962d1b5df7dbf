import Foundation

/// zlib streams made by a reference compressor, for the inflate tests.
public enum DeflateSamples {
    public static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// `credential` compressed by zlib at levels 0 (stored) and 9 (dynamic
    /// Huffman); "hello hello" at level 9 (fixed Huffman).
    public static let credential = #"{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:z-1","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"https://issuer.test","name":"Zip Academy"},"validFrom":"2026-02-02T00:00:00Z","credentialSubject":{"id":"did:example:z","type":["AchievementSubject"],"achievement":{"id":"https://issuer.test/achievements/zip","type":["Achievement"],"name":"Compression Basics","humanCode":"zip-basics"}}}"#
    public static let stored = "780101ae0151fe" + credential.utf8.map { String(format: "%02x", $0) }.joined() + "e63791ec"
    public static let dynamic = "78da7d8f3d4fc3301086ff4a75731287203178a28dc4ca0062286270eca3318a3fe48fa44d95ff8e43689b0121ddf4debd8f1f9fe1911b1df01880be431b82f5949061188ae1be30ee40b427dca1401d24eb3ce92bf8c8400aa0109da6314a41c7fc0e3208278b33e30d9dfc94ace9b0bef6d2fad9a2de317158a733c9fb880ee879615e0496b808e843ea6aa6121af6d26eb69c0954279832e85927c593332aadaab27ac8cb2acd6b59d29fd9a7e2cdfc25365fc8c3f52191bcf1c894ed908e2bfb2d6f25f6a852eb524996ec96fea74a56779e8cd2fe0d9e89bf5faa8db20ebd97466f76cc4bee53a58d8ae9da88f92041f266594cd3f40de63791ec"
}

/// A zlib stream of zeros, written by hand as one fixed-Huffman DEFLATE
/// block (RFC 1951): a literal 0, then `runs` matches of length 258 at
/// distance 1. Each match is 13 bits, so the stream inflates about 160
/// times its size: what a decompression bomb is made of.
public enum ZeroStream {
    /// The stream, and how many bytes it inflates to (1 + 258 · runs).
    public static func zlib(runs: Int) -> (bytes: [UInt8], inflated: Int) {
        var bits = BitWriter()
        bits.write(1, count: 1)            // BFINAL
        bits.write(1, count: 2)            // BTYPE 01: fixed Huffman codes
        bits.writeCode(0x30, count: 8)     // literal 0
        for _ in 0..<runs {
            bits.writeCode(0b1100_0101, count: 8)  // length code 285: 258 bytes, no extra bits
            bits.writeCode(0, count: 5)            // distance code 0: 1 byte back
        }
        bits.writeCode(0, count: 7)        // end of block (256)
        let inflated = 1 + 258 * runs
        // Adler-32 of zeros: a stays 1, b adds 1 a byte.
        let adler = UInt32(inflated % 65_521) << 16 | 1
        return ([0x78, 0x01] + bits.bytes + [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)],
                inflated)
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var used = 8

        /// `count` bits of `value`, least significant first (DEFLATE's header fields).
        mutating func write(_ value: Int, count: Int) {
            for i in 0..<count { bit((value >> i) & 1) }
        }

        /// A Huffman code, most significant bit first.
        mutating func writeCode(_ code: Int, count: Int) {
            for i in (0..<count).reversed() { bit((code >> i) & 1) }
        }

        private mutating func bit(_ b: Int) {
            if used == 8 { bytes.append(0); used = 0 }
            bytes[bytes.count - 1] |= UInt8(b) << used
            used += 1
        }
    }
}
