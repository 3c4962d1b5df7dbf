public import CredfolioCore

/// One resource of a CTDL graph as the files give it: a credential, a
/// learning opportunity, an organization, a pathway and its components, or
/// anything else with an `@type`. Its properties are read in place, from
/// `value`, by the catalog's mapping.
public struct CTDLNode: Sendable {
    /// `@id` as written (an IRI, or a blank node `_:…`).
    public let id: String?
    /// `ceterms:ctid`, in lower case: CTIDs are UUIDs, and the older
    /// records write them in upper case.
    public let ctid: String?
    /// `@type`, one or several (`ceterms:Certification`).
    public let types: [String]
    /// The whole object.
    public let value: JSONValue
    /// Which file of the command it came from: a blank node resolves only there.
    public let file: Int

    /// The value of a property (`ceterms:name`), nil when it is absent.
    public subscript(_ property: String) -> JSONValue? { value[property] }
}

/// Every resource of the files of one command, read as one graph: a
/// reference in one file may be resolved by a node in another.
///
/// A file may hold any form the registry serves: a graph document
/// (`@context`, `@id`, `@graph`), a single resource object, a registry
/// envelope (`decoded_resource`), or a JSON array of any of these, with or
/// without a UTF-8 byte-order mark.
public struct CTDLGraph: Sendable {
    public private(set) var nodes: [CTDLNode] = []
    /// The file names, in the order they were added.
    public private(set) var files: [String] = []
    private var byCTID: [String: Int] = [:]
    private var byID: [String: Int] = [:]
    private var blank: [BlankKey: Int] = [:]

    private struct BlankKey: Hashable, Sendable {
        let file: Int
        let id: String
    }

    public init() {}

    /// Reads one file's resources into the graph. Throws, naming the file,
    /// for malformed JSON (with line and column) and for JSON that holds no
    /// CTDL resource; the graph is then as it was.
    public mutating func add(file bytes: [UInt8], name: String) throws(CredfolioError) {
        // The same walk as a streamed read; the resources are kept until the
        // whole file has been read, so that a refused file adds nothing.
        var parser = JSONParser(document: bytes)
        var resources: [JSONValue] = []
        do {
            _ = try Self.forEachResource(in: &parser, name: name) { resources.append($0) }
        } catch {
            throw error as? CredfolioError ?? CredfolioError.invalid("\(name): \(error)")
        }
        let file = files.count
        files.append(name)
        for resource in resources { insert(resource, file: file) }
    }

    /// Registers a file read as a stream (``forEachResource(in:file:_:)``); returns its number.
    public mutating func addFile(name: String) -> Int {
        files.append(name)
        return files.count - 1
    }

    /// Keeps what other records need of `value`, a resource of file
    /// `file`, to resolve references to it: all of a pathway or a component
    /// (pathways are mapped from the graph), and of anything else its `@id`,
    /// `@type`, CTID and (but for a catalog entry with an IRI) its name. So a graph of many records takes little memory
    /// beside them, read one at a time.
    public mutating func index(_ value: JSONValue, file: Int) {
        let types = Self.types(of: value)
        if Self.keptWhole(types) {
            insert(value, file: file)
        } else {
            // A catalog entry with an IRI is named by its own record when it is read; anything else (an
            // organization, a blank node) by the name kept here.
            let named = CTDLEntry.kind(of: types) == nil || value["@id"].flatMap(Self.string)?.hasPrefix("_:") != false
            let keys = named ? ["@id", "@type", "ceterms:ctid", "ceterms:name"] : ["@id", "@type", "ceterms:ctid"]
            insert(.object(keys.compactMap { key in value[key].map { (key, $0) } }), file: file)
        }
    }

    /// The node `value`, a resource of file `file`, is, read whole, without keeping it.
    public func node(_ value: JSONValue, file: Int) -> CTDLNode {
        let id = value["@id"].flatMap(Self.string)
        let ctid = value["ceterms:ctid"].flatMap(Self.string).map { $0.lowercased() } ?? id.flatMap(Self.ctid(in:))
        return CTDLNode(id: id, ctid: ctid, types: Self.types(of: value), value: value, file: file)
    }

    /// Pathways and their components are kept whole: pathways are mapped from the graph.
    static func keptWhole(_ types: [String]) -> Bool {
        types.contains { $0 == "ceterms:Pathway" || $0.hasSuffix("Component") }
    }

    /// What ``index(_:file:)`` keeps of anything not kept whole.
    static let indexKeys: Set<String> = ["@id", "@type", "ceterms:ctid", "ceterms:name"]

