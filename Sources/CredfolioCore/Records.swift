/// The catalog and the records: what one can earn (credentials, the skills
/// they teach) and what each learner has earned (awards). Plain values; the
/// store reads and writes them, the engine computes on them.

public struct Learner: Hashable, Sendable {
    public var id: Int64?
    public var handle: String
    public var name: String
    public var email: String?
    public var cohort: String?
    public var notes: String
    public var createdOn: Day
    /// Study hours a week, for estimating when goals finish.
    public var pace: Double?

    public init(id: Int64? = nil, handle: String, name: String, email: String? = nil,
                cohort: String? = nil, notes: String = "", createdOn: Day = .today(), pace: Double? = nil) {
        self.id = id
        self.handle = handle
        self.name = name
        self.email = email
        self.cohort = cohort
        self.notes = notes
        self.createdOn = createdOn
        self.pace = pace
    }
}

public struct Skill: Hashable, Sendable {
    public var id: Int64?
    public var code: String
    public var name: String
    public var category: String?
    /// The skills framework it comes from (ESCO, O*NET, Lightcast, …).
    public var framework: String?
    /// Its id in that framework.
    public var frameworkID: String?

    public init(id: Int64? = nil, code: String, name: String, category: String? = nil,
                framework: String? = nil, frameworkID: String? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.category = category
        self.framework = framework
        self.frameworkID = frameworkID
    }
}

/// What a catalog entry is: the kinds typed by hand, and those a CTDL
/// catalog adds (every credential class, learning opportunities, assessments).
public enum CredentialKind: String, CaseIterable, Sendable {
    case badge, certificate, certification, course
    case microCredential = "micro-credential"
    case license, degree, diploma
    /// A credential of a class without a kind of its own.
    case credential
    case learningOpportunity = "learning-opportunity"
    case learningProgram = "learning-program"
    case assessment
}

/// One way a credential is offered. A credential may be offered several
/// ways; ``Credential/deliveries`` keeps them in this order.
public enum DeliveryFormat: String, CaseIterable, Sendable, Comparable {
    case inPerson = "in-person"
    case online, hybrid

    public static func < (a: DeliveryFormat, b: DeliveryFormat) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The modes as CSV and the database write them: `in-person;online`,
    /// in ``allCases`` order; empty when unknown.
    public static func listText(_ modes: [DeliveryFormat]) -> String {
        modes.map(\.rawValue).joined(separator: ";")
    }
}

/// How long an earned award lasts.
public enum Validity: Hashable, Sendable {
    /// It lapses this many months after it is earned.
    case months(Int64)
    /// It never lapses.
    case never
    /// Nobody said: it is shown as unknown and gives no lapse date.
    case unknown

    /// The months when it has them: nil both for `never` and `unknown`, as
    /// neither gives a lapse date.
    public var months: Int64? {
        if case .months(let m) = self { return m }
        return nil
    }

    /// `36`, `never`, or empty when unknown: the CSV cell and the option.
    public var text: String {
        switch self {
        case .months(let m): return String(m)
        case .never: return "never"
        case .unknown: return ""
        }
    }
}

/// A catalog entry: something one can earn.
public struct Credential: Hashable, Sendable {
    public var id: Int64?
    public var code: String
    public var title: String
    public var issuer: String?
    public var kind: CredentialKind
    /// Notional workload in whole hours; nil when unknown (never 0 for
    /// unknown: see the README's "Unknown values").
    public var hours: Int64?
    /// Credits, meaningful only with their unit (ECTS, semester-hour, CEU…).
    public var credits: Double?
    public var creditUnit: String?
    /// Fees in cents of `currency`; nil when unknown.
    public var costCents: Int64?
    /// ISO 4217 code, e.g. USD.
    public var currency: String
    /// Typical duration in weeks; nil when unknown.
    public var weeks: Int64?
    /// Every way it is offered, in ``DeliveryFormat`` order; empty when unknown.
    public var deliveries: [DeliveryFormat]
    public var level: String?
    public var validity: Validity
    /// Months until an earned award lapses; nil when it never does or nobody knows.
    public var validityMonths: Int64? { validity.months }
    public var employerValidated: Bool
    /// The accrediting or endorsing body.
    public var accreditation: String?
    public var url: String?
    /// Codes of the skills it teaches, sorted.
    public var skills: [String]
    /// Its CTID in the Credential Engine Registry (`ce-…`, lower case): the
    /// key a CTDL import matches it by.
    public var ctid: String?
    public var description: String?
    /// O*NET SOC codes of the occupations it prepares for, sorted.
    public var occupations: [String]

