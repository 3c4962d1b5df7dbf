import CredfolioApp
import CredfolioCore
import CredfolioEngine
import CredfolioSystem

extension PlanResult {
    /// The bound in the measure's own unit: cost in currency units.
    var boundCell: Cell {
        guard let bound = plan.bound else { return .integer(nil) }
        return measure == .cost ? .decimal(Money.format(cents: bound)) : .integer(bound)
    }

    /// How the weeks were estimated, in words: "at 10 hours a week (the learner's pace)".
    static func paceWords(_ pace: Double?, source: String) -> String {
        pace.map { "at \(NumberText.plain($0)) hours a week (\(source))" } ?? "one after another (no pace: see learner edit --pace)"
    }

    /// Whether the plan fits in six months: nil when its weeks are unknown
    /// (a plan was found, but a credential it needs has them unknown).
    var fitsCell: Cell { unknownWeeksReason == nil ? .bool(fitsSixMonths) : .unknown }

    func json(learner: String, by: Measure, paceSource: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("learner", .string(learner)), ("stack", .string(stack.definition.code)), ("by", .string(by.rawValue)),
            ("completable", plan.completable.map(JSONValue.bool) ?? .null),
            ("credentials", .array(credentials.indices.map { i in
                let c = credentials[i]
                return .object([("code", .string(c.code)), ("title", .string(c.title)), ("hours", Cell.known(c.hours).json),
                                ("cost", Cell.knownCost(c.costCents).json), ("weeks", Cell.known(c.weeks).json),
                                ("format", Cell.deliveries(c.deliveries).json), ("started", .bool(started[i])),
                                ("renewal", .bool(renewal[i])), ("prerequisite_of", .optional(prerequisiteOf[i]))])
            })),
            ("total_hours", Cell.known(totalHours.value).json), ("total_cost", Cell.knownCost(totalCents.value).json),
            ("total_weeks", Cell.known(totalWeeks.value).json),
            ("unknown_hours", .integer(Int64(totalHours.unknown))), ("unknown_cost", .integer(Int64(totalCents.unknown))),
            ("unknown_weeks", .integer(Int64(totalWeeks.unknown))),
            ("estimated_weeks", estimatedWeeks.map(JSONValue.integer) ?? .null),
            ("pace", pace.map(JSONValue.number) ?? .null), ("pace_source", pace == nil ? .null : .string(paceSource)),
            ("fits_six_months", fitsCell.json), ("optimal", .bool(plan.optimal)),
            ("bound", plan.bound.map { by == .cost ? JSONValue.number(Double($0) / 100) : .integer($0) } ?? .null),
            ("limits_met", .bool(plan.limitsMet)),
        ]
        if let reason = plan.reason { members.append(("reason", .string(reason))) }
        return .object(members)
    }

    func writeTable(to out: OutputSink, learner: Learner, by: Measure, day: Day, paceSource: String) {
        let title = stack.definition.title.map { " (\($0))" } ?? ""
        out.write("\(learner.name) (\(learner.handle)) toward \(stack.definition.code)\(title), as of \(day)\n")
        out.write("now \(ProgressFormatting.percent(progress.percent))%; least \(by.rawValue) to finish:\n\n")
        switch plan.completable {
        case false?:
            out.write("cannot be completed from the catalog: \(plan.reason ?? "no combination of credentials completes it")\n")
            return
        case nil:
            out.write("no plan found: \(plan.reason ?? "the solver's time limit ran out") (see --time-limit)\n")
            return
        case true?:
            break
        }
        if !plan.limitsMet, let reason = plan.reason { out.write("note: \(reason)\n\n") }
        if credentials.isEmpty {
            out.write("already complete: nothing left to earn\n")
            return
        }
        var report = Report(columns: ["code", "title", "hours", "cost", "weeks", "note"])
        for (i, c) in credentials.enumerated() {
            report.append([.text(c.code), .text(c.title), .known(c.hours), .knownCost(c.costCents), .known(c.weeks), .text(note(i))])
        }
        // Aligned as numbers, for the table only (CSV and JSON count the unknown in columns of their own).
        report.append([.text("total"), .text(""), .decimal(totalHours.brief()), .decimal(totalCents.brief { Money.format(cents: $0) }),
                       .decimal(totalWeeks.brief()), .text("")])
        report.render(.table, to: out)
        if plan.unknown > 0 {
            out.write("\ntotal: \(totalWords(by)) (the plan uses as few credentials of unknown \(by.rawValue) as it can)\n")
        }
        let how = Self.paceWords(pace, source: paceSource)
        if let weeks = estimatedWeeks {
            out.write("\nabout \(weeks) week\(weeks == 1 ? "" : "s") \(how): "
                      + (fitsSixMonths ? "fits in six months" : "longer than six months (26 weeks)") + "\n")
        } else {
            out.write("\nweeks unknown \(how): the plan has \(unknownWeeksReason ?? "no estimate")\n")
        }
        if plan.optimal {
            out.write("optimal: no plan has a smaller total \(by.rawValue)\n")
        } else {
            let bound = plan.bound.map { by == .cost ? Money.format(cents: $0) : String($0) } ?? "unknown"
            out.write("not proven optimal: the solver's time limit ran out first; no plan can total less than \(bound) (see --time-limit)\n")
        }
    }
}
