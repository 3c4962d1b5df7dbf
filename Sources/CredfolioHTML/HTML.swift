import CredfolioStore
import CredfolioEngine
import CredfolioApp
import CredfolioCore
import CredfolioSystem

/// A small HTML writer built around one escaping function.
///
/// Markup comes only from `StaticString` literals, so text from a user or
/// an imported badge can reach the page only through ``text(_:)`` and
/// attribute values, which ``escape(_:into:)`` escapes: a name such as
/// `<script>alert(1)</script>` is shown as text and never parsed as a tag.
/// Links are made only to `http:` and `https:` URLs (``link(_:_:)``).
struct HTML {
    /// What has been written.
    private(set) var buffer = ByteBuffer()

    /// How many bytes have been written (where the next one goes).
    var count: Int { buffer.count }

    /// The bytes written, in an array allocated for exactly them, to be
    /// kept while this writer goes on.
    var exactBytes: [UInt8] { buffer.exactBytes }

    /// The bytes written (a copy: for tests and whole documents).
    var bytes: [UInt8] { buffer.exactBytes }

    /// The bytes written, in place (to write them to a file).
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try buffer.withUnsafeBufferPointer(body)
    }

    /// The one escaping function: `&`, `<`, `>`, `"` and `'` become
    /// character references, for text and attribute values alike; control
    /// characters other than tab and newline, which HTML forbids, become
    /// U+FFFD.
    static func escape(_ text: String, into buffer: inout ByteBuffer) {
        // Every native string, small ones included, has its UTF-8 at hand; a copy only for any other.
        if text.utf8.withContiguousStorageIfAvailable({ escape(utf8: $0, into: &buffer) }) == nil {
            var copy = text
            copy.withUTF8 { escape(utf8: $0, into: &buffer) }
        }
    }

    private static func escape(utf8: UnsafeBufferPointer<UInt8>, into buffer: inout ByteBuffer) {
        // Most text needs nothing: then it is copied whole.
        if !utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            return buffer.append(UnsafeRawBufferPointer(utf8))
        }
        // At most six bytes for one ("&quot;"), written in place.
        let (limit, overflow) = utf8.count.multipliedReportingOverflow(by: 6)
        precondition(!overflow, "HTML.escape: text too long")
        buffer.append(upTo: limit) { out in
            var at = 0
            func put(_ reference: StaticString) {
                reference.withUTF8Buffer { out.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                at += reference.utf8CodeUnitCount
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "&"): put("&amp;")
                case UInt8(ascii: "<"): put("&lt;")
                case UInt8(ascii: ">"): put("&gt;")
                case UInt8(ascii: "\""): put("&quot;")
                case UInt8(ascii: "'"): put("&#39;")
                case 0x09, 0x0A: out[at] = byte; at += 1
                case 0x00..<0x20, 0x7F: put("\u{FFFD}")
                default: out[at] = byte; at += 1
                }
            }
            return at
        }
    }

    /// `text` escaped, as a string (for tests and titles).
    static func escaped(_ text: String) -> String {
        var buffer = ByteBuffer()
        escape(text, into: &buffer)
        return String(decoding: buffer.exactBytes, as: UTF8.self)
    }

    /// Empties the writer, keeping its capacity, for the next fragment.
    mutating func removeAll() {
        buffer.removeAll()
    }

    /// Bytes this writer made before (a fragment kept to be written again).
    mutating func rendered(_ fragment: ArraySlice<UInt8>) {
        buffer.append(fragment)
    }

    /// Bytes `range` of what another writer wrote (fragments kept one after another).
    mutating func rendered(_ other: HTML, _ range: Range<Int>) {
        buffer.append(other.buffer, range)
    }

    /// Bytes this writer made before, kept elsewhere (a section cache's).
    mutating func rendered(_ fragment: UnsafeRawBufferPointer) {
        buffer.append(fragment)
    }

    /// What another writer wrote (a fragment rendered apart).
    mutating func rendered(_ other: HTML) {
        buffer.append(other.buffer)
    }

    /// Markup written by this program.
    @inline(__always)
    mutating func raw(_ markup: StaticString) {
        buffer.append(markup)
    }

    /// Text from anywhere, escaped.
    mutating func text(_ value: String) {
        Self.escape(value, into: &buffer)
    }

    /// An integer in decimal, its digits written straight into the page
    /// (a site writes millions of them; no string is built for one).
    mutating func number(_ value: some BinaryInteger) {
        guard let value = Int64(exactly: value) else { return text(String(value)) }
        // Twenty digits and a sign at most.
        buffer.append(upTo: 21) { out in
            var at = 0
            if value < 0 { out[at] = 0x2D; at += 1 }
            var magnitude = value.magnitude, divisor: UInt64 = 1
            while magnitude / divisor >= 10 { divisor *= 10 }
            while divisor > 0 {
                out[at] = 0x30 &+ UInt8(truncatingIfNeeded: magnitude / divisor)
                at += 1
                magnitude %= divisor
                divisor /= 10
            }
            return at
        }
    }

    /// A day as `YYYY-MM-DD`: digits and hyphens, which need no escaping.
    mutating func day(_ value: Day) {
        value.withISOBytes { buffer.append($0) }
    }

    /// `<tag>text</tag>`, with `attributes` (names are literals, values escaped).
    mutating func element(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], text value: String) {
        open(tag, attributes)
        text(value)
        close(tag)
    }

    mutating func open(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:]) {
        buffer.append(UInt8(ascii: "<"))
        buffer.append(tag)
        for (name, value) in attributes {
            buffer.append(0x20)
            buffer.append(name)
            buffer.append("=\"")
            Self.escape(value, into: &buffer)
            buffer.append(UInt8(ascii: "\""))
        }
        buffer.append(UInt8(ascii: ">"))
    }

    mutating func close(_ tag: StaticString) {
        buffer.append("</")
        buffer.append(tag)
        buffer.append(UInt8(ascii: ">"))
    }

    /// A link to a page of this site (a path this program built), or to
    /// a user's URL only when it is `http:` or `https:`; any other URL
    /// (`javascript:`, `data:`, no scheme) is shown as text.
    mutating func link(_ url: String, _ label: String) {
        guard Self.isWebURL(url) else {
            text(label == url ? url : label + " (" + url + ")")
            return
        }
        external(url, label)
    }

    /// As `open("a", ["href": url, "rel": "noopener noreferrer"])`, `text(label)` and `close("a")`
    /// write it, without walking attribute pairs: a page has hundreds of links.
    private mutating func external(_ url: String, _ label: String) {
        raw("<a href=\"")
        text(url)
        raw("\" rel=\"noopener noreferrer\">")
        text(label)
        raw("</a>")
    }

    /// A link to another page of the site, by a relative path this program
    /// built; written as `open("a", ["href": path.href])`, `text(label)` and
    /// `close("a")` would write it.
    mutating func internalLink(_ path: SitePath, _ label: String) {
        raw("<a href=\"")
        text(path.href)
        raw("\">")
        text(label)
        raw("</a>")
    }

    /// True when `url` starts with `http://` or `https://` (any case), with
    /// nothing before the scheme: browsers strip leading blanks and control
    /// characters, so `" javascript:"` must not pass for a web URL either.
    static func isWebURL(_ url: String) -> Bool {
        // Compared byte by byte, ASCII letters folded to lower case and
        // nothing else (a page has hundreds of URLs: no lowercased copies).
        url.utf8.withContiguousStorageIfAvailable { hasWebScheme($0) } ?? hasWebScheme(Array(url.utf8))
    }

    private static func hasWebScheme(_ bytes: some Collection<UInt8>) -> Bool {
        func starts(with scheme: StaticString) -> Bool {
            scheme.withUTF8Buffer { scheme in
                bytes.count >= scheme.count && zip(bytes, scheme).allSatisfy { byte, expected in
                    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == expected : byte == expected
                }
            }
        }
        return starts(with: "http://") || starts(with: "https://")
    }
}

