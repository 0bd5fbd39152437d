-- Tessera's initial schema.
--
-- Every tenant-owned table carries tenant_id and it leads that table's
-- primary key, foreign keys and indexes, so the schema can be distributed by
-- tenant (Citus: create_distributed_table(..., 'tenant_id')). tenants,
-- tenant_domains and admin_keys are global lookup tables (reference tables).

CREATE TABLE tenants (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  default_token_ttl integer CHECK (default_token_ttl BETWEEN 1 AND 2592000),
  token_format      text CHECK (token_format IN ('opaque', 'jwt')),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Host names that address a tenant without the /t/{slug} prefix. Stored
-- lower-case and without a port; globally unique, as a Host can only mean one
-- tenant.
CREATE TABLE tenant_domains (
  domain     text PRIMARY KEY CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9.-]{1,253}$'),
  tenant_id  bigint NOT NULL REFERENCES tenants (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id);

-- Resource servers. Deleting one marks it (deleted_at) so token records keep
-- their reference.
CREATE TABLE apis (
  tenant_id    bigint NOT NULL REFERENCES tenants (id),
  id           bigint GENERATED ALWAYS AS IDENTITY,
  identifier   text NOT NULL CHECK (length(identifier) BETWEEN 1 AND 512),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  token_ttl    integer CHECK (token_ttl BETWEEN 1 AND 2592000),
  token_format text CHECK (token_format IN ('opaque', 'jwt')),
  is_default   boolean NOT NULL DEFAULT false,
  deleted_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX apis_identifier ON apis (tenant_id, identifier) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX apis_one_default ON apis (tenant_id) WHERE is_default AND deleted_at IS NULL;

CREATE TABLE api_scopes (
  tenant_id   bigint NOT NULL,
  api_id      bigint NOT NULL,
  value       text NOT NULL CHECK (value ~ '^[A-Za-z0-9_.:/*-]{1,128}$'),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
  PRIMARY KEY (tenant_id, api_id, value),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE clients (
  tenant_id      bigint NOT NULL REFERENCES tenants (id),
  client_id      text NOT NULL CHECK (client_id ~ '^[A-Za-z0-9_-]{16,64}$'),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  token_ttl      integer CHECK (token_ttl BETWEEN 1 AND 2592000),
  can_introspect boolean NOT NULL DEFAULT false,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  deleted_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, client_id)
);

-- A client has several secrets while one is being rotated. Generated secrets
-- (256 random bits) are stored as a keyed BLAKE2b hash; imported ones, chosen
-- by a person, as an Argon2id string. Exactly one of the two is set.
CREATE TABLE client_secrets (
  tenant_id    bigint NOT NULL,
  client_id    text NOT NULL,
  id           bigint GENERATED ALWAYS AS IDENTITY,
  kind         text NOT NULL CHECK (kind IN ('generated', 'imported')),
  keyed_hash   bytea CHECK (octet_length(keyed_hash) = 32),
  argon2_hash  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  PRIMARY KEY (tenant_id, client_id, id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, client_id),
  CHECK ((kind = 'generated' AND keyed_hash IS NOT NULL AND argon2_hash IS NULL)
      OR (kind = 'imported' AND argon2_hash IS NOT NULL AND keyed_hash IS NULL))
);

-- A grant lets a client ask for tokens for one API, with some of its scopes.
CREATE TABLE grants (
  tenant_id  bigint NOT NULL,
  client_id  text NOT NULL,
  api_id     bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, client_id, api_id),
  FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, client_id),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id)
);
CREATE INDEX grants_api ON grants (tenant_id, api_id);

-- The scopes of a grant; each must be a scope of the grant's API (removing a
-- scope from the API removes it from every grant).
CREATE TABLE grant_scopes (
  tenant_id bigint NOT NULL,
  client_id text NOT NULL,
  api_id    bigint NOT NULL,
  scope     text NOT NULL,
  PRIMARY KEY (tenant_id, client_id, api_id, scope),
  FOREIGN KEY (tenant_id, client_id, api_id) REFERENCES grants (tenant_id, client_id, api_id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, api_id, scope) REFERENCES api_scopes (tenant_id, api_id, value) ON DELETE CASCADE
);
CREATE INDEX grant_scopes_api_scope ON grant_scopes (tenant_id, api_id, scope);

