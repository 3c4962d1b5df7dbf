import CredfolioCore

/// zlib (RFC 1950) around DEFLATE (RFC 1951), decompressed: for the
/// compressed text chunks of a PNG (`zTXt`, compressed `iTXt`). A small
/// decoder in the manner of zlib's `puff`: stored, fixed and dynamic
/// Huffman blocks, with the output bounded and the Adler-32 checked.
enum Inflate {
    struct Failure: Error {}

    /// The decompressed bytes; throws on damaged data or more than `limit`
    /// bytes (`tooLarge`, when given, says which of the two to say then).
    static func zlib(_ data: [UInt8], limit: Int, tooLarge: String? = nil) throws(CredfolioError) -> [UInt8] {
        guard data.count >= 6, data[0] & 0x0F == 8, (UInt16(data[0]) << 8 | UInt16(data[1])) % 31 == 0, data[1] & 0x20 == 0 else {
            throw .invalid("the compressed chunk is not zlib data")
        }
        var state = State(input: Array(data[2...]), limit: limit)
        do {
            try state.run()
        } catch {
            throw .invalid(state.tooLarge ? tooLarge ?? "the compressed chunk inflates to more than \(NumberText.grouped(limit)) bytes"
                                          : "the compressed chunk is damaged")
        }
        // Adler-32, big-endian, after the DEFLATE data (byte-aligned).
        let at = (state.bit + 7) / 8
        guard at + 4 <= state.input.count else { throw .invalid("the compressed chunk is truncated") }
        let stored = UInt32(state.input[at]) << 24 | UInt32(state.input[at + 1]) << 16 | UInt32(state.input[at + 2]) << 8
            | UInt32(state.input[at + 3])
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in state.output {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        guard b << 16 | a == stored else { throw .invalid("the compressed chunk fails its Adler-32 check: the file is damaged") }
        return state.output
    }

    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) throws(Failure) {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for i in 1..<15 { offsets[i + 1] = offsets[i] + counts[i] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    struct State {
        let input: [UInt8]
        let limit: Int
        var bit = 0
        var output: [UInt8] = []
        var tooLarge = false

        init(input: [UInt8], limit: Int) {
            self.input = input
            self.limit = limit
        }

        mutating func bits(_ n: Int) throws(Failure) -> Int {
            var value = 0
            for i in 0..<n {
                let byte = bit >> 3
                guard byte < input.count else { throw Failure() }
                value |= Int((input[byte] >> UInt8(bit & 7)) & 1) << i
                bit += 1
            }
            return value
        }

        mutating func decode(_ h: Huffman) throws(Failure) -> Int {
            var code = 0, first = 0, index = 0
            for length in 1...15 {
                code |= try bits(1)
                let count = h.counts[length]
                if code - count < first { return h.symbols[index + (code - first)] }
                index += count
                first += count
                first <<= 1
                code <<= 1
            }
            throw Failure()
        }

        mutating func emit(_ byte: UInt8) throws(Failure) {
            guard output.count < limit else {
                tooLarge = true
                throw Failure()
            }
            output.append(byte)
        }

        static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                   4097, 6145, 8193, 12289, 16385, 24577]
        static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

        mutating func codes(_ lengths: Huffman, _ distances: Huffman) throws(Failure) {
            while true {
                let symbol = try decode(lengths)
                if symbol < 256 {
                    try emit(UInt8(symbol))
                } else if symbol == 256 {
                    return
                } else {
                    let s = symbol - 257
                    guard s < 29 else { throw Failure() }
                    let length = Self.lengthBase[s] + (try bits(Self.lengthExtra[s]))
                    let d = try decode(distances)
                    guard d < 30 else { throw Failure() }
                    let distance = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
                    guard distance <= output.count else { throw Failure() }
                    for _ in 0..<length { try emit(output[output.count - distance]) }
                }
            }
        }

        mutating func run() throws(Failure) {
            var last = 0
            repeat {
                last = try bits(1)
                switch try bits(2) {
                case 0:
                    bit = (bit + 7) & ~7
                    let at = bit >> 3
                    guard at + 4 <= input.count else { throw Failure() }
                    let length = Int(input[at]) | Int(input[at + 1]) << 8
                    let complement = Int(input[at + 2]) | Int(input[at + 3]) << 8
                    guard length == ~complement & 0xFFFF, at + 4 + length <= input.count else { throw Failure() }
                    for i in 0..<length { try emit(input[at + 4 + i]) }
                    bit = (at + 4 + length) * 8
                case 1:
                    var lengths = [Int](repeating: 8, count: 288)
                    for i in 144..<256 { lengths[i] = 9 }
                    for i in 256..<280 { lengths[i] = 7 }
                    try codes(try Huffman(lengths: lengths), try Huffman(lengths: [Int](repeating: 5, count: 30)))
                case 2:
                    let literals = try bits(5) + 257, distances = try bits(5) + 1, codeLengths = try bits(4) + 4
                    guard literals <= 286, distances <= 30 else { throw Failure() }
                    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                    var lengthOfCode = [Int](repeating: 0, count: 19)
                    for i in 0..<codeLengths { lengthOfCode[order[i]] = try bits(3) }
                    let codeHuffman = try Huffman(lengths: lengthOfCode)
                    var lengths: [Int] = []
                    while lengths.count < literals + distances {
                        let symbol = try decode(codeHuffman)
                        if symbol < 16 {
                            lengths.append(symbol)
                        } else {
                            var repeated = 0, times = 0
                            if symbol == 16 {
                                guard let previous = lengths.last else { throw Failure() }
                                repeated = previous
                                times = 3 + (try bits(2))
                            } else if symbol == 17 {
                                times = 3 + (try bits(3))
                            } else {
                                times = 11 + (try bits(7))
                            }
                            guard lengths.count + times <= literals + distances else { throw Failure() }
                            lengths += [Int](repeating: repeated, count: times)
                        }
                    }
                    try codes(try Huffman(lengths: Array(lengths[0..<literals])), try Huffman(lengths: Array(lengths[literals...])))
                default:
                    throw Failure()
                }
            } while last == 0
        }
    }
}
