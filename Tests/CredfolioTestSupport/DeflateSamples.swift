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
