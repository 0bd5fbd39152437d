-- The revocation epoch (issue 17; docs/operations.md, "Restoring from a
-- backup"): every token issued before `epoch` is inactive, whatever its
-- record says. A restore from an older backup brings back as live the
-- tokens revoked after that backup; `tessera revocation-epoch set` after
-- the restore ends them all. Global, not per tenant: a restore is. One row
-- at most (no row: no epoch).
CREATE TABLE revocation_epoch (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  epoch    timestamptz NOT NULL,
  set_at   timestamptz NOT NULL DEFAULT now()
);

-- Announced like every other cached change (0003_change_notices.sql), with
-- the payload "revocation_epoch".
CREATE FUNCTION tessera_announce_revocation_epoch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tessera_changes', 'revocation_epoch');
  RETURN NULL;
END
$$;

CREATE TRIGGER revocation_epoch_announce AFTER INSERT OR UPDATE OR DELETE ON revocation_epoch
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_revocation_epoch();
CREATE TRIGGER revocation_epoch_truncate_announce AFTER TRUNCATE ON revocation_epoch
  FOR EACH STATEMENT EXECUTE FUNCTION tessera_announce_revocation_epoch();
