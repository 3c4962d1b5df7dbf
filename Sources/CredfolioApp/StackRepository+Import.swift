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
/// without a cycle, and could be complete. The catalog is read once, so
/// that many stacks (a CTDL import's pathways) are checked one by one
/// without reading it again for each.
public struct StackChecker {
    private var stored: [String: StackDefinition] = [:]
    private let catalog: Catalog
    private let skills: [String: Int64]

    public init(_ stacks: StackRepository) throws {
        for stack in try stacks.list() { stored[stack.code] = stack }
        catalog = Catalog(try stacks.credentials.list())
        skills = try stacks.skills.idsByCode()
    }

    /// Throws, with the reason, when `stacks` (to be stored beside those
    /// already stored) name what does not exist, nest in a cycle, or could
    /// never be complete: a stack that no learner could ever complete is a
    /// mistake in the file, not a goal. Once checked, they count as stored
    /// for the next call.
    public mutating func check(_ stacks: [StackDefinition]) throws {
        let catalog = catalog, skills = skills
        try StackValidator.validate(stacks, stored: stored, credentialExists: { catalog.index[$0] != nil },
                                    skillExists: { skills[$0] != nil })
        var all = stored
        for stack in stacks { all[stack.code] = stack }
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
}