-- Ed25519 signing keys: next -> active -> retired. The private half is sealed
-- with a key derived from the master key (XChaCha20-Poly1305, tenant and kid
-- as associated data) and set to NULL once every token it signed has expired.
CREATE TABLE signing_keys (
  tenant_id          bigint NOT NULL REFERENCES tenants (id),
  kid                text NOT NULL CHECK (kid ~ '^[A-Za-z0-9_-]{8,64}$'),
  state              text NOT NULL CHECK (state IN ('next', 'active', 'retired')),
  public_key         bytea NOT NULL CHECK (octet_length(public_key) = 32),
  sealed_private_key bytea,
  created_at         timestamptz NOT NULL DEFAULT now(),
  activated_at       timestamptz,
  retired_at         timestamptz,
  PRIMARY KEY (tenant_id, kid)
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id) WHERE state = 'active';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (tenant_id) WHERE state = 'next';

-- Every issued token. The id (= jti) is a UUIDv7: its first 48 bits are the
-- issue time in milliseconds, so the primary key grows at its right edge
-- (cheap inserts at 10 million rows and beyond) and the table is range-
-- partitioned by id, i.e. by issue week: expired weeks are dropped whole. An
-- opaque token carries its id, so lookup is by primary key followed by a
-- constant-time compare of token_hash (a keyed BLAKE2b of the token's secret
-- part). No foreign keys: inserts are the hot path, and clients, APIs and
-- secrets are never deleted (only marked), so the references stay valid.
CREATE TABLE tokens (
  tenant_id  bigint NOT NULL,
  id         uuid NOT NULL,
  client_id  text NOT NULL,
  secret_id  bigint,
  api_id     bigint NOT NULL,
  scope      text NOT NULL,
  format     text NOT NULL CHECK (format IN ('opaque', 'jwt')),
  token_hash bytea,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
) PARTITION BY RANGE (id);
CREATE INDEX tokens_client ON tokens (tenant_id, client_id, id);
-- Catches rows outside every weekly partition (a clock far off); kept empty
-- in normal operation so that creating a partition need not move rows.
CREATE TABLE tokens_default PARTITION OF tokens DEFAULT;

-- The smallest UUIDv7 of a given instant: the lower bound of a partition.
CREATE FUNCTION tessera_uuid7_floor(at timestamptz) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
  SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-0000-0000-000000000000')::uuid
  FROM (SELECT lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0') AS h) AS t
$$;

-- Creates the weekly token partitions (Monday 00:00 UTC to the next Monday)
-- from the week holding `from_time` for `weeks` weeks, if missing. The server
-- calls it at start and daily, so partitions exist ahead of time.
CREATE FUNCTION tessera_ensure_token_partitions(from_time timestamptz, weeks integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  week_start timestamptz := date_trunc('week', from_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  created integer := 0;
  part text;
BEGIN
  FOR i IN 0 .. weeks - 1 LOOP
    part := 'tokens_p' || to_char((week_start + i * interval '1 week') AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF tokens FOR VALUES FROM (%L) TO (%L)',
                     part,
                     tessera_uuid7_floor(week_start + i * interval '1 week'),
                     tessera_uuid7_floor(week_start + (i + 1) * interval '1 week'));
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;
SELECT tessera_ensure_token_partitions(now(), 4);

-- Admin API keys: superadmin (tenant_id NULL) or scoped to one tenant. The key
-- carries its id; only a keyed BLAKE2b hash of its secret part is stored.
CREATE TABLE admin_keys (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  tenant_id    bigint REFERENCES tenants (id),
  key_hash     bytea NOT NULL CHECK (octet_length(key_hash) = 32),
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX admin_keys_tenant ON admin_keys (tenant_id);

-- One row per admin change, written in the change's transaction. tenant_id 0
-- holds events that belong to no tenant (e.g. superadmin keys), so it has no
-- foreign key; details never hold secrets.
CREATE TABLE audit_events (
  tenant_id    bigint NOT NULL,
  id           bigint GENERATED ALWAYS AS IDENTITY,
  time         timestamptz NOT NULL DEFAULT now(),
  actor_key_id bigint,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text NOT NULL,
  details      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_time ON audit_events (tenant_id, time);
