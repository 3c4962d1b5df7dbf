import CredfolioCore
import CredfolioSystem
import CredfolioApp

extension CohortRows {
    static let columns = [
        "learner", "name", "cohort", "stack", "percent", "projected_percent", "complete", "missing", "last_earned_on", "stalled",
        "target_date", "estimated_finish", "goal_status",
    ]

    static func cells(_ r: CohortRow, _ o: Outlook?) -> [Cell] {
        [.text(r.handle), .text(r.name), .text(r.cohort), .text(r.stack),
         .decimal(r.percentText), .decimal(r.projectedText),
         .bool(r.complete), .text(r.missing), .day(r.lastEarned), .bool(r.stalled),
         .day(o?.target), .day(o?.finish), .text(o?.status.rawValue)]
    }
}
