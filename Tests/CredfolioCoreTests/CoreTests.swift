import Testing
@testable import CredfolioTestSupport
@testable import CredfolioSystem
@testable import CredfolioCore

@Suite("Dates and numbers")
struct DayTests {
    @Test("parses exactly YYYY-MM-DD and rejects impossible or malformed dates", arguments: [
        ("2026-03-14", true), ("2024-02-29", true), ("2026-02-29", false), ("2026-02-30", false),
        ("2026-13-01", false), ("2026-00-10", false), ("26-1-1", false), ("2026-1-01", false),
        ("2026-01-01 ", false), ("", false), ("0000-01-01", false), ("9999-12-31", true), ("2026/01/01", false),
    ])
    func parsing(text: String, valid: Bool) {
        #expect((Day(iso: text) != nil) == valid)
        if valid { #expect(Day(iso: text)?.description == text) }
    }

    @Test("round-trips every day from 1900 to 2100 through its civil date")
    func roundTrip() {
        var d = Day(year: 1900, month: 1, day: 1)!
        let end = Day(year: 2100, month: 12, day: 31)!
        while d <= end {
            #expect(Day(iso: d.description) == d)
            d = d.adding(days: 1)!
        }
        #expect(Day(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(Day(iso: "2000-03-01")!.daysSinceEpoch == 11_017)
    }

    @Test("writes the first and last days, and zero-padded years, months and days, exactly")
    func isoEdges() {
        #expect(Day.first.description == "0001-01-01")
        #expect(Day.last.description == "9999-12-31")
        #expect(Day(year: 987, month: 3, day: 4)!.description == "0987-03-04")
        var bytes = Array("x".utf8)
        Day(year: 2026, month: 11, day: 29)!.appendISO(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x2026-11-29")
    }

    @Test("adding months clamps to the month's last day", arguments: [
        ("2024-01-31", 1, "2024-02-29"), ("2023-01-31", 1, "2023-02-28"), ("2026-03-14", 36, "2029-03-14"),
        ("2026-11-30", 3, "2027-02-28"), ("2026-12-15", 1, "2027-01-15"), ("2024-02-29", 12, "2025-02-28"),
    ])
    func addingMonths(start: String, months: Int, expected: String) {
        #expect(day(start).adding(months: months)?.description == expected)
    }

    @Test("money parses exactly into cents and prints back", arguments: [
        ("100", Int64(10_000)), ("99.99", 9_999), ("99.9", 9_990), ("0", 0), ("1299.00", 129_900), ("0.05", 5),
        ("10000000000", 1_000_000_000_000), ("10000000000.00", 1_000_000_000_000),
    ])
    func money(text: String, cents: Int64) {
        #expect(Money.cents(from: text) == cents)
        #expect(Money.cents(from: Money.format(cents: cents)) == cents)
    }

    @Test("money rejects negatives, three decimals, words, commas and amounts past 10^10",
          arguments: ["-5", "1.234", "abc", "", "1.2.3", "$5", "49,99", "1,2,3", "0,001", "1,299.00",
                      "10000000000.01", "92233720368547758.08", "92233720368547758.07", "99999999999999999999999"])
    func badMoney(text: String) {
        #expect(Money.cents(from: text) == nil)
    }

    @Test("numbers group thousands and round to one decimal half away from zero")
    func numberText() {
        #expect(NumberText.grouped(1_204) == "1,204")
        #expect(NumberText.grouped(1_000_000) == "1,000,000")
        #expect(NumberText.grouped(999) == "999")
        #expect(NumberText.fixed(66.666, decimals: 1) == "66.7")
        #expect(NumberText.fixed(100, decimals: 1) == "100.0")
        #expect(NumberText.fixed(0.05, decimals: 1) == "0.1")
        #expect(NumberText.fixed(0, decimals: 1) == "0.0")
        #expect(NumberText.fixed(-2.25, decimals: 1) == "-2.3")
        #expect(NumberText.fixed(-0.04, decimals: 1) == "0.0")
        #expect(NumberText.fixed(0.07, decimals: 2) == "0.07")
        #expect(NumberText.fixed(1234.5, decimals: 0) == "1235")
        #expect(NumberText.fixed(0, decimals: 0) == "0")
        #expect(NumberText.fixed(12.5, decimals: 3) == "12.500")
        #expect(NumberText.fixed(8e15, decimals: 0) == "8000000000000000")
        #expect(NumberText.fixed(.infinity, decimals: 1) == "inf")
    }
}

@Suite("Totals with unknown values")
struct TotalTests {
    @Test("an unknown value is counted apart, never as 0; the words say how many; an overflow of the known part is nil")
    func unknownApart() throws {
        let mixed = try #require(Total([45, nil, 10]))
        #expect(mixed.known == 55 && mixed.knownCount == 2 && mixed.unknown == 1 && mixed.value == nil)
        #expect(mixed.words({ "\($0) hours" }, unknown: "hours") == "55 hours + 1 credential of unknown hours")
        let unknown = try #require(Total([nil, nil]))
        #expect(unknown.words({ "\($0) hours" }, unknown: "hours") == "2 credentials of unknown hours")
        let known = try #require(Total([0, 7]))
        #expect(known.value == 7 && known.words({ "\($0) weeks" }, unknown: "weeks") == "7 weeks")
        #expect(Total([]) == Total() && Total([])?.value == 0)
        #expect(Total([Int64.max, 1]) == nil)
    }
}

@Suite("White space in codes and addresses")
struct WhitespaceTests {
    @Test("codes and emails refuse ASCII and Unicode white space alike; other non-ASCII text passes")
    func whitespace() throws {
        for code in ["maria", "zoë", "日本-1", "a.b_c"] { #expect(Slug.isValid(code), "\(code)") }
        for code in ["a b", "a\tb", "a\u{00A0}b", "a\u{2003}b", "a\u{3000}b", "a;b", ""] { #expect(!Slug.isValid(code), "\(code)") }
        #expect(try Field.email("zoë@example.org") == "zoë@example.org")
        #expect(try Field.email("a.b+c@sub.example.org") == "a.b+c@sub.example.org")
        for address in ["ana @example.org", "ana@exa\u{00A0}mple.org", "ana@example.org\u{2028}", "ana\u{000B}@example.org",
                        "@example.org", "ana@example", "ana@example.", "ana@@example.org", "a@b@example.org", "ana.example.org",
                        "zoë@example", "zoë@@example.org"] {
            #expect(throws: CredfolioError.self, "\(address)") { try Field.email(address) }
        }
        #expect(Field.containsWhitespace("a\u{0085}b") && !Field.containsWhitespace("plain-ascii@x.org"))
    }

    @Test("a value quoted into a message keeps to one line and carries no control character, C0, DEL or C1")
    func quotedValues() {
        #expect(Field.quoted("plain") == "\"plain\"")
        #expect(Field.quoted("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(Field.quoted("a\nb\rc\td") == "\"a\\nb\\rc\\td\"")
        #expect(Field.quoted("\u{1B}[31mred\u{7F}") == "\"\\u{1b}[31mred\\u{7f}\"")
        #expect(Field.quoted("\u{9B}31m\u{85}\u{9F}") == "\"\\u{9b}31m\\u{85}\\u{9f}\"")
        #expect(Field.quoted("zoë\u{A0}日本") == "\"zoë\u{A0}日本\"")
        #expect(Field.quoted(String(repeating: "x", count: 80)) == "\"" + String(repeating: "x", count: 57) + "...\"")
    }

    @Test("a message becomes one line a terminal shows and does not act on: breaks and tabs are spaces, other controls \\u{…}")
    func oneLine() {
        #expect("plain text, zoë 日本".asOneLine() == "plain text, zoë 日本")
        #expect("a\nb\r\nc\td\u{85}e\u{2028}f\u{2029}g".asOneLine() == "a b  c d e f g")
        #expect("\u{1B}[31mred\u{7}\u{0}\u{7F}\u{9B}2J".asOneLine() == "\\u{1b}[31mred\\u{7}\\u{0}\\u{7f}\\u{9b}2J")
        #expect("\u{A0}non-breaking".asOneLine() == "\u{A0}non-breaking")
    }
}

@Suite("CSV reader (RFC 4180)")
struct CSVReaderTests {
    func records(_ text: String) throws -> [[String]] {
        let reader = CSVReader(text: text)
        var out: [[String]] = []
        while try reader.next() { out.append(try reader.record()) }
        return out
    }

    func failure(_ text: String) -> CSVError? {
        do {
            _ = try records(text)
            return nil
        } catch let error as CSVError {
            return error
        } catch {
            return nil
        }
    }

    @Test("plain fields, LF and CRLF line ends, with or without a final line end")
    func plain() throws {
        #expect(try records("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try records("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,b\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(try records("a,,c\n,,\n") == [["a", "", "c"], ["", "", ""]])
    }

    @Test("quoted fields hold commas, doubled quotes and line breaks")
    func quoted() throws {
        #expect(try records("\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"crlf\r\nkept\"\n")
                == [["a,b", "say \"hi\"", "line1\nline2", "crlf\r\nkept"]])
        #expect(try records("\"\",x\n") == [["", "x"]])
    }

    @Test("a UTF-8 byte-order mark is skipped; blank lines are skipped")
    func bomAndBlankLines() throws {
        #expect(try records("\u{FEFF}code,name\n\nx,y\n\n") == [["code", "name"], ["x", "y"]])
    }

    @Test("record lines count the line breaks inside quoted fields")
    func lineNumbers() throws {
        let reader = CSVReader(text: "h\n\"a\nb\"\nc\n")
        var lines: [Int] = []
        while try reader.next() { lines.append(reader.recordLine) }
        #expect(lines == [1, 2, 4])
    }

    @Test("an unterminated quote is an error at the line where the quote opened")
    func unterminated() {
        #expect(failure("a,b\n1,\"open\n2,3\n") == CSVError(line: 2, field: 2, reason: "unterminated quoted field"))
    }

    @Test("a quote inside an unquoted field, or text after a closing quote, is an error")
    func strayQuotes() {
        #expect(failure("a,b\n1,x\"y\n") == CSVError(line: 2, field: 2, reason: "quote inside an unquoted field"))
        #expect(failure("a\n\"x\"y\n") == CSVError(line: 2, field: 1, reason: "text after a closing quote"))
    }

    @Test("a NUL byte is an error")
    func nul() {
        #expect(failure("a,b\n1,x\u{0}y\n") == CSVError(line: 2, field: 2, reason: "NUL byte in input"))
    }

    @Test("invalid UTF-8 is an error when the field is read, naming line and field")
    func invalidUTF8() throws {
        let reader = CSVReader(bytes: Array("a,b\n1,".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        #expect(try reader.next())
        #expect(try reader.next())
        #expect(throws: CSVError(line: 2, field: 2, reason: "field is not valid UTF-8")) { _ = try reader.field(1) }
    }

    @Test("UTF-8 validation accepts what Swift accepts and rejects the rest", arguments: [
        [0x41], [0xC3, 0xA9], [0xE2, 0x9C, 0x93], [0xF0, 0x9F, 0x98, 0x80], [0xC3], [0xC0, 0x80], [0xE0, 0x80, 0x80],
        [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x28, 0xA1], [0xEF, 0xBB, 0xBF],
    ] as [[UInt8]])
    func utf8(bytes: [UInt8]) {
        let expected = String(validating: bytes, as: UTF8.self) != nil
        #expect(bytes.withUnsafeBufferPointer(UTF8Check.isValid) == expected)
    }

    @Test("an over-long field and an over-wide record are errors, not unbounded memory")
    func limits() {
        let long = String(repeating: "x", count: CSVReader.maxFieldBytes + 1)
        #expect(failure("a\n\(long)\n")?.reason == "field is longer than 1,048,576 bytes")
        let wide = String(repeating: ",", count: CSVReader.maxFields + 5)
        #expect(failure("a\n\(wide)\n")?.reason == "more than 4,096 fields in one record")
    }

    @Test("reading from a file descriptor in small chunks gives the same records")
    func chunked() throws {
        let dir = try TemporaryDirectory()
        let text = "\u{FEFF}a,b\r\n\"x,\r\ny\",\"q\"\"q\"\r\n3,4\n"
        let path = try dir.write("c.csv", text)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let reader = CSVReader(fileDescriptor: fd, chunkSize: 3)
        var out: [[String]] = []
        while try reader.next() { out.append(try reader.record()) }
        #expect(out == (try records(text)))
        #expect(out == [["a", "b"], ["x,\r\ny", "q\"q"], ["3", "4"]])
    }

    /// A reader of `bytes` that hands them over one byte a read.
    func oneByteReader(_ bytes: [UInt8]) -> CSVReader {
        var offset = 0
        return CSVReader(chunkSize: 1) { buffer in
            guard offset < bytes.count else { return 0 }
            buffer[0] = bytes[offset]
            offset += 1
            return 1
        }
    }

    @Test("one byte a read: a byte-order mark is skipped, and bytes that only began one are kept, none lost")
    func byteOrderMarkOneByteAtATime() throws {
        let marked = oneByteReader([0xEF, 0xBB, 0xBF] + Array("code,title\nc,C\n".utf8))
        #expect(try marked.next() && marked.record() == ["code", "title"])
        #expect(try marked.next() && marked.record() == ["c", "C"])
        // 0xEF then a comma: not a mark. The first field is the byte 0xEF (not UTF-8), the comma still separates.
        let begun = oneByteReader([0xEF] + Array(",b\n".utf8))
        #expect(try begun.next())
        #expect(begun.fieldCount == 2 && !begun.fieldIsEmpty(0))
        #expect(try begun.field(1) == "b")
        #expect(throws: CSVError.self) { try begun.field(0) }
        // 0xEF 0xBB at the very end of the input: two bytes of one field.
        let cut = oneByteReader([0xEF, 0xBB])
        #expect(try cut.next() && cut.fieldCount == 1 && !cut.fieldIsEmpty(0))
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    func written(_ body: (CSVWriter) -> Void) throws -> String {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.csv")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let sink = OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true)
        let writer = CSVWriter(sink: sink)
        body(writer)
        try writer.flush()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test("quotes only fields that need it and doubles quotes")
    func quoting() throws {
        let text = try written { $0.row(["plain", "a,b", "say \"hi\"", "two\nlines", ""]) }
        #expect(text == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n")
    }

    @Test("neutralises formula triggers in text cells, leaves numbers alone")
    func neutralises() throws {
        let text = try written { w in
            for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "'plain", "plain"] { w.text(cell) }
            w.raw("-5")
            w.endRow()
        }
        #expect(text == "'=1+1,'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",''=x,'plain,plain,-5\n")
    }

    @Test("unneutralising exactly undoes neutralising, for every tricky value",
          arguments: ["=1+1", "'=1+1", "''=x", "'", "'plain", "plain", "-", "''", "", "@", "'\t"])
    func roundTrip(value: String) throws {
        let neutral = CSVCell.needsNeutralizing(value) ? "'" + value : value
        #expect(CSVCell.unneutralize(neutral) == value)
    }
}

@Suite("Files rewritten in place")
struct RewriteTests {
    /// Rewrites `path` from its start without truncating it first, as a site's pages are, and returns what it holds.
    func rewrite(_ path: String, with text: String) throws -> String {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        let sink = OutputSink(fileDescriptor: fd, name: path, closeWhenDone: true, capacity: 0)
        Array(text.utf8).withUnsafeBufferPointer { sink.write(bytes: $0) }
        try sink.finishReplacing()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test("a file rewritten shorter, as long or longer holds exactly the new text, with nothing of the old left")
    func exactLength() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("page.html")
        #expect(try rewrite(path, with: "first version, long") == "first version, long")
        #expect(try rewrite(path, with: "short") == "short")
        #expect(try rewrite(path, with: "SHORT") == "SHORT")
        #expect(try rewrite(path, with: "longer than before") == "longer than before")
        #expect(try rewrite(path, with: "") == "")
    }
}

@Suite("Ordered chunks: one way to work in parallel")
struct OrderedChunksTests {
    /// Squares 0..<count in chunks of `size` on `threads` workers; returns what was consumed, in order.
    func squares(count: Int, size: Int, threads: Int, failAt: Int? = nil, error: CredfolioError? = nil) throws -> [Int] {
        var out: [Int] = []
        try OrderedChunks.run(
            threads: threads, window: 3,
            worker: {
                { (chunk: [Int]) throws -> [Int] in
                    if let failAt, let error, chunk.contains(failAt) { throw error }
                    return chunk.map { $0 * $0 }
                }
            },
            produce: { submit in
                for start in stride(from: 0, to: count, by: size) { try submit(Array(start..<min(count, start + size))) }
            },
            consume: { out += $0 })
        return out
    }

    @Test("outputs come back in the order the inputs were produced, with or without workers")
    func order() throws {
        let expected = (0..<5_000).map { $0 * $0 }
        for threads in [0, 1, 3] { #expect(try squares(count: 5_000, size: 7, threads: threads) == expected) }
    }

    @Test("a worker's error comes back as it was thrown: a busy database stays busy (exit 75), not a generic failure")
    func workerErrorKeepsItsKind() throws {
        let busy = CredfolioError(.busy, "database is busy")
        for threads in [0, 1, 3] {
            #expect(throws: busy) { try squares(count: 5_000, size: 7, threads: threads, failAt: 3_001, error: busy) }
        }
    }
}

@Suite("Files written whole")
struct WriteOutputTests {
    @Test("without replacing, a file made at the path while the output was written is kept, and the write fails")
    func exclusiveName() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("key.jwk")
        #expect(throws: CredfolioError.conflict("\(path) already exists; choose a new file")) {
            try writeOutput(to: path, replacing: false) { sink in
                // Another process takes the name between credfolio's check and its write.
                try "theirs\n".write(toFile: path, atomically: false, encoding: .utf8)
                sink.write("ours\n")
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "theirs\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["key.jwk"])
        try writeOutput(to: dir.file("new.jwk"), replacing: false) { $0.write("ours\n") }
        #expect(try String(contentsOfFile: dir.file("new.jwk"), encoding: .utf8) == "ours\n")
    }
}

@Suite("JSON")
struct JSONTests {
    @Test("parses values and keeps object keys in order")
    func parses() throws {
        let value = try JSONParser.parse(#"{"b": [1, 2.5, -3e2, true, null], "a": "x\u00e9\n", "c": {}}"#)
        #expect(value == .object([
            ("b", .array([.integer(1), .number(2.5), .number(-300), .bool(true), .null])),
            ("a", .string("xé\n")), ("c", .object([])),
        ]))
        #expect(value.serialized(pretty: false) == #"{"b":[1,2.5,-300,true,null],"a":"xé\n","c":{}}"#)
    }

    @Test("reports syntax errors with line and column", arguments: [
        ("{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, "expected ':' after the key"),
        ("[1, 2", 1, 6, "unexpected end of input in an array"),
        ("{\"a\": tru}", 1, 7, "invalid literal, expected true"),
        ("{\"a\": 1} x", 1, 10, "unexpected text after the JSON value"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\""),
        ("\n\n   @", 3, 4, "unexpected character '@'"),
        ("\"a\\q\"", 1, 5, "invalid escape: \\ followed by 'q'"),
        // A control byte after the backslash is named, not copied into the message.
        ("\"a\\\n\"", 1, 5, "invalid escape: \\ followed by byte 0xa"),
    ])
    func syntaxErrors(text: String, line: Int, column: Int, reason: String) {
        #expect(throws: JSONSyntaxError(line: line, column: column, reason: reason)) { try JSONParser.parse(text) }
        // Read past without building it, streamed a byte at a time, the same error, but for a duplicate key: that is
        // left to the read that builds the value.
        guard !reason.hasPrefix("duplicate key") else { return }
        var bytes = Array(text.utf8)[...]
        var parser = JSONParser(streaming: { bytes.isEmpty ? [] : [bytes.removeFirst()] })
        #expect(throws: JSONSyntaxError(line: line, column: column, reason: reason)) {
            try parser.skipValue()
            try parser.finish()
        }
    }

    @Test("a value read past without building it leaves the parser where a whole read would")
    func skipped() throws {
        let text = #"[{"a": [1, -2.5e3, "x\u00e9\n", {"b": null}], "c": true}, "after"]"#
        var given = false
        var streamed = JSONParser(streaming: {
            defer { given = true }
            return given ? [] : Array(text.utf8)
        })
        try streamed.enterArray()
        #expect(try streamed.nextElement())
        try streamed.skipValue()
        #expect(try streamed.nextElement())
        #expect(try streamed.readValue() == .string("after"))
        #expect(try !streamed.nextElement())
        try streamed.finish()
    }

    @Test("a string of bytes that are not UTF-8 is refused, with or without an escape before them; ASCII and UTF-8 are read")
    func utf8() throws {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22], [0x22, 0x61, 0xED, 0xA0, 0x80, 0x22]] {
            #expect(throws: JSONSyntaxError.self, "\(bytes)") { try JSONParser.parse(bytes) }
        }
        #expect(try JSONParser.parse(Array("\"plain\"".utf8)) == .string("plain"))
        #expect(try JSONParser.parse(Array("\"caf\u{E9} \u{2713}\"".utf8)) == .string("caf\u{E9} \u{2713}"))
    }

    @Test("serialises strings with escapes that parse back")
    func escapes() throws {
        let text = "quote \" backslash \\ tab \t nul \u{0} é ✓"
        let json = JSONValue.string(text).serialized()
        #expect(try JSONParser.parse(json) == .string(text))
    }

    @Test("appends plain strings as they are and escapes quotes, backslashes and control bytes", arguments: [
        ("plain é ✓", #""plain é ✓""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("\n\r\t\u{1}\u{1F}\u{7F}", #""\n\r\t\u0001\u001f\u007f""#),
        ("", #""""#),
    ])
    func appendString(text: String, expected: String) {
        var bytes: [UInt8] = []
        JSONValue.appendString(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }
}

import Foundation
