import CredfolioCore
import CredfolioCTDL
import CredfolioEngine
import CredfolioSystem
public import CredfolioStore

/// `import ctdl`: the files of one command read as one CTDL graph, and
/// stored in one transaction. Catalog entries are matched by CTID, never
/// by code: a newer version of a record updates its entry and says what
/// changed; the same files imported twice change nothing.
public struct CTDLImport {
    /// What happened to one thing the files hold, or one reference they
    /// leave unresolved.
    public struct Row: Equatable, Sendable {
        public enum Action: String, Sendable { case new, updated, unchanged, refused, unresolved }
        /// What a row is about, in the report's words.
        public enum What: String, CaseIterable, Sendable {
            case credential
            case learningOpportunity = "learning opportunity"
            case stack, skill, reference

            /// `credentials`, `learning opportunities`, …
            public var plural: String { self == .learningOpportunity ? "learning opportunities" : rawValue + "s" }
        }
        public var what: What
        public var action: Action
        public var code: String?
        public var title: String
        public var ctid: String?
        /// What changed, why it was refused, how the cost was found; for
        /// an unresolved reference, which record names it.
        public var detail: String
    }

    /// The rows, in the files' order: entries, then skills, then stacks,
    /// then the unresolved references.
    public private(set) var rows: [Row] = []

    /// The report's counts: for each kind of thing, how many of each action.
    public var counts: [(what: Row.What, new: Int, updated: Int, unchanged: Int, refused: Int)] {
        [Row.What.credential, .learningOpportunity, .stack, .skill].map { what in
            func count(_ action: Row.Action) -> Int { rows.count { $0.what == what && $0.action == action } }
            return (what, count(.new), count(.updated), count(.unchanged), count(.refused))
        }
    }

    public var unresolved: Int { rows.count { $0.action == .unresolved } }

    /// Reads `files` (paths; `-` is standard input) as one graph and
    /// stores what they hold in `store`, in one transaction; with `dryRun`,
    /// the transaction is rolled back and the report says what would have
    /// been done.
    ///
    /// Each file is read twice, a piece at a time: first to index what
    /// references need (names, CTIDs, pathways), then record by record, each
    /// stored and let go before the next is read. So memory holds the index
    /// and one record, not the whole graph.
    public init(files: [String], into store: Store, language: String = "en", dryRun: Bool) throws {
        let sources = try files.map(Source.init)
        var graph = CTDLGraph()
        for source in sources {
            let file = graph.addFile(name: source.name)
            try source.forEachResource(indexing: true) { graph.index($0, file: file) }
        }
        struct DryRun: Error { let rows: [Row] }
        do {
            rows = try store.transaction {
                var work = Work(store: store, graph: graph, language: language)
                try work.run(sources)
                if dryRun { throw DryRun(rows: work.rows) }
                return work.rows
            }
        } catch let dry as DryRun {
            rows = dry.rows
        }
    }

    /// One file of the command, read as a stream of resources, as often as needed.
    struct Source {
        let name: String
        /// Standard input, read once and kept: it cannot be read a second time.
        private let bytes: [UInt8]?

        init(_ path: String) throws {
            name = path
            bytes = path == "-" ? try InputFile(path: path).readAll(limit: 1 << 30) : nil
            if bytes == nil { _ = try InputFile(path: path) }  // a missing file is named before any work
        }

        func forEachResource(indexing: Bool = false, _ body: (JSONValue) throws -> Void) throws {
            var parser: JSONParser
            var failure: (any Error)?
            if let bytes {
                parser = JSONParser(document: bytes)
            } else {
                let file = try InputFile(path: name)
                parser = JSONParser(streaming: {
                    do { return try file.readPiece() } catch { failure = error; return [] }
                })
            }
            do {
                _ = try CTDLGraph.forEachResource(in: &parser, name: name, indexing: indexing, body)
            } catch {
                // A file that could not be read is that, not the malformed JSON its missing end looks like.
                throw failure ?? error
            }
            if let failure { throw failure }
        }
    }

    private struct Work {
        let store: Store
        let graph: CTDLGraph
        let language: String
        var rows: [Row] = []
        var unresolved: [Row] = []
        var codes: Set<String> = []
        var skillCodes: [String: Int64] = [:]
        var skillRows: [Row] = []
        /// The skills already in the report.
        var reported: Set<String> = []

        init(store: Store, graph: CTDLGraph, language: String) {
            self.store = store
            self.graph = graph
            self.language = language
        }

