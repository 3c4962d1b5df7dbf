import ArgumentParser
import CredfolioCore
import CredfolioSystem
import CredfolioApp
import CredfolioStore

struct AwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "award", abstract: "Record, list, edit, revoke and remove learners' awards.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Revoke.self, Remove.self])
}

/// Which award of a learner: by credential, and by earned-on date when the
/// learner holds it more than once (a renewal).
struct AwardSelector: ParsableArguments {
    @Argument(help: "The learner's handle.") var learner: String
    @Argument(help: "The credential's code.") var credential: String
    @Option(name: .customLong("earned"), help: "The earned-on date that picks one of several awards (YYYY-MM-DD).")
    var earnedOn: String?
}

extension AwardCommand {
    static let columns = [
        "id", "learner", "credential", "title", "status", "effective_status", "started_on", "earned_on", "expires_on",
        "evidence_url", "notes",
    ]

    static func effectiveStatus(_ r: AwardRecord, on day: Day) -> EffectiveStatus {
        EffectiveStatus(status: r.award.status, earnedOn: r.award.earnedOn, expiry: r.expires, on: day)
    }

    static func row(_ r: AwardRecord, on day: Day) -> [Cell] {
        let a = r.award
        let effective = effectiveStatus(r, on: day)
        return [.integer(a.id), .text(a.learner), .text(a.credential), .text(r.credentialTitle), .text(a.status.rawValue),
                .text(effective.rawValue), .day(a.startedOn), .day(a.earnedOn), .day(r.expires), .text(a.evidenceURL), .text(a.notes)]
    }

