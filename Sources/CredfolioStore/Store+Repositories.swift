import CredfolioSQL
extension Store {
    public var learners: LearnerRepository { LearnerRepository(database) }
    public var skills: SkillRepository { SkillRepository(database) }
    public var credentials: CredentialRepository { CredentialRepository(database) }
    public var awards: AwardRepository { AwardRepository(database) }
}
