import CredfolioCore

/// The badge baked into an SVG image: a small scanner for the one element
/// it needs, `<openbadges:assertion>` (Open Badges 2.0) or
/// `<openbadges:credential>` (3.0). Nothing is fetched, no DTD and no
/// entity is read: only the five predefined XML entities are decoded.
public enum SVGBadge {
    /// The element found: its `verify` attribute and its text content (a
    /// CDATA section or plain text), either of which may be absent.
    public struct Baked: Sendable, Equatable {
        public var element: String
        public var verify: String?
        public var content: String?
    }

    public static func looksLikeSVG(_ text: String) -> Bool {
        text.contains("<svg")
    }

    public static func baked(_ text: String) -> Baked? {
        for element in ["openbadges:credential", "openbadges:assertion"] {
            guard let open = text.firstRange(of: "<" + element) else { continue }
            let afterName = text[open.upperBound...]
            guard let tagEnd = afterName.firstIndex(of: ">") else { return nil }
            let attributes = afterName[..<tagEnd]
            let selfClosing = attributes.hasSuffix("/")
            var baked = Baked(element: element, verify: attribute("verify", in: attributes), content: nil)
            if !selfClosing, let close = afterName[tagEnd...].firstRange(of: "</" + element) {
                var body = afterName[afterName.index(after: tagEnd)..<close.lowerBound]
                if let cdata = body.firstRange(of: "<![CDATA["), let end = body[cdata.upperBound...].firstRange(of: "]]>") {
                    body = body[cdata.upperBound..<end.lowerBound]
                    baked.content = String(body).trimmingSpaces()
                } else {
                    let plain = unescape(String(body)).trimmingSpaces()
                    baked.content = plain.isEmpty ? nil : plain
                }
            }
            return baked
        }
        return nil
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        var rest = tag
        while let found = rest.firstRange(of: name) {
            let before = found.lowerBound == rest.startIndex ? " " : rest[rest.index(before: found.lowerBound)]
            var after = rest[found.upperBound...].drop { $0 == " " || $0 == "\n" || $0 == "\t" }
            if (before == " " || before == "\n" || before == "\t"), after.first == "=" {
                after = after.dropFirst().drop { $0 == " " || $0 == "\n" || $0 == "\t" }
                guard let quote = after.first, quote == "\"" || quote == "'" else { return nil }
                let value = after.dropFirst()
                guard let end = value.firstIndex(of: quote) else { return nil }
                return unescape(String(value[..<end]))
            }
            rest = rest[found.upperBound...]
        }
        return nil
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingAll("&quot;", with: "\"").replacingAll("&apos;", with: "'").replacingAll("&lt;", with: "<")
            .replacingAll("&gt;", with: ">").replacingAll("&amp;", with: "&")
    }

    /// `svg` with `<openbadges:credential>` holding `content` (JSON in
    /// CDATA, or a JWT in `verify`) just inside its root element.
    public static func baking(_ svg: String, element: String, namespace: String, verify: String? = nil, content: String? = nil) -> String? {
        guard let open = svg.firstRange(of: "<svg"), let end = svg[open.upperBound...].firstIndex(of: ">") else { return nil }
        let prefix = element.split(separator: ":").first.map(String.init) ?? "openbadges"
        var root = String(svg[open.lowerBound...end])
        if !root.contains("xmlns:\(prefix)=") {
            root = String(root.dropLast()) + " xmlns:\(prefix)=\"\(namespace)\">"
        }
        var node = "<\(element)" + (verify.map { " verify=\"\($0)\"" } ?? "")
        node += content.map { "><![CDATA[\($0)]]></\(element)>" } ?? "/>"
        return String(svg[..<open.lowerBound]) + root + node + String(svg[svg.index(after: end)...])
    }
}

extension StringProtocol {
    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let found = rest.firstRange(of: target) {
            out += rest[..<found.lowerBound] + replacement
            rest = rest[found.upperBound...]
        }
        return out + rest
    }
}
