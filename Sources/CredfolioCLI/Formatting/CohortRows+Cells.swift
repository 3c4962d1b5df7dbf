import CredfolioCore
import CredfolioSystem
import CredfolioApp

extension CohortRows {
    static let columns = [
        "learner", "name", "cohort", "stack", "percent", "projected_percent", "complete", "missing", "last_earned_on", "stalled",
        "target_date", "estimated_finish", "goal_status",
    ]

    /// A row's cells; in a `table`, the goal status says in words what lapses before the finish.
    static func cells(_ r: CohortRow, _ o: Outlook?, table: Bool = false) -> [Cell] {
        [.text(r.handle), .text(r.name), .text(r.cohort), .text(r.stack),
         .decimal(r.percentText), .decimal(r.projectedText),
         .bool(r.complete), .text(r.missing), .day(r.lastEarned), .bool(r.stalled),
         .day(o?.target), .day(o?.finish), .text(o.map { statusText($0, table: table) })]
    }

    /// `off-track`, or for people `off-track (sec lapses 2026-12-10: renew)`.
    static func statusText(_ o: Outlook, table: Bool) -> String {
        table && !o.lapses.isEmpty ? o.status.rawValue + " (" + o.lapses.joined(separator: "; ") + ")" : o.status.rawValue
    }
}
