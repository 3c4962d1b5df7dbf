public import CredfolioCore

/// The text chunks of a PNG file, read with every chunk's CRC checked.
///
/// Open Badges bake their assertion or credential into an `iTXt` chunk
/// (keyword `openbadges`, `openbadgecredential` or `clrcredential`),
/// uncompressed. A `tEXt` or `zTXt` chunk, or a compressed `iTXt`, with
/// those keywords is accepted too, defensively.
public enum PNGChunks {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// No chunk of a badge image needs more: a larger one is refused before it is read.
    public static let maxChunkBytes = 16 << 20

    public static func isPNG(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && Array(bytes[0..<8]) == signature
    }

    /// Keyword → text of every text chunk, in file order. Compressed badge
    /// chunks are inflated within one budget for the whole file,
    /// ``maxChunkBytes``: thousands of small chunks that each inflate to
    /// the limit are refused at the limit, not held in memory.
    public static func texts(_ bytes: [UInt8]) throws(CredfolioError) -> [(keyword: String, text: String)] {
        guard isPNG(bytes) else { throw .invalid("not a PNG file") }
        var texts: [(keyword: String, text: String)] = []
        var inflateBudget = maxChunkBytes
        func inflate(_ compressed: [UInt8]) throws(CredfolioError) -> [UInt8] {
            let overBudget = "the PNG file's compressed badge chunks inflate to more than \(NumberText.grouped(maxChunkBytes)) bytes in all"
            guard inflateBudget > 0 else { throw .invalid(overBudget) }
            // The first chunk over the limit is over it alone; a later one, with the chunks before it.
            let inflated = try Inflate.zlib(compressed, limit: inflateBudget, tooLarge: inflateBudget < maxChunkBytes ? overBudget : nil)
            inflateBudget -= inflated.count
            return inflated
        }
        var offset = 8
        var sawEnd = false
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else { throw .invalid("the PNG file is truncated (a chunk header is cut off)") }
            let length = Int(UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
                             | UInt32(bytes[offset + 3]))
            // A chunk type is four ASCII letters; anything else is damage, and is not put into a message as it is.
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                let hex = typeBytes.map { byte in String(byte, radix: 16, uppercase: true) }.map { $0.count == 1 ? "0" + $0 : $0 }
                throw .invalid("the PNG file is damaged: a chunk's type at byte \(offset + 4) is not four letters (\(hex.joined(separator: " ")))")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= maxChunkBytes else {
                throw .invalid("the PNG chunk \(type) claims \(NumberText.grouped(length)) bytes, more than \(NumberText.grouped(maxChunkBytes))")
            }
            guard offset + 12 + length <= bytes.count else { throw .invalid("the PNG file is truncated (chunk \(type) is cut off)") }
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let stored = UInt32(bytes[offset + 8 + length]) << 24 | UInt32(bytes[offset + 9 + length]) << 16
                | UInt32(bytes[offset + 10 + length]) << 8 | UInt32(bytes[offset + 11 + length])
            guard CRC32.checksum(bytes[(offset + 4)..<(offset + 8 + length)]) == stored else {
                throw .invalid("the PNG chunk \(type) fails its CRC check: the file is damaged")
            }
            switch type {
            case "tEXt":
                if let zero = data.firstIndex(of: 0) {
                    texts.append((String(decoding: data[..<zero], as: UTF8.self),
                                  String(decoding: data[(zero + 1)...], as: UTF8.self)))
                }
            case "iTXt":
                // keyword \0 compression-flag method language \0 translated \0 text
                guard let zero = data.firstIndex(of: 0), zero + 2 < data.count else { break }
                let keyword = String(decoding: data[..<zero], as: UTF8.self)
                let compressed = data[zero + 1] != 0
                var rest = data[(zero + 3)...]
                guard let languageEnd = rest.firstIndex(of: 0) else { break }
                rest = rest[(languageEnd + 1)...]
                guard let translatedEnd = rest.firstIndex(of: 0) else { break }
                var text = Array(rest[(translatedEnd + 1)...])
                // Open Badges bake uncompressed; a compressed one is read defensively.
                if compressed {
                    guard BadgeKeyword(rawValue: keyword) != nil else { break }
                    text = try inflate(text)
                }
                texts.append((keyword, String(decoding: text, as: UTF8.self)))
            case "zTXt":
                // keyword \0 method compressed-text, read defensively for a badge keyword.
                if let zero = data.firstIndex(of: 0), zero + 1 < data.count {
                    let keyword = String(decoding: data[..<zero], as: UTF8.self)
                    if BadgeKeyword(rawValue: keyword) != nil {
                        texts.append((keyword, String(decoding: try inflate(Array(data[(zero + 2)...])), as: UTF8.self)))
                    }
                }
            case "IEND":
                sawEnd = true
            default:
                break
            }
            offset += 12 + length
            if sawEnd { break }
        }
        guard sawEnd else { throw .invalid("the PNG file is truncated (no IEND chunk)") }
        return texts
    }

    /// `bytes` with an uncompressed `iTXt` chunk `keyword` = `text` before
    /// its IEND, replacing any chunk of that keyword: how a badge is baked.
    public static func baking(_ bytes: [UInt8], keyword: String, text: String) throws(CredfolioError) -> [UInt8] {
        guard isPNG(bytes) else { throw .invalid("not a PNG file") }
        var out = signature
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
                             | UInt32(bytes[offset + 3]))
            guard offset + 12 + length <= bytes.count else { throw .invalid("the PNG file is truncated") }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let whole = bytes[offset..<(offset + 12 + length)]
            let data = bytes[(offset + 8)..<(offset + 8 + length)]
            let isSame = type == "iTXt" && data.starts(with: Array(keyword.utf8) + [0])
            if type == "IEND" { out += Self.chunk(type: "iTXt", data: Array(keyword.utf8) + [0, 0, 0, 0, 0] + Array(text.utf8)) }
            if !isSame { out += whole }
            offset += 12 + length
        }
        return out
    }

    static func chunk(type: String, data: [UInt8]) -> [UInt8] {
        let length = UInt32(data.count)
        let body = Array(type.utf8) + data
        let crc = CRC32.checksum(body[...])
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + body + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }
}

/// The keywords under which a badge is baked.
public enum BadgeKeyword: String, CaseIterable, Sendable {
    case openbadges, openbadgecredential, clrcredential
}

/// CRC-32 as PNG (and zlib) compute it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
