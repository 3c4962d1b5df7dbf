/// Parsing and checking one user-supplied value. Every failure reads
/// `name "value" reason`, so that the command line prints it as it is and an
/// import prefixes it with `file:line: `.
public enum Field {
    public static func quoted(_ text: String) -> String {
        let shown = text.utf8.count > 60 ? String(text.prefix(57)) + "..." : text
        var out = ""
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return "\"\(out)\""
    }

    public static func fail(_ name: String, _ text: String, _ reason: String) -> CredfolioError {
        .invalid("\(name) \(quoted(text)) \(reason)")
    }

    public static func slug(_ text: String, _ name: String) throws(CredfolioError) -> String {
        guard Slug.isValid(text) else { throw fail(name, text, "is not a valid code (\(Slug.rule))") }
        return text
    }

    /// Required text: not empty, no control characters but tab and newline.
    public static func text(_ text: String, _ name: String, maxBytes: Int = 1000) throws(CredfolioError) -> String {
        guard !text.isEmpty else { throw CredfolioError.invalid("\(name) is empty") }
        return try optionalText(text, name, maxBytes: maxBytes)!
    }

    /// Optional text: empty becomes nil.
    public static func optionalText(_ text: String?, _ name: String, maxBytes: Int = 1000) throws(CredfolioError) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.count <= maxBytes else {
            throw fail(name, text, "is longer than \(NumberText.grouped(maxBytes)) bytes")
        }
        // Control characters are single ASCII bytes in UTF-8: scan bytes.
        guard !text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) || $0 == 0x7F }) else {
            throw fail(name, text, "holds a control character")
        }
        return text
    }

    public static func day(_ text: String, _ name: String) throws(CredfolioError) -> Day {
        guard let day = Day(iso: text) else { throw fail(name, text, "is not a date (YYYY-MM-DD)") }
        return day
    }

    public static func optionalDay(_ text: String?, _ name: String) throws(CredfolioError) -> Day? {
        guard let text, !text.isEmpty else { return nil }
        return try day(text, name)
    }

    public static func wholeNumber(_ text: String, _ name: String) throws(CredfolioError) -> Int64 {
        guard let value = NumberText.nonNegativeInteger(text) else {
            throw fail(name, text, text.hasPrefix("-") ? "is negative" : "is not a whole number")
        }
        return value
    }

    public static func optionalWholeNumber(_ text: String?, _ name: String, positive: Bool = false) throws(CredfolioError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        let value = try wholeNumber(text, name)
        if positive && value == 0 { throw fail(name, text, "must be at least 1") }
        return value
    }

    public static func decimal(_ text: String, _ name: String) throws(CredfolioError) -> Double {
        guard let value = NumberText.nonNegativeDecimal(text) else {
            throw fail(name, text, text.hasPrefix("-") ? "is negative" : "is not a number")
        }
        return value
    }

    public static func cents(_ text: String, _ name: String) throws(CredfolioError) -> Int64 {
        guard let cents = Money.cents(from: text) else {
            throw fail(name, text, text.hasPrefix("-") ? "is negative" : "is not an amount (such as 49 or 49.99)")
        }
        return cents
    }

    public static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ name: String, as type: T.Type) throws(CredfolioError) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) ?? T(rawValue: text.lowercased()) else {
            throw fail(name, text, "is not one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    public static func bool(_ text: String, _ name: String) throws(CredfolioError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "y", "1": return true
        case "false", "no", "n", "0", "": return false
        default: throw fail(name, text, "is not true or false")
        }
    }

    public static func email(_ text: String?, _ name: String = "email") throws(CredfolioError) -> String? {
        guard let text = try optionalText(text, name, maxBytes: 254) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix("."),
            !text.contains(where: { $0.isWhitespace })
        else { throw fail(name, text, "is not an email address") }
        return text
    }

    public static func currency(_ text: String, _ name: String = "currency") throws(CredfolioError) -> String {
        let upper = text.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw fail(name, text, "is not a three-letter currency code (such as USD)")
        }
        return upper
    }
}

