-- Credfolio schema, version 1.
-- Shipped migrations never change: add a new file v0002_… for any later change.
-- Dates are ISO 8601 calendar dates (YYYY-MM-DD); date(x) IS x rejects 2026-02-30.
-- Money is integer cents. Every enum is a CHECK constraint.

CREATE TABLE learner (
    id          INTEGER PRIMARY KEY,
    handle      TEXT NOT NULL UNIQUE CHECK (length(handle) BETWEEN 1 AND 64),
    name        TEXT NOT NULL CHECK (length(name) > 0),
    email       TEXT UNIQUE,
    cohort      TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    created_on  TEXT NOT NULL CHECK (date(created_on) IS created_on)
) STRICT;
CREATE INDEX learner_by_cohort ON learner (cohort, handle);

CREATE TABLE skill (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    name          TEXT NOT NULL CHECK (length(name) > 0),
    category      TEXT,
    framework     TEXT,
    framework_id  TEXT
) STRICT;

CREATE TABLE credential (
    id                  INTEGER PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    title               TEXT NOT NULL CHECK (length(title) > 0),
    issuer              TEXT,
    kind                TEXT NOT NULL DEFAULT 'certificate'
                        CHECK (kind IN ('badge', 'certificate', 'certification', 'course')),
    hours               INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
    credits             REAL CHECK (credits >= 0),
    credit_unit         TEXT,
    cost_cents          INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    currency            TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3 AND upper(currency) IS currency),
    weeks               INTEGER NOT NULL DEFAULT 0 CHECK (weeks >= 0),
    format              TEXT NOT NULL DEFAULT 'online' CHECK (format IN ('online', 'hybrid', 'in-person')),
    level               TEXT,
    validity_months     INTEGER CHECK (validity_months > 0),
    employer_validated  INTEGER NOT NULL DEFAULT 0 CHECK (employer_validated IN (0, 1)),
    accreditation       TEXT,
    url                 TEXT,
    CHECK ((credits IS NULL) = (credit_unit IS NULL))
) STRICT;

CREATE TABLE credential_skill (
    credential_id  INTEGER NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    skill_id       INTEGER NOT NULL REFERENCES skill (id) ON DELETE CASCADE,
    PRIMARY KEY (credential_id, skill_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX credential_skill_by_skill ON credential_skill (skill_id, credential_id);

-- A learner's record of a credential. A renewal is a second award of the same
-- credential with a later earned_on; planned and in-progress awards have no
-- earned_on yet, so they are unique per learner and credential.
CREATE TABLE award (
    id             INTEGER PRIMARY KEY,
    learner_id     INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    credential_id  INTEGER NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('earned', 'in-progress', 'planned', 'revoked')),
    started_on     TEXT CHECK (date(started_on) IS started_on),
    earned_on      TEXT CHECK (date(earned_on) IS earned_on),
    expires_on     TEXT CHECK (date(expires_on) IS expires_on),
    evidence_url   TEXT,
    notes          TEXT NOT NULL DEFAULT '',
    CHECK (status <> 'earned' OR earned_on IS NOT NULL),
    CHECK (status NOT IN ('planned', 'in-progress') OR earned_on IS NULL),
    CHECK (expires_on IS NULL OR earned_on IS NULL OR expires_on > earned_on)
) STRICT;
CREATE UNIQUE INDEX award_by_key ON award (learner_id, credential_id, ifnull(earned_on, ''));
CREATE INDEX award_by_credential ON award (credential_id);

-- Stacks: larger qualifications that credentials add up to. The requirement
-- tree is stored as the canonical JSON the user imported; the reference
-- tables below let the database refuse to delete what a stack names.
CREATE TABLE stack (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    title                 TEXT,
    issuer                TEXT,
    description           TEXT,
    grants_credential_id  INTEGER REFERENCES credential (id),
    shared                INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    requires              TEXT NOT NULL CHECK (json_valid(requires))
) STRICT;

CREATE TABLE stack_credential (
    stack_id       INTEGER NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    credential_id  INTEGER NOT NULL REFERENCES credential (id),
    PRIMARY KEY (stack_id, credential_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stack_credential_by_credential ON stack_credential (credential_id);

CREATE TABLE stack_skill (
    stack_id  INTEGER NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    skill_id  INTEGER NOT NULL REFERENCES skill (id),
    PRIMARY KEY (stack_id, skill_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stack_skill_by_skill ON stack_skill (skill_id);

CREATE TABLE stack_child (
    stack_id        INTEGER NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    child_stack_id  INTEGER NOT NULL REFERENCES stack (id),
    PRIMARY KEY (stack_id, child_stack_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stack_child_by_child ON stack_child (child_stack_id);
