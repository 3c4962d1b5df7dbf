-- Credfolio schema on PostgreSQL, version 1: the tables of SQLite's schema 7, in PostgreSQL's own types.
-- Shipped migrations never change: add a new file p0002_… for any later change. Each file runs in
-- one transaction with the others pending, and is recorded in credfolio_migration.
--
-- The same rows as Schema/sqlite/, written the way PostgreSQL means them: identity keys, boolean for
-- yes/no, date for days, jsonb for a stack's requirements, bytea for a badge's original file. Every
-- CHECK of the SQLite schema is here, so that what one engine refuses the other refuses too. A registry
-- CTID is `registry_ctid` on both engines, since `ctid` is a system column of every PostgreSQL table (a
-- row's physical place), which no table may define.
-- Every text column compares and sorts as SQLite does, byte by byte (COLLATE "C"), whatever locale the
-- database was created with: the same data lists in the same order on both engines.

CREATE TABLE learner (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle      text COLLATE "C" NOT NULL UNIQUE CHECK (length(handle) BETWEEN 1 AND 64),
    name        text COLLATE "C" NOT NULL CHECK (length(name) > 0),
    email       text COLLATE "C" UNIQUE,
    cohort      text COLLATE "C",
    notes       text COLLATE "C" NOT NULL DEFAULT '',
    created_on  date NOT NULL,
    pace        double precision CHECK (pace IS NULL OR (pace >= 0.01 AND pace <= 168))
);
CREATE INDEX learner_by_cohort ON learner (cohort, handle);

CREATE TABLE skill (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text COLLATE "C" NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    name          text COLLATE "C" NOT NULL CHECK (length(name) > 0),
    category      text COLLATE "C",
    framework     text COLLATE "C",
    framework_id  text COLLATE "C"
);

CREATE TABLE credential (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                text COLLATE "C" NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    title               text COLLATE "C" NOT NULL CHECK (length(title) > 0),
    issuer              text COLLATE "C",
    kind                text COLLATE "C" NOT NULL DEFAULT 'certificate'
                        CHECK (kind IN ('badge', 'certificate', 'certification', 'course', 'micro-credential', 'license',
                                        'degree', 'diploma', 'credential', 'learning-opportunity', 'learning-program',
                                        'assessment')),
    hours               bigint CHECK (hours >= 0),
    credits             double precision CHECK (credits >= 0),
    credit_unit         text COLLATE "C",
    cost_cents          bigint CHECK (cost_cents >= 0),
    currency            text COLLATE "C" NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3 AND upper(currency) = currency),
    weeks               bigint CHECK (weeks >= 0),
    format              text COLLATE "C" CHECK (format IN ('in-person', 'online', 'hybrid', 'in-person;online', 'in-person;hybrid',
                                               'online;hybrid', 'in-person;online;hybrid')),
    level               text COLLATE "C",
    validity_months     bigint CHECK (validity_months > 0),
    validity_unknown    boolean NOT NULL DEFAULT false,
    employer_validated  boolean NOT NULL DEFAULT false,
    accreditation       text COLLATE "C",
    url                 text COLLATE "C",
    achievement_id      text COLLATE "C" CHECK (achievement_id IS NULL OR length(achievement_id) BETWEEN 1 AND 2000),
    registry_ctid       text COLLATE "C" UNIQUE CHECK (registry_ctid IS NULL
                                       OR (length(registry_ctid) = 39 AND lower(registry_ctid) = registry_ctid
                                           AND registry_ctid LIKE 'ce-%')),
    description         text COLLATE "C",
    CHECK ((credits IS NULL) = (credit_unit IS NULL)),
    CHECK (NOT validity_unknown OR validity_months IS NULL)
);
CREATE UNIQUE INDEX credential_by_achievement ON credential (achievement_id) WHERE achievement_id IS NOT NULL;

CREATE TABLE credential_skill (
    credential_id  bigint NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    skill_id       bigint NOT NULL REFERENCES skill (id) ON DELETE CASCADE,
    PRIMARY KEY (credential_id, skill_id)
);
CREATE INDEX credential_skill_by_skill ON credential_skill (skill_id, credential_id);

CREATE TABLE credential_occupation (
    credential_id  bigint NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    code           text COLLATE "C" NOT NULL CHECK (length(code) BETWEEN 7 AND 10),
    PRIMARY KEY (credential_id, code)
);
CREATE INDEX credential_occupation_by_code ON credential_occupation (code, credential_id);

CREATE TABLE credential_route (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credential_id  bigint NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    position       integer NOT NULL CHECK (position >= 0),
    name           text COLLATE "C",
    note           text COLLATE "C",
    UNIQUE (credential_id, position)
);