    public init(id: Int64? = nil, code: String, title: String, issuer: String? = nil,
                kind: CredentialKind = .certificate, hours: Int64? = nil, credits: Double? = nil,
                creditUnit: String? = nil, costCents: Int64? = nil, currency: String = "USD",
                weeks: Int64? = nil, deliveries: [DeliveryFormat] = [], level: String? = nil,
                validity: Validity = .unknown, employerValidated: Bool = false,
                accreditation: String? = nil, url: String? = nil, skills: [String] = [],
                ctid: String? = nil, description: String? = nil, occupations: [String] = []) {
        self.id = id
        self.code = code
        self.title = title
        self.issuer = issuer
        self.kind = kind
        self.hours = hours
        self.credits = credits
        self.creditUnit = creditUnit
        self.costCents = costCents
        self.currency = currency
        self.weeks = weeks
        self.deliveries = deliveries
        self.level = level
        self.validity = validity
        self.employerValidated = employerValidated
        self.accreditation = accreditation
        self.url = url
        self.skills = skills
        self.ctid = ctid
        self.description = description
        self.occupations = occupations
    }
}

public enum AwardStatus: String, CaseIterable, Sendable {
    case earned
    case inProgress = "in-progress"
    case planned
    case revoked
}

/// A learner's record of one credential.
public struct Award: Hashable, Sendable {
    public var id: Int64?
    public var learner: String
    public var credential: String
    public var status: AwardStatus
    public var startedOn: Day?
    public var earnedOn: Day?
    /// The expiry given explicitly; nil means "derive it from the
    /// credential's validity", see ``effectiveExpiry(validityMonths:)``.
    public var expiresOn: Day?
    public var evidenceURL: String?
    public var notes: String

    public init(id: Int64? = nil, learner: String, credential: String, status: AwardStatus,
                startedOn: Day? = nil, earnedOn: Day? = nil, expiresOn: Day? = nil,
                evidenceURL: String? = nil, notes: String = "") {
        self.id = id
        self.learner = learner
        self.credential = credential
        self.status = status
        self.startedOn = startedOn
        self.earnedOn = earnedOn
        self.expiresOn = expiresOn
        self.evidenceURL = evidenceURL
        self.notes = notes
    }

    /// The day the award lapses: its own expiry, else earned-on plus the
    /// credential's validity; nil when it never lapses.
    public func effectiveExpiry(validityMonths: Int64?) -> Day? {
        Expiry.of(explicit: expiresOn, earnedOn: earnedOn, validityMonths: validityMonths)
    }
}

/// The one rule for when an award lapses, used by every report and by
/// the engine.
public enum Expiry {
    /// The day an award lapses: its own expiry when it has one, else its
    /// earned-on date plus the credential's validity in months; nil when it
    /// never lapses. A lapse that would fall after 9999-12-31 (the last day
    /// credfolio handles) is nil too: no as-of date reaches it, and
    /// ``check(earnedOn:validityMonths:)`` refuses such awards where they enter.
    @inlinable
    public static func of(explicit: Day?, earnedOn: Day?, validityMonths: Int64?) -> Day? {
        if let explicit { return explicit }
        guard let earnedOn, let validityMonths, validityMonths > 0, validityMonths <= Limits.maxValidityMonths
        else { return nil }
        return earnedOn.adding(months: Int(validityMonths))
    }

