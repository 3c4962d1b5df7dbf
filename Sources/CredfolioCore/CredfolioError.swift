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

extension String {
    /// The text as one line a terminal shows and does not act on, for
    /// `error:` and `note:` lines that may quote a file: line breaks (CR,
    /// LF, NEL, U+2028, U+2029) and tabs become spaces, and every other
    /// control character (C0, DEL, C1, among them the escape that starts a
    /// terminal command) is written as `\u{…}`.
    public func asOneLine() -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D, 0x85, 0x2028, 0x2029:
                out.append(" ")
            case _ where scalar.isTerminalControl:
                out.append(contentsOf: scalar.escapedCode.unicodeScalars)
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}

extension Unicode.Scalar {
    /// C0, DEL or C1: a control character a terminal may act on; or a
    /// bidirectional control (U+200E, U+200F, U+202A to U+202E, U+2066 to
    /// U+2069), which reorders what a terminal shows after it.
    var isTerminalControl: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x200E || value == 0x200F
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    /// How a message shows such a character: `\u{1b}`.
    var escapedCode: String { "\\u{\(String(value, radix: 16))}" }
}