extension Learner {
    /// The learner with every field checked; throws the first problem.
    public func validated() throws(CredfolioError) -> Learner {
        var copy = self
        copy.handle = try Field.slug(handle, "handle")
        copy.name = try Field.text(name, "name")
        copy.email = try Field.email(email)
        copy.cohort = try Field.optionalText(cohort, "cohort", maxBytes: 100)
        copy.notes = try Field.optionalText(notes, "notes", maxBytes: 100_000) ?? ""
        return copy
    }
}

extension Skill {
    public func validated() throws(CredfolioError) -> Skill {
        var copy = self
        copy.code = try Field.slug(code, "code")
        copy.name = try Field.text(name, "name")
        copy.category = try Field.optionalText(category, "category")
        copy.framework = try Field.optionalText(framework, "framework")
        copy.frameworkID = try Field.optionalText(frameworkID, "framework_id")
        if copy.frameworkID != nil && copy.framework == nil {
            throw CredfolioError.invalid("framework_id \(Field.quoted(frameworkID!)) needs a framework")
        }
        return copy
    }
}

extension Credential {
    public func validated() throws(CredfolioError) -> Credential {
        var copy = self
        copy.code = try Field.slug(code, "code")
        copy.title = try Field.text(title, "title")
        copy.issuer = try Field.optionalText(issuer, "issuer")
        copy.level = try Field.optionalText(level, "level")
        copy.accreditation = try Field.optionalText(accreditation, "accreditation")
        copy.url = try Field.optionalText(url, "url", maxBytes: 2000)
        copy.creditUnit = try Field.optionalText(creditUnit, "credit_unit", maxBytes: 40)
        copy.currency = try Field.currency(currency)
        if let credits, !(credits >= 0 && credits.isFinite) {
            throw Field.fail("credits", NumberText.plain(credits), "is not a non-negative number")
        }
        if (copy.credits == nil) != (copy.creditUnit == nil) {
            throw CredfolioError.invalid(copy.credits == nil
                ? "credit_unit \(Field.quoted(copy.creditUnit!)) needs credits"
                : "credits \(NumberText.plain(copy.credits!)) need a credit_unit (such as ECTS or CEU)")
        }
        guard hours >= 0 else { throw Field.fail("hours", String(hours), "is negative") }
        guard costCents >= 0 else { throw Field.fail("cost", Money.format(cents: costCents), "is negative") }
        guard weeks >= 0 else { throw Field.fail("weeks", String(weeks), "is negative") }
        if let validityMonths, validityMonths < 1 {
            throw Field.fail("validity_months", String(validityMonths), "must be at least 1")
        }
        for skill in skills { _ = try Field.slug(skill, "skill") }
        copy.skills = Array(Set(skills)).sorted()
        return copy
    }
}

extension Award {
    public func validated() throws(CredfolioError) -> Award {
        var copy = self
        copy.evidenceURL = try Field.optionalText(evidenceURL, "evidence_url", maxBytes: 2000)
        copy.notes = try Field.optionalText(notes, "notes", maxBytes: 100_000) ?? ""
        switch status {
        case .earned:
            guard earnedOn != nil else {
                throw CredfolioError.invalid("status earned needs earned_on, the day it was earned")
            }
        case .planned, .inProgress:
            if let earnedOn {
                throw CredfolioError.invalid(
                    "status \(status.rawValue) cannot have earned_on \(earnedOn); use status earned")
            }
        case .revoked:
            break
        }
        if let earnedOn, let expiresOn, expiresOn <= earnedOn {
            throw Field.fail("expires_on", expiresOn.description, "is not after earned_on \(earnedOn)")
        }
        if let startedOn, let earnedOn, startedOn > earnedOn {
            throw Field.fail("started_on", startedOn.description, "is after earned_on \(earnedOn)")
        }
        return copy
    }
}