CREATE TABLE credential_route_target (
    route_id  bigint NOT NULL REFERENCES credential_route (id) ON DELETE CASCADE,
    position  integer NOT NULL CHECK (position >= 0),
    registry_ctid  text COLLATE "C" CHECK (registry_ctid IS NULL OR (length(registry_ctid) = 39 AND lower(registry_ctid) = registry_ctid)),
    name           text COLLATE "C",
    CHECK (registry_ctid IS NOT NULL OR name IS NOT NULL),
    PRIMARY KEY (route_id, position)
);
CREATE INDEX credential_route_target_by_ctid ON credential_route_target (registry_ctid) WHERE registry_ctid IS NOT NULL;

CREATE TABLE award (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    learner_id     bigint NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    credential_id  bigint NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    status         text COLLATE "C" NOT NULL CHECK (status IN ('earned', 'in-progress', 'planned', 'revoked')),
    started_on     date,
    earned_on      date,
    expires_on     date,
    evidence_url   text COLLATE "C",
    notes          text COLLATE "C" NOT NULL DEFAULT '',
    CHECK (status <> 'earned' OR earned_on IS NOT NULL),
    CHECK (status NOT IN ('planned', 'in-progress') OR earned_on IS NULL),
    CHECK (expires_on IS NULL OR earned_on IS NULL OR expires_on > earned_on)
);
-- One award a learner, credential and earned-on day, an award not yet earned counting as one day of its own.
CREATE UNIQUE INDEX award_by_key ON award (learner_id, credential_id, coalesce(earned_on, '-infinity'::date));
CREATE INDEX award_by_credential ON award (credential_id);

CREATE TABLE stack (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                  text COLLATE "C" NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    title                 text COLLATE "C",
    issuer                text COLLATE "C",
    description           text COLLATE "C",
    grants_credential_id  bigint REFERENCES credential (id),
    shared                boolean NOT NULL DEFAULT false,
    requires              jsonb NOT NULL,
    registry_ctid         text COLLATE "C" CHECK (registry_ctid IS NULL OR (length(registry_ctid) = 39 AND lower(registry_ctid) = registry_ctid))
);
CREATE UNIQUE INDEX stack_by_ctid ON stack (registry_ctid) WHERE registry_ctid IS NOT NULL;

CREATE TABLE stack_credential (
    stack_id       bigint NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    credential_id  bigint NOT NULL REFERENCES credential (id),
    PRIMARY KEY (stack_id, credential_id)
);
CREATE INDEX stack_credential_by_credential ON stack_credential (credential_id);

CREATE TABLE stack_skill (
    stack_id  bigint NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    skill_id  bigint NOT NULL REFERENCES skill (id),
    PRIMARY KEY (stack_id, skill_id)
);
CREATE INDEX stack_skill_by_skill ON stack_skill (skill_id);

CREATE TABLE stack_child (
    stack_id        bigint NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    child_stack_id  bigint NOT NULL REFERENCES stack (id),
    PRIMARY KEY (stack_id, child_stack_id)
);
CREATE INDEX stack_child_by_child ON stack_child (child_stack_id);

-- A learner's other addresses, compared without regard to case, as SQLite's COLLATE NOCASE does.
CREATE TABLE learner_email (
    learner_id  bigint NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    address     text COLLATE "C" NOT NULL CHECK (length(address) BETWEEN 3 AND 254)
);
CREATE UNIQUE INDEX learner_email_once ON learner_email (learner_id, lower(address));
CREATE INDEX learner_email_by_address ON learner_email (lower(address));

CREATE TABLE badge_source (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    award_id      bigint NOT NULL REFERENCES award (id) ON DELETE CASCADE,
    format        text COLLATE "C" NOT NULL CHECK (format IN ('ob2-json', 'ob2-jws', 'ob2-png', 'ob2-svg', 'ob3-json', 'ob3-jwt',
                                                  'ob3-png', 'ob3-svg', 'clr-json', 'clr-jwt', 'clr-png', 'clr-svg')),
    sha256        text COLLATE "C" NOT NULL CHECK (length(sha256) = 64),
    imported_at   text COLLATE "C" NOT NULL,
    verification  text COLLATE "C" NOT NULL,
    recipient     text COLLATE "C" NOT NULL CHECK (recipient IN ('match', 'forced', 'not checked')),
    assertion_id  text COLLATE "C",
    original      bytea NOT NULL,
    UNIQUE (award_id, sha256)
);
CREATE INDEX badge_source_by_assertion ON badge_source (assertion_id);

CREATE TABLE learner_goal (
    learner_id   bigint NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    stack_id     bigint NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    target_date  date,
    PRIMARY KEY (learner_id, stack_id)
);
CREATE INDEX learner_goal_by_stack ON learner_goal (stack_id);

CREATE TABLE issuer_key (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer_id  text COLLATE "C" NOT NULL CHECK (length(issuer_id) BETWEEN 1 AND 2000),
    key_text   text COLLATE "C" NOT NULL CHECK (length(key_text) BETWEEN 1 AND 20000),
    kind       text COLLATE "C" NOT NULL CHECK (kind IN ('RSA', 'EC P-256', 'Ed25519')),
    added_on   date NOT NULL,
    UNIQUE (issuer_id, key_text)
);
