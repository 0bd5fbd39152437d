-- Change notices (SPEC §5, §6): every committed change that a server
-- instance caches is announced on the channel `tessera_changes` by the
-- transaction that makes it. PostgreSQL delivers a notification when, and
-- only if, its transaction commits, and in commit order: a committed change
-- cannot go unannounced (a crash or a broken connection right after the
-- commit loses nothing), a rolled-back one is never announced, and whatever
-- writes the rows (the admin API, `tessera admin-key`, an operator's SQL)
-- announces alike. Identical payloads in one transaction arrive once.
--
-- Payloads, read by store/postgres/change_feed.cpp:
--   tenants                        a tenant or domain appeared
--   tenant:<tenant id>             the tenant, its domains, APIs or signing keys
--   client:<tenant id>:<client id> the client, its secrets or grants
--   token:<tenant id>:<token id>   one token's record (revocation)
--   tokens:<tenant id>             many of the tenant's token records

CREATE FUNCTION tessera_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    changed := OLD;
  ELSE
    changed := NEW;
  END IF;
  CASE TG_TABLE_NAME
    WHEN 'tenants' THEN
      IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('tessera_changes', 'tenants');
      ELSE
        PERFORM pg_notify('tessera_changes', 'tenant:' || changed.id);
      END IF;
    WHEN 'tenant_domains' THEN
      -- A new host name ends a remembered "no such domain".
      PERFORM pg_notify('tessera_changes', 'tenants');
      PERFORM pg_notify('tessera_changes', 'tenant:' || changed.tenant_id);
    WHEN 'apis', 'api_scopes', 'signing_keys' THEN
      PERFORM pg_notify('tessera_changes', 'tenant:' || changed.tenant_id);
    ELSE  -- clients, client_secrets, grants, grant_scopes
      PERFORM pg_notify('tessera_changes',
                        'client:' || changed.tenant_id || ':' || changed.client_id);
  END CASE;
  RETURN NULL;
END
$$;

CREATE TRIGGER tenants_announce AFTER INSERT OR UPDATE OR DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
CREATE TRIGGER tenant_domains_announce AFTER INSERT OR UPDATE OR DELETE ON tenant_domains
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
CREATE TRIGGER apis_announce AFTER INSERT OR UPDATE OR DELETE ON apis
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
CREATE TRIGGER api_scopes_announce AFTER INSERT OR UPDATE OR DELETE ON api_scopes
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
CREATE TRIGGER signing_keys_announce AFTER INSERT OR UPDATE OR DELETE ON signing_keys
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
CREATE TRIGGER clients_announce AFTER INSERT OR UPDATE OR DELETE ON clients
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
-- Not last_used_at: the token path records use in the background, and that
-- changes nothing a cache holds.
CREATE TRIGGER client_secrets_announce
  AFTER INSERT OR DELETE OR UPDATE OF kind, keyed_hash, argon2_hash, expires_at, revoked_at
  ON client_secrets
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
CREATE TRIGGER grants_announce AFTER INSERT OR UPDATE OR DELETE ON grants
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();
CREATE TRIGGER grant_scopes_announce AFTER INSERT OR UPDATE OR DELETE ON grant_scopes
  FOR EACH ROW EXECUTE FUNCTION tessera_announce_change();

-- Token records change only by revocation. One statement may revoke
-- millions (revocation by client): past a hundred rows a statement announces
-- "tokens:<tenant>" once per tenant instead of every id. A statement-level
-- trigger on the partitioned table sees the rows of every partition,
-- including weeks created later; inserts (the token path) fire nothing.
CREATE FUNCTION tessera_announce_revocations() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  revoked record;
BEGIN
  IF (SELECT count(*) FROM (SELECT 1 FROM updated_tokens LIMIT 101) AS first_rows) <= 100 THEN
    FOR revoked IN SELECT tenant_id, id FROM updated_tokens LOOP
      PERFORM pg_notify('tessera_changes', 'token:' || revoked.tenant_id || ':' || revoked.id);
    END LOOP;
  ELSE
    FOR revoked IN SELECT DISTINCT tenant_id FROM updated_tokens LOOP
      PERFORM pg_notify('tessera_changes', 'tokens:' || revoked.tenant_id);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER tokens_announce AFTER UPDATE ON tokens
  REFERENCING NEW TABLE AS updated_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION tessera_announce_revocations();
