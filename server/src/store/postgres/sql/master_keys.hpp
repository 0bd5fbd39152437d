#pragma once

// Numbered master keys (migrations/0007_master_key_versions.sql). Rows made
// before that migration name no key and count as number 1.
namespace tessera::store::postgres::sql {

// Serialises servers starting at once, so one number goes to one key.
inline constexpr const char* kLockMasterKeys = "LOCK TABLE master_keys IN SHARE ROW EXCLUSIVE MODE";
inline constexpr const char* kSelectMasterKeys =
    "SELECT id, fingerprint FROM master_keys ORDER BY id";
inline constexpr const char* kInsertMasterKey =
    "INSERT INTO master_keys (id, fingerprint) VALUES ($1, $2)";

// Any sealed signing key from before master keys were numbered: the key
// that opens it made everything of that time.
inline constexpr const char* kSelectUnnumberedSealedKey = R"(
SELECT tenant_id, kid, sealed_private_key FROM signing_keys
WHERE master_key IS NULL AND sealed_private_key IS NOT NULL
ORDER BY created_at LIMIT 1)";

// What still depends on each master key (`tessera rekey`). Only what can
// still be used counts: generated secrets not revoked or expired of clients
// not deleted, unrevoked admin keys, opaque tokens not revoked, expired or
// issued before the revocation epoch, private halves of signing keys.
inline constexpr const char* kCountSecretsByMasterKey = R"(
SELECT coalesce(s.master_key, 1), count(*) FROM client_secrets s
JOIN clients c ON c.tenant_id = s.tenant_id AND c.client_id = s.client_id
WHERE s.kind = 'generated' AND s.revoked_at IS NULL
  AND (s.expires_at IS NULL OR s.expires_at > now()) AND c.deleted_at IS NULL
GROUP BY 1)";
inline constexpr const char* kCountAdminKeysByMasterKey = R"(
SELECT coalesce(master_key, 1), count(*) FROM admin_keys WHERE revoked_at IS NULL GROUP BY 1)";
inline constexpr const char* kCountTokensByMasterKey = R"(
SELECT coalesce(master_key, 1), count(*), (extract(epoch FROM max(expires_at)) * 1000000)::bigint
FROM tokens
WHERE format = 'opaque' AND revoked_at IS NULL AND expires_at > now()
  AND issued_at >= coalesce((SELECT epoch FROM revocation_epoch), '-infinity')
GROUP BY 1)";
inline constexpr const char* kCountSigningKeysByMasterKey = R"(
SELECT coalesce(master_key, 1), count(*) FROM signing_keys
WHERE sealed_private_key IS NOT NULL GROUP BY 1)";

// Re-sealing: every private half not sealed with the current key, locked
// until the transaction ends (a rotation or retirement waits, then sees the
// new row).
inline constexpr const char* kSelectKeysToReseal = R"(
SELECT tenant_id, kid, sealed_private_key, coalesce(master_key, 1) FROM signing_keys
WHERE sealed_private_key IS NOT NULL AND coalesce(master_key, 1) <> $1
ORDER BY tenant_id, kid FOR UPDATE)";
inline constexpr const char* kUpdateSealedKey = R"(
UPDATE signing_keys SET sealed_private_key = $3, master_key = $4
WHERE tenant_id = $1 AND kid = $2)";
inline constexpr const char* kInsertRekeyAuditEvent = R"(
INSERT INTO audit_events (tenant_id, actor_key_id, action, target_type, target_id, details)
VALUES (0, NULL, 'master_key.rekey', 'master_key', $1::text,
        jsonb_build_object('resealed_signing_keys', $2::bigint)))";

}  // namespace tessera::store::postgres::sql