    /// Throws when an award earned on `earnedOn` of a credential valid for
    /// `validityMonths` would lapse after 9999-12-31.
    public static func check(earnedOn: Day?, validityMonths: Int64?, what: String) throws(CredfolioError) {
        guard let earnedOn, let validityMonths else { return }
        if earnedOn.adding(months: Int(validityMonths)) == nil {
            throw CredfolioError.invalid(
                "\(what) earned on \(earnedOn) would expire \(validityMonths) months later, after 9999-12-31, the last date credfolio handles")
        }
    }
}

/// Codes and handles: the identifiers users type on the command line.
public enum Slug {
    /// What a valid code looks like, for error messages.
    public static let rule = "1 to 64 characters, no spaces, no control, format or zero-width characters, no \";\""

    /// True for 1 to 64 UTF-8 bytes with no white space, no control
    /// character, no format or zero-width character (which make codes that
    /// look alike but differ: `jose` and `jose` followed by U+200B), and no
    /// `;` (the separator of code lists in CSV cells).
    public static func isValid(_ text: String) -> Bool {
        // ASCII is checked byte by byte; Unicode's properties are looked up only when there are non-ASCII bytes.
        let ascii: Bool? = text.withUTF8Bytes { bytes in
            guard (1...64).contains(bytes.count), bytes.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: ";") }) else {
                return false
            }
            return bytes.allSatisfy { $0 < 0x80 } ? true : nil
        }
        return ascii ?? !text.unicodeScalars.contains { $0.isInvisibleInCode }
    }

    /// A readable code made from a name, for what arrives without one (a
    /// badge, a competency, a CTDL record): its letters and digits in lower
    /// case (ASCII only), every other run as one `-`, at most `maxLength`
    /// characters; `fallback` when nothing is left.
    public static func from(_ text: String, maxLength: Int = 64, otherwise fallback: String) -> String {
        var out = ""
        var dash = false
        for scalar in text.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                if dash && !out.isEmpty { out += "-" }
                out.unicodeScalars.append(scalar)
                dash = false
            } else {
                dash = true
            }
        }
        if out.utf8.count > maxLength { out = String(out.prefix(maxLength)) }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? fallback : out
    }

    /// `base`, else `base-2`, `base-3`, …: the first code not `taken` (the
    /// base cut to 60 characters before the suffix, so the code stays valid).
    public static func unique(_ base: String, taken: (String) throws -> Bool) rethrows -> String {
        var code = base
        var n = 1
        while try taken(code) {
            n += 1
            code = String(base.prefix(60)) + "-\(n)"
        }
        return code
    }

    /// The code in Unicode's composed form (NFC), the one form it is stored
    /// and compared in: SQLite compares bytes, Swift canonical equivalents,
    /// so `é` typed as one character and as `e` and an accent would be one
    /// code to the engine and two rows to the database.
    public static func composed(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return text }
        // The standard library's own normalizer (public, underscored: there is no other without Foundation).
        return String(decoding: text._nfcCodeUnits, as: UTF8.self)
    }
}

extension Unicode.Scalar {
    /// White space, a control (C0, DEL, C1), a format character (zero-width
    /// joiners and spaces, bidirectional controls, the byte-order mark), or
    /// one that shows nothing (U+034F, the Hangul fillers): none belongs in
    /// a code or a handle.
    var isInvisibleInCode: Bool {
        switch properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return properties.isWhitespace || properties.isDefaultIgnorableCodePoint
        }
    }
}

/// A stack a learner aims at, with an optional target date.
public struct LearnerGoal: Hashable, Sendable {
    public var stack: String
    public var target: Day?

    public init(stack: String, target: Day? = nil) {
        self.stack = stack
        self.target = target
    }

    /// `stack` or `stack@2027-03-01`, as the learners CSV writes it.
    public var text: String { stack + (target.map { "@\($0)" } ?? "") }

    /// Parses `stack` or `stack@2027-03-01`.
    public init(parsing text: String) throws(CredfolioError) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        stack = try Field.slug(parts[0], "goal")
        target = parts.count == 2 ? try Field.day(parts[1], "goal date") : nil
    }
}
