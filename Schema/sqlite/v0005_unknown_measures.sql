-- Credfolio schema, version 5: unknown is not zero.
-- Shipped migrations never change: add a new file v0006_… for any later change.

-- A credential's hours, cost and weeks may be unknown (NULL): a credential
-- made from a badge carries none of them, and one typed without them has
-- none either. Until now each was stored as 0, which the planner read as
-- free and instant. SQLite cannot drop NOT NULL with ALTER TABLE, so the
-- table is rebuilt as its documentation describes (the migrator turns
-- foreign keys off around the transaction and checks every reference
-- before the commit): create, copy, drop, rename, index again.
CREATE TABLE credential_v5 (
    id                  INTEGER PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    title               TEXT NOT NULL CHECK (length(title) > 0),
    issuer              TEXT,
    kind                TEXT NOT NULL DEFAULT 'certificate'
                        CHECK (kind IN ('badge', 'certificate', 'certification', 'course')),
    hours               INTEGER CHECK (hours >= 0),
    credits             REAL CHECK (credits >= 0),
    credit_unit         TEXT,
    cost_cents          INTEGER CHECK (cost_cents >= 0),
    currency            TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3 AND upper(currency) IS currency),
    weeks               INTEGER CHECK (weeks >= 0),
    format              TEXT NOT NULL DEFAULT 'online' CHECK (format IN ('online', 'hybrid', 'in-person')),
    level               TEXT,
    validity_months     INTEGER CHECK (validity_months > 0),
    employer_validated  INTEGER NOT NULL DEFAULT 0 CHECK (employer_validated IN (0, 1)),
    accreditation       TEXT,
    url                 TEXT,
    achievement_id      TEXT CHECK (achievement_id IS NULL OR length(achievement_id) BETWEEN 1 AND 2000),
    CHECK ((credits IS NULL) = (credit_unit IS NULL))
) STRICT;

-- A credential made from a badge (it has an achievement id) got 0 for
-- whatever the badge did not say: that 0 meant "unknown". A typed 0 is
-- kept, since nothing tells it apart from a real "free" or "no hours".
INSERT INTO credential_v5 (id, code, title, issuer, kind, hours, credits, credit_unit, cost_cents, currency, weeks,
                           format, level, validity_months, employer_validated, accreditation, url, achievement_id)
SELECT id, code, title, issuer, kind,
       CASE WHEN achievement_id IS NOT NULL AND hours = 0 THEN NULL ELSE hours END,
       credits, credit_unit,
       CASE WHEN achievement_id IS NOT NULL AND cost_cents = 0 THEN NULL ELSE cost_cents END,
       currency,
       CASE WHEN achievement_id IS NOT NULL AND weeks = 0 THEN NULL ELSE weeks END,
       format, level, validity_months, employer_validated, accreditation, url, achievement_id
FROM credential;

DROP TABLE credential;
ALTER TABLE credential_v5 RENAME TO credential;
CREATE UNIQUE INDEX credential_by_achievement ON credential (achievement_id) WHERE achievement_id IS NOT NULL;
