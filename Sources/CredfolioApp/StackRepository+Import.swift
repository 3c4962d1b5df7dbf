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
                try check(stacks)
            } catch let error as JSONSyntaxError {
                throw CredfolioError.invalid("\(file):\(error.line):\(error.column): \(error.reason)")
            } catch let error as CredfolioError {
                throw CredfolioError.invalid("\(file): \(error.message)")
            }
            return try save(stacks)
        }
    }

    /// Throws, with the reason, when `stacks` (to be stored beside those
    /// already stored) name what does not exist, nest in a cycle, or could
    /// never be complete: a stack that no learner could ever complete is a
    /// mistake in the file, not a goal.
    public func check(_ stacks: [StackDefinition]) throws {
        var stored: [String: StackDefinition] = [:]
        for stack in try list() { stored[stack.code] = stack }
        let credentials = try credentials.list()
        let skills = try skills.idsByCode()
        let catalog = Catalog(credentials)
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
    }
}
