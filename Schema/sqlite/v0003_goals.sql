-- Credfolio schema, version 3: a coach's workflow.
-- Shipped migrations never change: add a new file v0004_… for any later change.

-- The learner's own study pace, in hours a week.
ALTER TABLE learner ADD COLUMN pace REAL CHECK (pace IS NULL OR (pace >= 0.01 AND pace <= 168));

-- The stacks a learner aims at, each with an optional target date.
CREATE TABLE learner_goal (
    learner_id   INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    stack_id     INTEGER NOT NULL REFERENCES stack (id) ON DELETE CASCADE,
    target_date  TEXT CHECK (date(target_date) IS target_date),
    PRIMARY KEY (learner_id, stack_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX learner_goal_by_stack ON learner_goal (stack_id);
