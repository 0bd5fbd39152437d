-- DPoP (RFC 9449; docs/oauth.md, "Sender-constrained tokens (DPoP)"): a
-- token request may carry a proof of a key the token is then bound to.

-- Per client: 'off' refuses proofs, 'allowed' binds the token when a proof
-- is sent, 'required' refuses a request without one. dpop_nonce: the
-- client's proofs must carry a nonce the server gave (RFC 9449 §8).
ALTER TABLE clients
  ADD COLUMN dpop text NOT NULL DEFAULT 'allowed'
    CHECK (dpop IN ('off', 'allowed', 'required')),
  ADD COLUMN dpop_nonce boolean NOT NULL DEFAULT false;

-- The RFC 7638 thumbprint of the key a token is bound to (cnf.jkt), NULL
-- for a Bearer token. No CHECK here: it would scan every stored token when
-- the column is added; the server writes only thumbprints.
ALTER TABLE tokens ADD COLUMN dpop_jkt text;

-- DPoP proofs seen (RFC 9449 §11.1: a jti is accepted once), written in the
-- same statement as the token record they obtained, like
-- client_assertion_jtis: a replay on any instance fails on this primary
-- key. Purged every minute once the proof is too old to be accepted (and
-- five minutes more, for clocks that disagree), so the table holds a few
-- minutes of proofs: the purge scans it. No index but the primary key: an
-- index on expires_at alone would break the tenant_id-first rule (SPEC §5),
-- and a BRIN index stops helping once freed space is reused out of order.
CREATE TABLE dpop_proof_jtis (
  tenant_id  bigint NOT NULL,
  client_id  text NOT NULL,
  jti        text NOT NULL CHECK (length(jti) BETWEEN 1 AND 256),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, client_id, jti)
);