        mutating func run(_ sources: [Source]) throws {
            codes = try store.credentials.codes()
            skillCodes = try store.skills.idsByCode()
            var skills = SkillMatcher(try store.skills.list())
            var seen = Set<String>()
            for (file, source) in sources.enumerated() {
                try source.forEachResource { value in
                    let node = graph.node(value, file: file)
                    guard let entry = CTDLEntry(node, in: graph, language: language), let ctid = entry.ctid, seen.insert(ctid).inserted
                    else { return }
                    try store(entry, ctid: ctid, skills: &skills)
                }
            }
            rows += skillRows
            try pathways()
            rows += unresolved
        }

        static func what(_ kind: CredentialKind) -> Row.What {
            switch kind {
            case .learningOpportunity, .learningProgram, .course, .assessment: return .learningOpportunity
            default: return .credential
            }
        }

        mutating func store(_ entry: CTDLEntry, ctid: String, skills: inout SkillMatcher) throws {
            let what = Self.what(entry.kind)
            func refuse(_ error: CredfolioError) {
                rows.append(Row(what: what, action: .refused, code: nil, title: entry.title, ctid: ctid, detail: error.message))
            }
            // The entry as it will be stored; a value out of range refuses it, and the rest import.
            let existing = try store.credentials.find(ctid: ctid)
            var credential = existing ?? Credential(code: Slug.unique(Slug.from(entry.title, maxLength: 58, otherwise: "entry"), taken: codes.contains), title: entry.title)
            do {
                credential.skills = try entry.skills.map { skill in try self.skill(skill, matcher: &skills) }
                credential.title = entry.title
                credential.description = entry.description
                credential.kind = entry.kind
                switch entry.issuer {
                case .named(let name)?: credential.issuer = name
                case .unresolved(let reference)?: credential.issuer = reference
                case nil: credential.issuer = nil
                }
                credential.costCents = entry.costCents
                credential.currency = entry.currency ?? existing?.currency ?? "USD"
                credential.weeks = entry.weeks
                credential.hours = entry.hours
                (credential.credits, credential.creditUnit) = (entry.credits, entry.creditUnit)
                credential.deliveries = entry.deliveries
                credential.level = entry.level
                credential.validity = entry.validityMonths.map { .months($0) } ?? .unknown
                credential.url = entry.url
                credential.occupations = entry.occupations
                credential.ctid = ctid
                credential = try credential.validated()
            } catch let error as CredfolioError {
                return refuse(error)
            }
            for reference in entry.unresolved {
                unresolved.append(Row(what: .reference, action: .unresolved, code: credential.code, title: entry.title,
                                      ctid: reference.reference,
                                      detail: "\(reference.role == "issuer" ? "the issuer" : "a prerequisite") of \(entry.title)"))
            }
            let id: Int64
            var changes: [String] = []
            if let existing {
                changes = Self.changes(from: existing, to: credential)
                id = existing.id!
                do {
                    // In a savepoint of its own: an update the stored awards refuse leaves the rest importing.
                    if !changes.isEmpty { try store.credentials.update(credential) }
                } catch let error as CredfolioError {
                    return refuse(error)
                }
            } else {
                // The code is free by construction and the skills known: no lookups, and no savepoint a row.
                // A failure here is the database's, and ends the whole import.
                id = try store.credentials.insertRow(credential, skillIDs: credential.skills.compactMap { skillCodes[$0] }).id!
                codes.insert(credential.code)
            }
            let storedRoutes = existing == nil ? [] : (try store.credentials.routesByCredential(only: id)[id] ?? []).map(CredentialRoute.unresolved)
            if storedRoutes != entry.routes {
                try store.credentials.setRoutes(entry.routes, of: id)
                if existing != nil { changes.append("prerequisites") }
            }
            let action: Row.Action = existing == nil ? .new : changes.isEmpty ? .unchanged : .updated
            let detail = existing == nil ? Self.costWords(entry) : changes.isEmpty ? "" : "changed: " + changes.joined(separator: ", ")
            rows.append(Row(what: what, action: action, code: credential.code, title: entry.title, ctid: ctid, detail: detail))
        }

        /// The cost and how it was found: `cost 8407.00 USD: the sum of the required costs`.
        static func costWords(_ entry: CTDLEntry) -> String {
            guard let cents = entry.costCents, let currency = entry.currency else {
                return "cost unknown" + (entry.costNote.map { ": \($0)" } ?? ": no cost given")
            }
            return "cost \(Money.format(cents: cents)) \(currency)" + (entry.costNote.map { ": \($0)" } ?? "")
        }

