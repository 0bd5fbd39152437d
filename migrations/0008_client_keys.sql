-- private_key_jwt (RFC 7523 §2.2, RFC 7521; docs/oauth.md, "Keys instead of
-- secrets"): a client may authenticate with a signed assertion instead of,
-- or beside, a secret.

-- 'client_secret_basic': the client has secrets (Basic or body, as before)
-- and may also have keys; 'private_key_jwt': keys only, never a secret.
ALTER TABLE clients
  ADD COLUMN token_endpoint_auth_method text NOT NULL DEFAULT 'client_secret_basic'
    CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'private_key_jwt'));
-- Where the client publishes its keys (a JWK Set), fetched and cached by
-- the server; beside or instead of keys registered here.
ALTER TABLE clients
  ADD COLUMN jwks_uri text CHECK (jwks_uri ~ '^https?://' AND length(jwks_uri) <= 2048);

-- A client's public keys (JWK, public members only), by RFC 7638
-- thumbprint. Announced like the client's other rows (the trigger's
-- default branch: client:<tenant id>:<client id>).
CREATE TABLE client_keys (
  tenant_id  bigint NOT NULL,
  client_id  text NOT NULL,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  kid        text CHECK (length(kid) BETWEEN 1 AND 256),
  alg        text NOT NULL CHECK (alg IN ('EdDSA', 'ES256', 'RS256')),
  thumbprint text NOT NULL CHECK (thumbprint ~ '^[A-Za-z0-9_-]{43}$'),
  jwk        jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, client_id, id),
  UNIQUE (tenant_id, client_id, thumbprint),
  FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, client_id)
);
CREATE TRIGGER client_keys_announce AFTER INSERT OR UPDATE OR DELETE ON client_keys
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();

-- Client assertions seen (RFC 7523 §3: a jti is accepted once): written in
-- the same statement as the token record they obtained (the token batch),
-- so a replay on any instance fails on this primary key. Rows are purged
-- every minute once the assertion has expired, so the table holds a few
-- minutes of assertions: the purge scans it, and no index but the primary
-- key slows the inserts on the token path.
CREATE TABLE client_assertion_jtis (
  tenant_id  bigint NOT NULL,
  client_id  text NOT NULL,
  jti        text NOT NULL CHECK (length(jti) BETWEEN 1 AND 256),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, client_id, jti)
);
