-- Credfolio schema, version 2: the badges people already hold.
-- Shipped migrations never change: add a new file v0003_… for any later change.

-- The Open Badges achievement (BadgeClass or Achievement id) a catalog
-- entry stands for: the same achievement from two files is one credential.
ALTER TABLE credential ADD COLUMN achievement_id TEXT CHECK (achievement_id IS NULL OR length(achievement_id) BETWEEN 1 AND 2000);
CREATE UNIQUE INDEX credential_by_achievement ON credential (achievement_id) WHERE achievement_id IS NOT NULL;

-- A learner's other email addresses, for badges issued to any of them.
CREATE TABLE learner_email (
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    address     TEXT NOT NULL COLLATE NOCASE CHECK (length(address) BETWEEN 3 AND 254),
    PRIMARY KEY (learner_id, address)
) STRICT, WITHOUT ROWID;
CREATE INDEX learner_email_by_address ON learner_email (address);

-- The original file of an imported badge, byte for byte, and what was
-- checked. A newer version of the same assertion adds a row: both stay.
CREATE TABLE badge_source (
    id            INTEGER PRIMARY KEY,
    award_id      INTEGER NOT NULL REFERENCES award (id) ON DELETE CASCADE,
    format        TEXT NOT NULL CHECK (format IN ('ob2-json', 'ob2-jws', 'ob2-png', 'ob2-svg', 'ob3-json', 'ob3-jwt',
                                                  'ob3-png', 'ob3-svg', 'clr-json', 'clr-jwt', 'clr-png', 'clr-svg')),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    imported_at   TEXT NOT NULL,
    verification  TEXT NOT NULL,
    recipient     TEXT NOT NULL CHECK (recipient IN ('match', 'forced', 'not checked')),
    assertion_id  TEXT,
    original      BLOB NOT NULL,
    UNIQUE (award_id, sha256)
) STRICT;
CREATE INDEX badge_source_by_assertion ON badge_source (assertion_id);