        /// The fields that differ, by their CSV names.
        static func changes(from a: Credential, to b: Credential) -> [String] {
            var out: [String] = []
            func note<T: Equatable>(_ name: String, _ key: KeyPath<Credential, T>) { if a[keyPath: key] != b[keyPath: key] { out.append(name) } }
            note("title", \.title); note("description", \.description); note("issuer", \.issuer); note("kind", \.kind)
            note("hours", \.hours); note("credits", \.credits); note("credit_unit", \.creditUnit); note("cost", \.costCents)
            note("currency", \.currency); note("weeks", \.weeks); note("format", \.deliveries); note("level", \.level)
            note("validity_months", \.validity); note("url", \.url); note("skills", \.skills); note("occupations", \.occupations)
            return out
        }

        /// The code of the skill a competency is: the stored one with the same
        /// framework and code (or name, without a code), else a new one.
        mutating func skill(_ skill: CTDLEntry.Skill, matcher: inout SkillMatcher) throws -> String {
            if let code = matcher.code(of: skill) {
                if reported.insert(code).inserted {
                    skillRows.append(Row(what: .skill, action: .unchanged, code: code, title: skill.name, ctid: nil, detail: skill.framework ?? ""))
                }
                return code
            }
            let preferred = skill.code.flatMap { Slug.isValid($0) ? $0 : nil } ?? Slug.from(skill.name, maxLength: 58, otherwise: "entry")
            let code = Slug.unique(preferred) { skillCodes[$0] != nil }
            let stored = try store.skills.add(Skill(code: code, name: skill.name, framework: skill.framework, frameworkID: skill.code))
            skillCodes[code] = stored.id!
            matcher.add(stored)
            reported.insert(code)
            skillRows.append(Row(what: .skill, action: .new, code: code, title: skill.name, ctid: nil, detail: skill.framework ?? ""))
            return code
        }

        mutating func pathways() throws {
            let byCTID = try store.credentials.codesByCTID()
            var stackCodes = Set(try store.stacks.codes())
            var checker = try StackChecker(store.stacks)
            for node in graph.nodes where node.types.contains("ceterms:Pathway") {
                let title = CTDLValue.text(node["ceterms:name"], language: language) ?? node.ctid ?? "pathway"
                guard let ctid = node.ctid else {
                    rows.append(Row(what: .stack, action: .refused, code: nil, title: title, ctid: nil, detail: "the pathway has no CTID"))
                    continue
                }
                do {
                    let pathway = try CTDLPathway(node, in: graph, language: language, code: { byCTID[$0] })
                    let existingCode = try store.stacks.code(ctid: ctid)
                    let code = existingCode ?? Slug.unique(Slug.from(pathway.title, maxLength: 58, otherwise: "entry"), taken: stackCodes.contains)
                    let definition = StackDefinition(code: code, title: pathway.title, description: pathway.description,
                                                     requires: pathway.requires)
                    let existing = try existingCode.flatMap { try store.stacks.find($0) }
                    if existing == definition {
                        rows.append(Row(what: .stack, action: .unchanged, code: code, title: pathway.title, ctid: ctid, detail: ""))
                        continue
                    }
                    try checker.check([definition])
                    _ = try store.stacks.save([definition])
                    try store.stacks.setCTID(ctid, of: code)
                    stackCodes.insert(code)
                    rows.append(Row(what: .stack, action: existing == nil ? .new : .updated, code: code, title: pathway.title,
                                    ctid: ctid, detail: existing == nil ? pathway.requires.label : "changed: requirements"))
                } catch let refusal as CTDLPathway.Refusal {
                    rows.append(Row(what: .stack, action: .refused, code: nil, title: title, ctid: ctid, detail: refusal.message))
                } catch let error as CredfolioError {
                    rows.append(Row(what: .stack, action: .refused, code: nil, title: title, ctid: ctid, detail: error.message))
                }
            }
        }
    }

    /// Finds the stored skill a competency is: by framework and code when
    /// it has a code, else by framework and name (without regard to case).
    struct SkillMatcher {
        private var byCode: [String: String] = [:]
        private var byName: [String: String] = [:]

        init(_ skills: [Skill]) { for skill in skills { add(skill) } }

        mutating func add(_ skill: Skill) {
            let framework = skill.framework ?? ""
            if let id = skill.frameworkID { byCode[framework + "\u{1F}" + id] = skill.code }
            byName[framework + "\u{1F}" + skill.name.lowercased()] = skill.code
        }

        func code(of skill: CTDLEntry.Skill) -> String? {
            let framework = skill.framework ?? ""
            if let code = skill.code { return byCode[framework + "\u{1F}" + code] }
            return byName[framework + "\u{1F}" + skill.name.lowercased()]
        }
    }
}