    static func types(of value: JSONValue) -> [String] {
        switch value["@type"] {
        case .string(let type)?: return [type]
        case .array(let items)?: return items.compactMap(Self.string)
        default: return []
        }
    }

    /// Calls `body` with each resource of a document read in pieces, in the
    /// order they stand, in every form ``add(file:name:)`` reads; lets the
    /// parser go of each once `body` returns. Returns how many there were.
    /// Throws, naming the file (`name`), for malformed JSON, with line and
    /// column, and for JSON that holds no CTDL resource. With `indexing`,
    /// a resource gives only what ``index(_:file:)`` keeps of it, once its
    /// `@type` shows it is not kept whole: the rest is read past, not built.
    public static func forEachResource(in parser: inout JSONParser, name: String, indexing: Bool = false,
                                       _ body: (JSONValue) throws -> Void) throws -> Int {
        do {
            let count = try walk(&parser, depth: 0, indexing: indexing, body)
            try parser.finish()
            guard count > 0 else {
                throw CredfolioError.invalid("\(name): no CTDL resource in it (a graph with @graph, a resource with @type, or a registry envelope)")
            }
            return count
        } catch let error as JSONSyntaxError {
            throw CredfolioError.invalid("\(name):\(error.line):\(error.column): \(error.reason)")
        }
    }

    private static func walk(_ parser: inout JSONParser, depth: Int, indexing: Bool, _ body: (JSONValue) throws -> Void) throws -> Int {
        switch parser.peek() {
        case UInt8(ascii: "[")? where depth < 8:
            try parser.enterArray()
            var count = 0
            while try parser.nextElement() { count += try walk(&parser, depth: depth + 1, indexing: indexing, body) }
            return count
        case UInt8(ascii: "{")? where depth < 8:
            try parser.enterObject()
            var members: [(String, JSONValue)] = [], count = 0, container = false
            // Indexing, what a resource not kept whole does not need is read past once its @type says so.
            var skipping = false
            while let key = try parser.nextKey() {
                if key == "@graph" || key == "decoded_resource" {
                    container = true
                    count += try walk(&parser, depth: depth + 1, indexing: indexing, body)
                } else if skipping && !indexKeys.contains(key) {
                    try parser.skipValue()
                } else {
                    guard !members.contains(where: { $0.0 == key }) else { throw parser.failure("duplicate key \"\(key)\"") }
                    let value = try parser.readValue()
                    members.append((key, value))
                    if indexing && key == "@type" { skipping = !keptWhole(types(of: .object([(key, value)]))) }
                }
            }
            let value = JSONValue.object(members)
            guard !container, value["@type"] != nil else { return count }
            try body(value)
            parser.release()
            return 1
        default:
            _ = try parser.readValue()
            return 0
        }
    }

    private mutating func insert(_ value: JSONValue, file: Int) {
        let node = node(value, file: file)
        let (id, ctid) = (node.id, node.ctid)
        let index = nodes.count
        nodes.append(node)
        if let id, id.hasPrefix("_:") {
            if blank[BlankKey(file: file, id: id)] == nil { blank[BlankKey(file: file, id: id)] = index }
        } else {
            if let id, byID[id] == nil { byID[id] = index }
            if let ctid, byCTID[ctid] == nil { byCTID[ctid] = index }
        }
    }

    /// The node a reference names, read from `file`: a string IRI or an
    /// object with `@id` resolves by its `@id`, else by the CTID its last
    /// path segment carries (`…/resources/ce-…` and `…/graph/ce-…`, on any
    /// host, name the same record, in any case); a blank node only inside
    /// its own file. Nil when no file of the command holds it.
    public func resolve(_ reference: JSONValue, from file: Int) -> CTDLNode? {
        guard let id = Self.string(reference) ?? reference["@id"].flatMap(Self.string) else { return nil }
        if id.hasPrefix("_:") { return blank[BlankKey(file: file, id: id)].map { nodes[$0] } }
        if let index = byID[id] ?? Self.ctid(in: id).flatMap({ byCTID[$0] }) { return nodes[index] }
        return nil
    }

    /// The node of a CTID, in any case.
    public func node(ctid: String) -> CTDLNode? {
        byCTID[ctid.lowercased()].map { nodes[$0] }
    }

    /// The CTID an IRI or a bare CTID carries in its last path segment
    /// (`ce-` and a UUID), in lower case; nil when it carries none.
    public static func ctid(in reference: String) -> String? {
        let last = reference.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? reference
        return try? Field.ctid(last)
    }

    static func string(_ value: JSONValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }
}
