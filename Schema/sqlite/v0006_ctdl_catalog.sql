-- Credfolio schema, version 6: catalogs from the Credential Engine Registry (CTDL).
-- Shipped migrations never change: add a new file v0007_… for any later change.

-- The credential table is rebuilt (SQLite cannot change a CHECK with ALTER
-- TABLE; the migrator turns foreign keys off around the transaction and
-- checks every reference before the commit):
--   * kind takes the kinds a CTDL catalog has: every credential class,
--     learning opportunities, learning programs and assessments;
--   * format holds every way a credential is offered, `;`-separated in one
--     order (in-person, online, hybrid), or NULL when nobody said;
--   * validity_unknown tells "nobody said how long it lasts" (1) from "it
--     never lapses" (validity_months NULL and 0);
--   * ctid is the registry's key, in lower case, unique; description is new.
CREATE TABLE credential_v6 (
    id                  INTEGER PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    title               TEXT NOT NULL CHECK (length(title) > 0),
    issuer              TEXT,
    kind                TEXT NOT NULL DEFAULT 'certificate'
                        CHECK (kind IN ('badge', 'certificate', 'certification', 'course', 'micro-credential', 'license',
                                        'degree', 'diploma', 'credential', 'learning-opportunity', 'learning-program',
                                        'assessment')),
    hours               INTEGER CHECK (hours >= 0),
    credits             REAL CHECK (credits >= 0),
    credit_unit         TEXT,
    cost_cents          INTEGER CHECK (cost_cents >= 0),
    currency            TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3 AND upper(currency) IS currency),
    weeks               INTEGER CHECK (weeks >= 0),
    format              TEXT CHECK (format IN ('in-person', 'online', 'hybrid', 'in-person;online', 'in-person;hybrid',
                                               'online;hybrid', 'in-person;online;hybrid')),
    level               TEXT,
    validity_months     INTEGER CHECK (validity_months > 0),
    validity_unknown    INTEGER NOT NULL DEFAULT 0 CHECK (validity_unknown IN (0, 1)),
    employer_validated  INTEGER NOT NULL DEFAULT 0 CHECK (employer_validated IN (0, 1)),
    accreditation       TEXT,
    url                 TEXT,
    achievement_id      TEXT CHECK (achievement_id IS NULL OR length(achievement_id) BETWEEN 1 AND 2000),
    ctid                TEXT UNIQUE CHECK (ctid IS NULL OR (length(ctid) = 39 AND lower(ctid) IS ctid AND ctid LIKE 'ce-%')),
    description         TEXT,
    CHECK ((credits IS NULL) = (credit_unit IS NULL)),
    CHECK (validity_unknown = 0 OR validity_months IS NULL)
) STRICT;

-- Every row keeps what it had: a format typed or defaulted before is kept,
-- and a validity left empty meant "never lapses" until now.
INSERT INTO credential_v6 (id, code, title, issuer, kind, hours, credits, credit_unit, cost_cents, currency, weeks,
                           format, level, validity_months, employer_validated, accreditation, url, achievement_id)
SELECT id, code, title, issuer, kind, hours, credits, credit_unit, cost_cents, currency, weeks,
       format, level, validity_months, employer_validated, accreditation, url, achievement_id
FROM credential;

DROP TABLE credential;
ALTER TABLE credential_v6 RENAME TO credential;
CREATE UNIQUE INDEX credential_by_achievement ON credential (achievement_id) WHERE achievement_id IS NOT NULL;

-- The occupations a credential prepares for, as O*NET-SOC codes.
CREATE TABLE credential_occupation (
    credential_id  INTEGER NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    code           TEXT NOT NULL CHECK (length(code) BETWEEN 7 AND 10),
    PRIMARY KEY (credential_id, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX credential_occupation_by_code ON credential_occupation (code, credential_id);

-- Prerequisites: each route is one way in to a credential (a CTDL
-- `ceterms:requires` ConditionProfile). Every target of a route is needed
-- on that route. A target is named by CTID, so that it resolves to the
-- catalog entry with that CTID whenever one exists, whichever import or
-- link brought it; a target without a CTID (a blank node) keeps its name.
-- Text that cannot be checked (conditions, experience) is kept as `note`.
CREATE TABLE credential_route (
    id             INTEGER PRIMARY KEY,
    credential_id  INTEGER NOT NULL REFERENCES credential (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL CHECK (position >= 0),
    name           TEXT,
    note           TEXT,
    UNIQUE (credential_id, position)
) STRICT;

CREATE TABLE credential_route_target (
    route_id  INTEGER NOT NULL REFERENCES credential_route (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position >= 0),
    ctid      TEXT CHECK (ctid IS NULL OR (length(ctid) = 39 AND lower(ctid) IS ctid)),
    name      TEXT,
    CHECK (ctid IS NOT NULL OR name IS NOT NULL),
    PRIMARY KEY (route_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX credential_route_target_by_ctid ON credential_route_target (ctid) WHERE ctid IS NOT NULL;

-- A stack made from a CTDL pathway keeps the pathway's CTID.
ALTER TABLE stack ADD COLUMN ctid TEXT CHECK (ctid IS NULL OR (length(ctid) = 39 AND lower(ctid) IS ctid));
CREATE UNIQUE INDEX stack_by_ctid ON stack (ctid) WHERE ctid IS NOT NULL;
