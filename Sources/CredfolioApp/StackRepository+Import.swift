public import CredfolioCore
import CredfolioEngine
public import CredfolioStore

extension StackRepository {
    /// Imports the stacks in a JSON file as one transaction: all of them
    /// are checked (shape, codes, cycles, whether they can ever be
    /// complete) before any is stored; a stack whose code is already
    /// stored is replaced.
    public func importFile(_ bytes: [UInt8], file: String) throws -> ImportSummary {
        try transaction {
            let stacks: [StackDefinition]
            do {
                stacks = try StackParser.parse(bytes)
                var checker = try StackChecker(self)
                try checker.check(stacks)
            } catch let error as JSONSyntaxError {
                throw CredfolioError.invalid("\(file):\(error.line):\(error.column): \(error.reason)")
            } catch let error as CredfolioError {
                throw CredfolioError.invalid("\(file): \(error.message)")
            }
            return try save(stacks)
        }
    }
}

/// Checks stacks before they are stored: they name what exists, nest
/// without a cycle, and could be complete. The stored stacks and skills are
/// read once, so that many stacks (a CTDL import's pathways) are checked one
/// by one; the catalog is read for each check, but only the credentials the
/// stacks can reach.
public struct StackChecker {
    private let repository: StackRepository
    private var stored: [String: StackDefinition] = [:]
    private let skills: [String: Int64]

    public init(_ stacks: StackRepository) throws {
        repository = stacks
        for stack in try stacks.list() { stored[stack.code] = stack }
        skills = try stacks.skills.idsByCode()
    }

    /// Throws, with the reason, when `stacks` (to be stored beside those
    /// already stored) name what does not exist, nest in a cycle, or could
    /// never be complete: a stack that no learner could ever complete is a
    /// mistake in the file, not a goal. Once checked, they count as stored
    /// for the next call.
    public mutating func check(_ stacks: [StackDefinition]) throws {
        var all = stored
        for stack in stacks { all[stack.code] = stack }
        let catalog = Catalog(try reachable(from: stacks, in: all))
        let skills = skills
        try StackValidator.validate(stacks, stored: stored, credentialExists: { catalog.index[$0] != nil },
                                    skillExists: { skills[$0] != nil })
        for stack in stacks {
            let compiled = try CompiledStack(stack, catalog: catalog, stacks: { all[$0] })
            if !compiled.canEverComplete {
                throw CredfolioError.invalid(
                    "stack \(stack.code) can never be complete: credential "
                        + compiled.repeatedCredentials(catalog: catalog).joined(separator: ", ")
                        + " is required more than once, and one award meets one requirement "
                        + "(name it once, or set \"shared\": true to let one award count for several)")
            }
        }
        stored = all
    }

    /// The credentials `stacks` can reach, through the stacks they nest: those
    /// they name, those that teach the skills they name, and all of them when an
    /// hours or credits requirement counts from the whole catalog.
    private func reachable(from stacks: [StackDefinition], in all: [String: StackDefinition]) throws -> [Credential] {
        var codes = Set<String>(), skills = Set<String>(), seen = Set<String>()
        var pending = stacks.map(\.requires), whole = false
        while let requirement = pending.popLast() {
            let references = requirement.references
            codes.formUnion(references.credentials)
            skills.formUnion(references.skills)
            whole = whole || requirement.countsWholeCatalog
            for code in references.stacks where seen.insert(code).inserted {
                if let nested = all[code] { pending.append(nested.requires) }
            }
        }
        for stack in stacks { if let grants = stack.grants { codes.insert(grants) } }
        return whole ? try repository.credentials.list() : try repository.credentials.list(codes: codes, teaching: skills)
    }
}
