/// An error a user can act on: one line that says what is wrong, where.
///
/// The command line prints it as `error: <message>` and exits non-zero.
public struct CredfolioError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Bad input: a value, a row or a file that cannot be accepted.
        case invalidInput
        /// Something named does not exist.
        case notFound
        /// The change would break a rule (a duplicate, a reference).
        case conflict
        /// The database is locked by another process for too long.
        case busy
        /// The file is not a usable credfolio database.
        case database
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func invalid(_ message: String) -> CredfolioError { .init(.invalidInput, message) }
    public static func notFound(_ message: String) -> CredfolioError { .init(.notFound, message) }
    public static func conflict(_ message: String) -> CredfolioError { .init(.conflict, message) }

    public var description: String { message }
}
