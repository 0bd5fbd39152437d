-- Signing algorithms (SPEC §3.1, §3.4): a tenant's default and an API's
-- override (NULL: inherited; the tenant's default is EdDSA), and the
-- next/active/retired rotation of keys kept once per algorithm.
--
-- Public keys are stored as the verifier needs them: Ed25519 as its 32 raw
-- bytes (as before), ES256 and RS256 as DER SubjectPublicKeyInfo. Sealed
-- private halves are libsodium's 64-byte Ed25519 key or DER PKCS#8.

ALTER TABLE tenants
  ADD COLUMN signing_alg text CHECK (signing_alg IN ('EdDSA', 'ES256', 'RS256'));

ALTER TABLE apis
  ADD COLUMN signing_alg text CHECK (signing_alg IN ('EdDSA', 'ES256', 'RS256'));

-- Every key written before this migration is an Ed25519 key.
ALTER TABLE signing_keys
  ADD COLUMN alg text NOT NULL DEFAULT 'EdDSA' CHECK (alg IN ('EdDSA', 'ES256', 'RS256'));
ALTER TABLE signing_keys ALTER COLUMN alg DROP DEFAULT;

ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_public_key_check;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_public_key_size CHECK (
  CASE alg WHEN 'EdDSA' THEN octet_length(public_key) = 32
           ELSE octet_length(public_key) BETWEEN 64 AND 2048 END);

-- One active and one next key per tenant and algorithm.
DROP INDEX signing_keys_one_active;
DROP INDEX signing_keys_one_next;
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id, alg) WHERE state = 'active';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (tenant_id, alg) WHERE state = 'next';
