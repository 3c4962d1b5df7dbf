public import CredfolioSQL
import CredfolioCore
public import CredfolioSystem

/// CSV export of learners, skills, credentials and awards, in exactly the
/// columns that ``Importer`` reads, streamed row by row from the database.
public struct Exporter {
    let db: any SQLConnection
    public init(_ db: any SQLConnection) { self.db = db }

    public init(_ store: Store) { self.init(store.database) }

    public func run(_ kind: Importer.Kind, to csv: CSVWriter) throws {
        csv.row(kind.columns)
        switch kind {
        case .learners:
            var others: [Int64: [String]] = [:]
            try db.forEachRow("SELECT learner_id, address FROM learner_email ORDER BY lower(address)") {
                others[$0.int64(0), default: []].append($0.string(1))
            }
            let goals = try LearnerRepository(db).goalsByLearner()
            try db.forEachRow(LearnerRepository.select + " ORDER BY handle") { row in
                let l = try LearnerRepository.read(row)
                csv.text(l.handle); csv.text(l.name); csv.text(l.email); csv.text(l.cohort); csv.text(l.notes)
                csv.raw(l.createdOn.description)
                csv.text((others[l.id!] ?? []).joined(separator: ";"))
                csv.raw(l.pace.map(NumberText.plain) ?? "")
                csv.text((goals[l.id!] ?? []).map(\.text).joined(separator: ";"))
                csv.endRow()
            }
        case .skills:
            try db.forEachRow(SkillRepository.select + " ORDER BY code") { row in
                let s = SkillRepository.read(row)
                csv.text(s.code); csv.text(s.name); csv.text(s.category); csv.text(s.framework); csv.text(s.frameworkID)
                csv.endRow()
            }
        case .credentials:
            let skills = try CredentialRepository(db).skillsByCredential()
            let occupations = try CredentialRepository(db).occupationsByCredential()
            let routes = try CredentialRepository(db).routesByCredential()
            try db.forEachRow(CredentialRepository.select + " ORDER BY code") { row in
                let c = try CredentialRepository.read(row)
                csv.text(c.code); csv.text(c.title); csv.text(c.issuer); csv.raw(c.kind.rawValue)
                csv.raw(c.hours.map(String.init) ?? ""); csv.raw(c.credits.map(NumberText.plain) ?? ""); csv.text(c.creditUnit)
                csv.raw(c.costCents.map { Money.format(cents: $0) } ?? ""); csv.raw(c.currency); csv.raw(c.weeks.map(String.init) ?? "")
                csv.raw(DeliveryFormat.listText(c.deliveries)); csv.text(c.level); csv.raw(c.validity.text)
                csv.raw(c.employerValidated ? "true" : "false"); csv.text(c.accreditation); csv.text(c.url)
                csv.text((skills[c.id!] ?? []).joined(separator: ";"))
                csv.raw(c.ctid ?? ""); csv.text(c.description); csv.raw((occupations[c.id!] ?? []).joined(separator: ";"))
                csv.text(CredentialRoute.cell(routes[c.id!] ?? []))
                csv.endRow()
            }
        case .awards:
            try db.forEachRow(AwardRepository.select + " ORDER BY l.handle, c.code, coalesce(CAST(a.earned_on AS TEXT), ''), a.id") { row in
                let a = try AwardRepository.read(row).award
                csv.text(a.learner); csv.text(a.credential); csv.raw(a.status.rawValue)
                csv.raw(a.earnedOn?.description ?? ""); csv.raw(a.expiresOn?.description ?? "")
                csv.text(a.evidenceURL); csv.raw(a.startedOn?.description ?? ""); csv.text(a.notes)
                csv.endRow()
            }
        }
        try csv.flush()
    }
}
