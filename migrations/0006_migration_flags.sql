-- Upgrade compatibility (docs/operations.md, "Upgrades"): every migration is
-- additive, so a server of the previous release keeps serving on this
-- release's schema. A migration that cannot keep that promise starts with
-- the line `-- tessera: breaks-older-servers`; `tessera migrate` records the
-- mark here, so that an older `tessera serve`, which does not know the file,
-- can still read it from the database and refuse to start.

ALTER TABLE schema_migrations
  ADD COLUMN breaks_older_servers boolean NOT NULL DEFAULT false;
