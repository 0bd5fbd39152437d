-- Master-key rotation (SPEC §2, TESSERA_PREVIOUS_MASTER_KEYS; docs/
-- operations.md, "Rotating the master key"): every keyed hash and sealed
-- key records which master key made it, so that a server configured with
-- the current key and earlier ones verifies each with the key it names.
--
-- A master key gets a number the first time a server (or `tessera rekey`,
-- or `tessera admin-key create`) runs with it; only a fingerprint is kept
-- (16 bytes derived from the key with crypto_kdf, context "tskeyfp_"),
-- never the key. Rows made before this migration name no key (NULL): they
-- were all made by the one master key in use then, which is registered as
-- number 1 (the key that opens the stored signing keys).
CREATE TABLE master_keys (
  id            smallint PRIMARY KEY CHECK (id > 0),
  fingerprint   bytea NOT NULL UNIQUE CHECK (octet_length(fingerprint) = 16),
  registered_at timestamptz NOT NULL DEFAULT now()
);

-- NULL = number 1 (made before this migration, or by a server of an older
-- release, which runs with key 1: rotate only once every server runs this
-- release). Only the global admin_keys refers to master_keys by a foreign
-- key: a tenant-owned table's foreign keys lead with tenant_id (SPEC §5),
-- and tokens take none on the hot insert path. Numbers are never deleted.
ALTER TABLE client_secrets ADD COLUMN master_key smallint;
ALTER TABLE admin_keys ADD COLUMN master_key smallint REFERENCES master_keys (id);
ALTER TABLE signing_keys ADD COLUMN master_key smallint;
ALTER TABLE tokens ADD COLUMN master_key smallint;