    static func report(_ records: [AwardRecord], on day: Day) -> Report {
        var report = Report(columns: columns)
        for r in records { report.append(row(r, on: day)) }
        return report
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record an award: earned (with --earned), in progress or planned.",
            discussion: """
                The expiry is derived from the credential's validity unless --expires gives it. An earned award of a \
                credential the learner has in progress or planned finishes that award: it becomes the earned one.
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The learner's handle.") var learner: String
        @Argument(help: "The credential's code.") var credential: String
        @Option(help: "The day it was earned (YYYY-MM-DD).") var earned: String?
        @Option(help: "earned, in-progress, planned or revoked (default: earned with --earned).") var status: AwardStatus?
        @Option(help: "The day work on it started.") var started: String?
        @Option(help: "The day it lapses, when the issuer says so.") var expires: String?
        @Option(help: "A link to the evidence (badge URL, certificate).") var evidence: String?
        @Option(help: "Free-form notes.") var notes: String = ""

        func validate() throws {
            if status == nil && earned == nil {
                throw ValidationError("give --earned DATE for an earned award, or --status in-progress|planned")
            }
        }

        func run() throws {
            let earnedOn = try parseDay(earned, "earned_on")
            let award = Award(
                learner: learner, credential: credential, status: status ?? .earned,
                startedOn: try parseDay(started, "started_on"), earnedOn: earnedOn,
                expiresOn: try parseDay(expires, "expires_on"), evidenceURL: evidence, notes: notes)
            let (record, finished) = try database.write { try $0.awards.record(award) }
            var line = "recorded \(record.award.status.rawValue) award of \(credential) to \(learner)"
            if let on = record.award.earnedOn { line += " on \(on)" }
            if let expires = record.expires { line += ", expires \(expires)" }
            if let finished {
                line += "; it was " + (finished.award.status == .planned ? "planned" : "in progress")
                    + (finished.award.startedOn.map { " since \($0)" } ?? "")
                    + ", and that award is now earned"
            }
            OutputSink.standardOutput().write(line + "\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List awards, by learner and credential, with their effective status on the as-of date.",
            discussion: "effective_status is earned, expired (from the day it lapses), revoked, in-progress or planned. --status filters on it.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only this learner's awards.") var learner: String?
        @Option(help: "Only awards of this credential.") var credential: String?
        @Option(help: "Only awards with this effective status: earned, expired, revoked, in-progress or planned.")
        var status: EffectiveStatus?
        @Option(help: "Only awards of learners in this cohort.") var cohort: String?
        @Option(help: "Only awards earned on or after this date.") var since: String?
        @Option(help: "Only awards earned on or before this date.") var until: String?
        @Option(parsing: .unconditional, help: "At most this many awards.", transform: { try Field.count($0, "limit") })
        var limit: Int?
        @Option(name: .customLong("as-of"), help: "The date for the effective status (default: today).") var asOf: String?

        func run() throws {
            let day = try asOfDay(asOf)
            let (from, to) = (try parseDay(since, "since"), try parseDay(until, "until"))
            let store = try database.openForReading()
            if let learner { _ = try store.learners.get(learner) }
            if let credential { _ = try store.credentials.get(credential) }
            try noteUnknownCohort(cohort, in: store)
            let out = OutputSink.standardOutput()
            let count = try streamReport(columns: AwardCommand.columns, format: output.format, to: out, emptyMessage: "no awards") { emit in
                var shown = 0
                try store.awards.forEach(learner: learner, credential: credential, cohort: cohort, since: from, until: to) { record in
                    guard limit.map({ shown < $0 }) ?? true else { return }
                    if let status, AwardCommand.effectiveStatus(record, on: day) != status { return }
                    emit(AwardCommand.row(record, on: day))
                    shown += 1
                }
            }
            try out.flush()
            if count == 0 && (status != nil || from != nil || to != nil) { note("no award matches the filters") }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change an award's status, dates, evidence or notes.",
            discussion: "To mark a planned award earned: award edit sarah aws-ccp --status earned --earned-on 2026-03-14. An empty value clears an optional date or text.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var selector: AwardSelector
        @Option(help: "New status.") var status: AwardStatus?
        @Option(help: "New earned-on date.") var earnedOn: String?
        @Option(help: "New start date.") var started: String?
        @Option(help: "New expiry date.") var expires: String?
        @Option(help: "New evidence link.") var evidence: String?
        @Option(help: "New notes.") var notes: String?

        func validate() throws {
            if status == nil && earnedOn == nil && started == nil && expires == nil && evidence == nil && notes == nil {
                throw ValidationError("nothing to change")
            }
        }

        func run() throws {
            let selected = try parseDay(selector.earnedOn, "earned_on")
            let award = try database.write { store in
                let record: AwardRecord
                do {
                    record = try store.awards.locate(learner: selector.learner, credential: selector.credential, earnedOn: selected)
                } catch let error as CredfolioError where error.kind == .notFound && earnedOn == nil {
                    // --earned picks the award earned that day; setting the day is --earned-on.
                    guard let selected else { throw error }
                    throw CredfolioError.notFound(
                        error.message + " (--earned picks the award earned that day; to set the day it was earned, use --earned-on \(selected))")
                }
                var award = record.award
                if let status { award.status = status }
                if let earnedOn { award.earnedOn = try Field.optionalDay(earnedOn, "earned_on") }
                if let started { award.startedOn = try Field.optionalDay(started, "started_on") }
                if let expires { award.expiresOn = try Field.optionalDay(expires, "expires_on") }
                if let evidence { award.evidenceURL = evidence.isEmpty ? nil : evidence }
                if let notes { award.notes = notes }
                try store.awards.update(award)
                return award
            }
            OutputSink.standardOutput().write("updated award of \(award.credential) to \(award.learner)\n")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Mark an award revoked: it stays on record but no longer counts toward any stack.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var selector: AwardSelector

        func run() throws {
            let earnedOn = try parseDay(selector.earnedOn, "earned_on")
            let record = try database.write {
                try $0.awards.revoke(learner: selector.learner, credential: selector.credential, earnedOn: earnedOn)
            }
            OutputSink.standardOutput().write(
                "revoked award of \(selector.credential) to \(selector.learner)"
                    + (record.award.earnedOn.map { " earned on \($0)" } ?? "") + "\n")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Delete an award from the record (to keep it on record but stop it counting, revoke it).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var selector: AwardSelector

        func run() throws {
            let earnedOn = try parseDay(selector.earnedOn, "earned_on")
            let record = try database.write {
                try $0.awards.remove(learner: selector.learner, credential: selector.credential, earnedOn: earnedOn)
            }
            OutputSink.standardOutput().write(
                "removed \(record.award.status.rawValue) award of \(selector.credential) to \(selector.learner)\n")
        }
    }
}
