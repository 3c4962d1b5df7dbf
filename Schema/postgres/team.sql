-- Credfolio's team roles and row-level security on PostgreSQL, run by `credfolio team init` in one
-- transaction, after the migrations, by a role that may create roles and owns the database (or a
-- superuser). Running it again changes nothing that is already so. Not a migration: roles belong to
-- the whole server, and only a database that a team shares needs them.
--
--   credfolio_owner   owns the tables; no one logs in as it. Owners are not held to row-level
--                     security, so no coach may be one.
--   credfolio_admin   reads and writes everything, through policies that admit every row.
--   credfolio_coach   reads and writes learners, awards and all that hangs from a learner in the
--                     cohorts granted to it (credfolio team grant); reads the catalog and stacks.
--   credfolio_viewer  reads the cohorts granted to it, and the catalog; writes nothing.
--
-- People log in as roles of their own, members of one of the last three: the server, not credfolio,
-- then holds each of them to these rules, through credfolio or psql alike. No role here has BYPASSRLS.

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['credfolio_owner', 'credfolio_admin', 'credfolio_coach', 'credfolio_viewer'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOBYPASSRLS', name);
            EXCEPTION WHEN duplicate_object THEN
                NULL;  -- made meanwhile by a team init on another database of the server
            END;
        END IF;
    END LOOP;
END
$$;

-- Whoever runs this may hand the tables to the owner role (PostgreSQL asks that of a non-superuser).
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'credfolio_owner', 'MEMBER') THEN
        EXECUTE format('GRANT credfolio_owner TO %I', current_user);
    END IF;
END
$$;

-- Which role sees which cohort: a row a grant. A grant to a group role reaches its members.
CREATE TABLE IF NOT EXISTS credfolio_cohort_grant (
    role    text COLLATE "C" NOT NULL CHECK (length(role) BETWEEN 1 AND 63),
    cohort  text COLLATE "C" NOT NULL CHECK (length(cohort) > 0),
    PRIMARY KEY (role, cohort)
);

-- The cohorts granted to the current role, directly or through a role it belongs to.
CREATE OR REPLACE FUNCTION credfolio_cohorts() RETURNS SETOF text
LANGUAGE sql STABLE AS $$
    SELECT g.cohort FROM credfolio_cohort_grant g JOIN pg_roles r ON r.rolname = g.role
    WHERE pg_has_role(current_user, r.oid, 'MEMBER')
$$;

ALTER TABLE learner OWNER TO credfolio_owner;
ALTER TABLE skill OWNER TO credfolio_owner;
ALTER TABLE credential OWNER TO credfolio_owner;
ALTER TABLE credential_skill OWNER TO credfolio_owner;
ALTER TABLE credential_occupation OWNER TO credfolio_owner;
ALTER TABLE credential_route OWNER TO credfolio_owner;
ALTER TABLE credential_route_target OWNER TO credfolio_owner;
ALTER TABLE award OWNER TO credfolio_owner;
ALTER TABLE badge_source OWNER TO credfolio_owner;
ALTER TABLE stack OWNER TO credfolio_owner;
ALTER TABLE stack_credential OWNER TO credfolio_owner;
ALTER TABLE stack_skill OWNER TO credfolio_owner;
ALTER TABLE stack_child OWNER TO credfolio_owner;
ALTER TABLE learner_email OWNER TO credfolio_owner;
ALTER TABLE learner_goal OWNER TO credfolio_owner;
ALTER TABLE issuer_key OWNER TO credfolio_owner;
ALTER TABLE credfolio_migration OWNER TO credfolio_owner;
ALTER TABLE credfolio_cohort_grant OWNER TO credfolio_owner;
ALTER FUNCTION credfolio_cohorts() OWNER TO credfolio_owner;

-- Everyone of the team reads the catalog, the stacks, the schema's version and the grants.
GRANT SELECT ON skill, credential, credential_skill, credential_occupation, credential_route, credential_route_target,
    stack, stack_credential, stack_skill, stack_child, issuer_key, credfolio_migration, credfolio_cohort_grant,
    learner, award, badge_source, learner_email, learner_goal
    TO credfolio_admin, credfolio_coach, credfolio_viewer;
-- Admins write everything but the migration log; coaches write what hangs from a learner.
GRANT INSERT, UPDATE, DELETE ON skill, credential, credential_skill, credential_occupation, credential_route,
    credential_route_target, stack, stack_credential, stack_skill, stack_child, issuer_key, credfolio_cohort_grant,
    learner, award, badge_source, learner_email, learner_goal
    TO credfolio_admin;
GRANT INSERT, UPDATE, DELETE ON learner, award, badge_source, learner_email, learner_goal TO credfolio_coach;

-- Row-level security on learners and everything that hangs from one. A row of a learner the role
-- cannot see is, to it, a row that is not there: no query, credfolio's or its own, tells them apart.
ALTER TABLE learner ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS credfolio_every_row ON learner;
CREATE POLICY credfolio_every_row ON learner TO credfolio_admin USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS credfolio_granted_cohorts ON learner;
CREATE POLICY credfolio_granted_cohorts ON learner TO credfolio_coach, credfolio_viewer
    USING (cohort IN (SELECT credfolio_cohorts()));

-- What hangs from a learner is seen with the learner: a row whose learner (or award) the role cannot
-- see, through the policies above, is not there for it either.
DO $$
DECLARE
    hanging text[];
BEGIN
    FOREACH hanging SLICE 1 IN ARRAY ARRAY[['award', 'learner_id', 'learner'], ['learner_email', 'learner_id', 'learner'],
                                           ['learner_goal', 'learner_id', 'learner'], ['badge_source', 'award_id', 'award']] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', hanging[1]);
        EXECUTE format('DROP POLICY IF EXISTS credfolio_every_row ON %I', hanging[1]);
        EXECUTE format('CREATE POLICY credfolio_every_row ON %I TO credfolio_admin USING (true) WITH CHECK (true)', hanging[1]);
        EXECUTE format('DROP POLICY IF EXISTS credfolio_granted_cohorts ON %I', hanging[1]);
        EXECUTE format('CREATE POLICY credfolio_granted_cohorts ON %I TO credfolio_coach, credfolio_viewer USING (%I IN (SELECT id FROM %I))',
                       hanging[1], hanging[2], hanging[3]);
    END LOOP;
END
$$;
