-- Credfolio schema version 7: a registry CTID is `registry_ctid`, as on PostgreSQL.
--
-- PostgreSQL gives every table a system column named ctid (a row's physical
-- place), so no table there may have a column of that name. The store writes
-- its SQL once for both engines; renaming the column here keeps one name in
-- that SQL. RENAME COLUMN also rewrites the CHECK constraints and indexes
-- that name it; nothing else changes.
ALTER TABLE credential RENAME COLUMN ctid TO registry_ctid;
ALTER TABLE credential_route_target RENAME COLUMN ctid TO registry_ctid;
ALTER TABLE stack RENAME COLUMN ctid TO registry_ctid;