/// A relative path inside a generated site, made only from safe bytes:
/// a learner's handle or a stack's code becomes a file name in which every
/// byte outside `[A-Za-z0-9.-]` (and a leading dot) is written as `_XX`, so
/// that two names never share a file and none climbs out of its folder.
struct SitePath: Equatable {
    let href: String

    init(_ href: String) { self.href = href }

    static func fileName(_ name: String) -> String {
        func kept(_ byte: UInt8, at i: Int) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"):
                return true
            case UInt8(ascii: "."):
                return i > 0
            default:
                return false
            }
        }
        // Most handles and codes are kept as they are: no new string (and the check reads the bytes in place).
        let plain = name.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.indices.allSatisfy { kept(bytes[$0], at: $0) }
        } ?? name.utf8.enumerated().allSatisfy { kept($1, at: $0) }
        if plain { return name }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count * 3)
        for (i, byte) in name.utf8.enumerated() {
            if kept(byte, at: i) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "_"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func learner(_ handle: String, from depth: Int = 0) -> SitePath {
        SitePath(String(repeating: "../", count: depth) + "learners/" + fileName(handle) + ".html")
    }

    static func stack(_ code: String, from depth: Int = 0) -> SitePath {
        SitePath(String(repeating: "../", count: depth) + "stacks/" + fileName(code) + ".html")
    }
}

/// Text written to a page through `TextOutputStream` is escaped, as ``HTML/text(_:)`` escapes it:
/// the engine's writers (``CompiledStack/writeAmountDetail(_:held:catalog:to:)``) write straight into a page.
extension HTML: TextOutputStream {
    mutating func write(_ string: String) {
        text(string)
    }
}
