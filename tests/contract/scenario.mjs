// The admin scenario: every operation of docs/openapi.yaml at least once,
// its success and its errors (400, 401, 403, 404, 409, 413, 429), in an
// order where each part leaves what the next needs in `w`. The 429 part
// comes last: once the source address is limited, a bad key is 429, not 401.
import { generateKeyPairSync } from 'node:crypto';

const NO_TENANT = 'no-such-tenant';
const UNKNOWN_CLIENT = 'AAAAAAAAAAAAAAAAAAAAAA';
const UNKNOWN_TOKEN = '00000000-0000-7000-8000-000000000000';
const WRONG_KEY = `tsk_999999_${'A'.repeat(43)}`;

export async function runScenario(s) {
  const w = {};
  const t = (slug) => ({ t: slug });

  await s.section('health', async () => {
    await s.call('getHealth', { key: null, expect: 200 });
    await s.call('getReadiness', { key: null, expect: 200 });
    const metrics = await s.call('getMetrics', { key: null, expect: 200 });
    s.check(metrics.text.includes('tessera_http_request_duration_seconds_count'), '[health] /metrics lacks tessera_http_request_duration_seconds_count');
  });

  await s.section('authentication', async () => {
    await s.call('listTenants', { key: null, expect: 401, valid: false, note: 'no Authorization' });
    await s.call('listTenants', { auth: 'Basic dXNlcjpwYXNz', expect: 401, valid: false, note: 'Basic' });
    await s.call('listTenants', { key: WRONG_KEY, expect: 401, note: 'unknown key' });
  });

  await s.section('tenants', async () => {
    const acme = await s.call('createTenant', {
      body: { slug: 'acme', name: 'Acme', domains: ['Auth.Acme.Test'], default_token_ttl: 1800 },
      expect: 201,
    });
    s.check(JSON.stringify(acme.json?.domains) === '["auth.acme.test"]', '[tenants] domains are not stored lower-case');
    const dup = await s.call('createTenant', { body: { slug: 'acme', name: 'Again' }, expect: 409, note: 'slug taken' });
    s.check(dup.json?.field === 'slug', '[tenants] a taken slug is not named in field');
    await s.call('createTenant', { body: { slug: 'other', name: 'Other', domains: ['auth.acme.test'] }, expect: 409, note: 'domain taken' });
    await s.call('createTenant', { body: { slug: 'Not A Slug', name: 'x' }, expect: 400, valid: false, note: 'bad slug' });
    const unknown = await s.call('createTenant', { body: { slug: 'colour', name: 'x', colour: 'red' }, expect: 400, valid: false, note: 'unknown field' });
    s.check(unknown.json?.field === 'colour', '[tenants] an unknown field is not named in field');
    await s.call('createTenant', { raw: '{"slug":', expect: 400, valid: false, note: 'not JSON' });
    await s.call('createTenant', { body: { slug: 'ttl', name: 'x', default_token_ttl: 0 }, expect: 400, valid: false, note: 'TTL 0' });
    await s.call('createTenant', { body: { slug: 'hs-tenant', name: 'HS', signing_alg: 'HS256' }, expect: 400, valid: false, note: 'signing_alg HS256' });
    await s.call('createTenant', { body: { slug: 'beta', name: 'Beta' }, expect: 201 });

    const first = await s.call('listTenants', { query: { limit: 1 }, expect: 200 });
    s.check(first.json?.items.length === 1 && typeof first.json.next_cursor === 'string', '[tenants] limit=1 gives no next_cursor');
    const next = await s.call('listTenants', { query: { limit: 1, cursor: first.json.next_cursor }, expect: 200, note: 'second page' });
    s.check(next.json?.items[0]?.id > first.json.items[0].id, '[tenants] the second page does not follow the first');
    await s.call('listTenants', { query: { limit: 0 }, expect: 400, valid: false, note: 'limit 0' });
    await s.call('listTenants', { query: { limit: 501 }, expect: 400, valid: false, note: 'limit 501' });
    await s.call('listTenants', { query: { cursor: 'bm9wZQ' }, expect: 400, valid: null, note: 'forged cursor' });

    await s.call('getTenant', { params: t('acme'), expect: 200 });
    await s.call('getTenant', { params: t(NO_TENANT), expect: 404 });
    await s.call('getTenant', { params: t('ac\u0001me'), expect: 400, valid: false, note: 'control character in the path' });
    const patched = await s.call('patchTenant', {
      params: t('acme'),
      body: { name: 'Acme Corp', token_format: 'opaque', default_token_ttl: null },
      expect: 200,
    });
    s.check(patched.json?.default_token_ttl === null && patched.json?.token_format === 'opaque', '[tenants] PATCH did not apply');
    await s.call('patchTenant', { params: t('acme'), body: { slug: 'acme2' }, expect: 400, valid: false, note: 'slug' });
    await s.call('patchTenant', { params: t('acme'), body: { token_format: 'paseto' }, expect: 400, valid: false, note: 'token_format' });
    await s.call('patchTenant', { params: t(NO_TENANT), body: { name: 'x' }, expect: 404 });
    await s.call('patchTenant', { params: t('beta'), body: { domains: ['auth.acme.test'] }, expect: 409, note: 'domain taken' });
  });

  await s.section('signing_alg on tenants', async () => {
    await s.call('createTenant', { body: { slug: 'es-tenant', name: 'ES tenant', signing_alg: 'ES256' }, expect: 201 });
    const es = await s.call('getTenant', { params: t('es-tenant'), expect: 200 });
    s.check(es.json?.signing_alg === 'ES256', `[signing_alg on tenants] GET shows signing_alg ${es.json?.signing_alg}`);
    const keys = await s.call('listSigningKeys', { params: t('es-tenant'), expect: 200 });
    const es256 = (keys.json?.items ?? []).filter((k) => k.alg === 'ES256').map((k) => k.state);
    s.check(es256.includes('active') && es256.includes('next'), '[signing_alg on tenants] an ES256 tenant has no active and next ES256 keys');
    const cleared = await s.call('patchTenant', { params: t('es-tenant'), body: { signing_alg: null }, expect: 200 });
    s.check(cleared.json?.signing_alg === null, '[signing_alg on tenants] PATCH null does not clear signing_alg');
  });

  await s.section('apis', async () => {
    const main = await s.call('createApi', {
      params: t('acme'),
      body: {
        identifier: 'https://api.acme.test',
        name: 'Acme API',
        scopes: [{ value: 'read', description: 'Read access' }, { value: 'write' }],
        is_default: true,
        token_ttl: 900,
      },
      expect: 201,
    });
    w.api = main.json.id;
    s.check(main.json.scopes[1]?.description === '', '[apis] an omitted description is not ""');
    const jwt = await s.call('createApi', {
      params: t('acme'),
      body: { identifier: 'https://jwt.acme.test', name: 'JWT API', scopes: [{ value: 'read' }], token_format: 'jwt' },
      expect: 201,
    });
    w.jwtApi = jwt.json.id;
    const doomed = await s.call('createApi', { params: t('acme'), body: { identifier: 'urn:acme:doomed', name: 'Doomed' }, expect: 201 });
    await s.call('createApi', { params: t('acme'), body: { identifier: 'https://api.acme.test', name: 'Again' }, expect: 409, note: 'identifier taken' });
    await s.call('createApi', { params: t('acme'), body: { identifier: 'x', name: 'y', scopes: [{ value: 'two words' }] }, expect: 400, valid: false, note: 'scope value' });
    await s.call('createApi', { params: t('acme'), body: { identifier: 'x', name: 'y', scopes: [{ value: 'a' }, { value: 'a' }] }, expect: 400, valid: null, note: 'scope twice' });
    await s.call('createApi', { params: t(NO_TENANT), body: { identifier: 'x', name: 'y' }, expect: 404 });

    const page = await s.call('listApis', { params: t('acme'), query: { limit: 2 }, expect: 200 });
    await s.call('listApis', { params: t('acme'), query: { cursor: page.json.next_cursor }, expect: 200, note: 'second page' });
    await s.call('getApi', { params: { t: 'acme', api: w.api }, expect: 200 });
    const byIdentifier = await s.call('getApi', { params: { t: 'acme', api: 'https://jwt.acme.test' }, expect: 200, note: 'by identifier' });
    s.check(byIdentifier.json?.id === w.jwtApi, '[apis] GET by identifier found another API');
    await s.call('getApi', { params: { t: 'acme', api: 999999 }, expect: 404 });
    const patched = await s.call('patchApi', {
      params: { t: 'acme', api: w.api },
      body: { scopes: [{ value: 'write' }, { value: 'read', description: 'Read access' }, { value: 'admin' }], token_ttl: null },
      expect: 200,
    });
    s.check(patched.json?.scopes.map((x) => x.value).join() === 'admin,read,write', '[apis] scopes are not sorted by value');
    await s.call('patchApi', { params: { t: 'acme', api: w.api }, body: { identifier: 'https://other.test' }, expect: 400, valid: false, note: 'identifier' });
    await s.call('patchApi', { params: { t: 'acme', api: w.api }, body: { signing_alg: 'none' }, expect: 400, valid: false, note: 'signing_alg none' });
    await s.call('patchApi', { params: { t: 'acme', api: 999999 }, body: { name: 'x' }, expect: 404 });
    await s.call('deleteApi', { params: { t: 'acme', api: doomed.json.id }, expect: 204 });
    await s.call('getApi', { params: { t: 'acme', api: doomed.json.id }, expect: 404, note: 'deleted' });
    await s.call('deleteApi', { params: { t: 'acme', api: doomed.json.id }, expect: 404, note: 'deleted' });
  });

  await s.section('clients', async () => {
    const billing = await s.call('createClient', { params: t('acme'), body: { name: 'billing', can_introspect: true }, expect: 201 });
    w.client = billing.json.client_id;
    w.secret = billing.json.client_secret;
    const secret = 'an-imported-secret-of-forty-characters!!';
    const imported = await s.call('createClient', { params: t('acme'), body: { name: 'imported', client_secret: secret }, expect: 201 });
    s.check(imported.json?.client_secret === secret, '[clients] the imported secret is not echoed');
    await s.call('createClient', { params: t('acme'), body: { name: 'short', client_secret: 'too-short' }, expect: 400, valid: false, note: 'short secret' });
    await s.call('createClient', { params: t('acme'), body: {}, expect: 400, valid: false, note: 'no name' });
    await s.call('createClient', { params: t(NO_TENANT), body: { name: 'x' }, expect: 404 });

    const page = await s.call('listClients', { params: t('acme'), query: { limit: 1 }, expect: 200 });
    await s.call('listClients', { params: t('acme'), query: { cursor: page.json.next_cursor }, expect: 200, note: 'second page' });
    await s.call('getClient', { params: { t: 'acme', c: w.client }, expect: 200 });
    await s.call('getClient', { params: { t: 'acme', c: UNKNOWN_CLIENT }, expect: 404 });
    await s.call('patchClient', { params: { t: 'acme', c: w.client }, body: { name: 'billing-service', token_ttl: 600 }, expect: 200 });
    await s.call('patchClient', { params: { t: 'acme', c: w.client }, body: { status: 'paused' }, expect: 400, valid: false, note: 'status' });
    await s.call('patchClient', { params: { t: 'acme', c: w.client }, body: { client_secret: secret }, expect: 400, valid: false, note: 'client_secret' });
    await s.call('patchClient', { params: { t: 'acme', c: UNKNOWN_CLIENT }, body: { name: 'x' }, expect: 404 });
    // DPoP settings (RFC 9449), on the client deleted below: billing asks
    // for tokens later without a proof.
    s.check(billing.json?.dpop === 'allowed' && billing.json?.dpop_nonce === false, '[clients] the DPoP defaults are not shown');
    const dpop = { t: 'acme', c: imported.json.client_id };
    const bound = await s.call('patchClient', { params: dpop, body: { dpop: 'required', dpop_nonce: true }, expect: 200, note: 'dpop' });
    s.check(bound.json?.dpop === 'required' && bound.json?.dpop_nonce === true, '[clients] the DPoP settings are not set');
    const read = await s.call('getClient', { params: dpop, expect: 200, note: 'dpop' });
    s.check(read.json?.dpop === 'required' && read.json?.dpop_nonce === true, '[clients] the DPoP settings are not read back');
    await s.call('patchClient', { params: dpop, body: { dpop: 'sometimes' }, expect: 400, valid: false, note: 'dpop' });
    await s.call('patchClient', { params: dpop, body: { dpop_nonce: 'yes' }, expect: 400, valid: false, note: 'dpop_nonce' });
    await s.call('createClient', { params: t('acme'), body: { name: 'x', dpop: null }, expect: 400, valid: false, note: 'dpop null' });
    // Custom claims, on the same client: set, read back, replaced, refused.
    s.check(JSON.stringify(billing.json?.claims) === '{}', '[clients] no claims is not shown as {}');
    const claimed = await s.call('patchClient', { params: dpop, body: { claims: { tier: 'gold', limits: { rps: 10 } } }, expect: 200, note: 'claims' });
    s.check(claimed.json?.claims?.tier === 'gold' && claimed.json?.claims?.limits?.rps === 10, '[clients] the claims are not set');
    const readClaims = await s.call('getClient', { params: dpop, expect: 200, note: 'claims' });
    s.check(readClaims.json?.claims?.tier === 'gold', '[clients] the claims are not read back');
    await s.call('patchClient', { params: dpop, body: { claims: { iss: 'https://elsewhere.test' } }, expect: 400, valid: false, note: 'reserved claim' });
    await s.call('patchClient', { params: dpop, body: { claims: ['tier'] }, expect: 400, valid: false, note: 'claims not an object' });
    await s.call('createClient', { params: t('acme'), body: { name: 'x', claims: { blob: 'x'.repeat(2100) } }, expect: 400, valid: null, note: 'claims too large' });
    await s.call('deleteClient', { params: { t: 'acme', c: imported.json.client_id }, expect: 204 });
    await s.call('getClient', { params: { t: 'acme', c: imported.json.client_id }, expect: 404, note: 'deleted' });
    await s.call('deleteClient', { params: { t: 'acme', c: imported.json.client_id }, expect: 404, note: 'deleted' });
  });

  await s.section('grants', async () => {
    const c = { t: 'acme', c: w.client };
    const grant = await s.call('putGrant', { params: { ...c, api: w.api }, body: { scopes: ['write', 'read', 'read'] }, expect: 200 });
    s.check(grant.json?.scopes.join() === 'read,write', '[grants] scopes are not merged and sorted');
    s.check(JSON.stringify(grant.json?.claims) === '{}', '[grants] no claims is not shown as {}');
    const claimed = await s.call('putGrant', { params: { ...c, api: w.api }, body: { scopes: ['read', 'write'], claims: { department: 'billing' } }, expect: 200, note: 'claims' });
    s.check(claimed.json?.claims?.department === 'billing', '[grants] the claims are not set');
    await s.call('putGrant', { params: { ...c, api: w.api }, body: { scopes: ['read'], claims: { sub: 'someone' } }, expect: 400, valid: false, note: 'reserved claim' });
    await s.call('putGrant', { params: { ...c, api: 'https://jwt.acme.test' }, body: { scopes: ['read'] }, expect: 200, note: 'by identifier' });
    await s.call('putGrant', { params: { ...c, api: w.api }, body: { scopes: ['delete'] }, expect: 400, valid: null, note: 'not a scope of the API' });
    await s.call('putGrant', { params: { ...c, api: w.api }, body: {}, expect: 400, valid: false, note: 'no scopes' });
    await s.call('putGrant', { params: { ...c, api: 999999 }, body: { scopes: [] }, expect: 404 });
    const list = await s.call('listGrants', { params: c, expect: 200 });
    s.check(list.json?.items.length === 2, '[grants] the client does not have two grants');
    s.check(list.json?.items.some((g) => g.claims?.department === 'billing'), '[grants] the claims are not read back');
    await s.call('listGrants', { params: { t: 'acme', c: UNKNOWN_CLIENT }, expect: 404 });
    await s.call('deleteGrant', { params: { ...c, api: w.jwtApi }, expect: 204 });
    await s.call('deleteGrant', { params: { ...c, api: w.jwtApi }, expect: 404, note: 'no grant' });
    await s.call('putGrant', { params: { ...c, api: w.jwtApi }, body: { scopes: ['read'] }, expect: 200, note: 'again' });
  });

  await s.section('tokens', async () => {
    await s.token('acme', w.client, w.secret);
    await s.token('acme', w.client, w.secret);
    await s.token('acme', w.client, w.secret, 'https://jwt.acme.test');
    const all = await s.call('listTokens', { params: t('acme'), expect: 200 });
    s.check(all.json?.items.length === 3, '[tokens] the list does not hold the three tokens');
    const active = await s.call('listTokens', { params: t('acme'), query: { client_id: w.client, active: true }, expect: 200, note: 'filtered' });
    s.check(active.json?.items.length === 3, '[tokens] active=true does not list the three tokens');
    const jwt = await s.call('listTokens', { params: t('acme'), query: { api: 'https://jwt.acme.test' }, expect: 200, note: 'api filter' });
    s.check(jwt.json?.items.length === 1 && jwt.json.items[0].format === 'jwt', '[tokens] api= does not select the JWT');
    const page = await s.call('listTokens', { params: t('acme'), query: { limit: 1 }, expect: 200, note: 'limit 1' });
    await s.call('listTokens', { params: t('acme'), query: { limit: 1, cursor: page.json.next_cursor }, expect: 200, note: 'second page' });
    await s.call('listTokens', { params: t('acme'), query: { active: 'maybe' }, expect: 400, valid: false, note: 'active' });
    await s.call('listTokens', { params: t('acme'), query: { api: 'https://nothing.test' }, expect: 400, valid: null, note: 'unknown api' });
    await s.call('listTokens', { params: t(NO_TENANT), expect: 404 });

    const opaque = all.json.items.find((x) => x.format === 'opaque');
    await s.call('getToken', { params: { t: 'acme', id: opaque.id }, expect: 200 });
    await s.call('getToken', { params: { t: 'acme', id: UNKNOWN_TOKEN }, expect: 404 });
    await s.call('revokeToken', { params: { t: 'acme', id: opaque.id }, expect: 204 });
    await s.call('revokeToken', { params: { t: 'acme', id: opaque.id }, expect: 204, note: 'again' });
    const revoked = await s.call('getToken', { params: { t: 'acme', id: opaque.id }, expect: 200, note: 'revoked' });
    s.check(revoked.json?.revoked_at !== null, '[tokens] a revoked token has no revoked_at');
    await s.call('revokeToken', { params: { t: 'acme', id: UNKNOWN_TOKEN }, expect: 404 });

    const one = await s.call('revokeTokens', { params: t('acme'), body: { client_id: w.client, api: w.api }, expect: 200 });
    s.check(one.json?.revoked === 1, `[tokens] bulk revoke by client and API revoked ${one.json?.revoked}, not 1`);
    const rest = await s.call('revokeTokens', { params: t('acme'), expect: 200, note: 'no body' });
    s.check(rest.json?.revoked === 1, `[tokens] bulk revoke of the rest revoked ${rest.json?.revoked}, not 1`);
    await s.call('revokeTokens', { params: t('acme'), body: { api: 'https://nothing.test' }, expect: 400, valid: null, note: 'unknown api' });
    await s.call('revokeTokens', { params: t('acme'), body: { client_id: 5 }, expect: 400, valid: false, note: 'client_id a number' });
  });

  await s.section('secrets', async () => {
    const c = { t: 'acme', c: w.client };
    const list = await s.call('listSecrets', { params: c, expect: 200 });
    const original = list.json.items[0].id;
    const last = await s.call('revokeSecret', { params: { ...c, id: original }, expect: 409, note: 'last valid secret' });
    s.check(last.json?.field === 'id', '[secrets] the 409 does not name field id');
    const rotated = await s.call('rotateSecret', { params: c, body: { grace_seconds: 3600 }, expect: 201 });
    s.check(rotated.json?.expires_at === null, '[secrets] a new secret expires');
    const after = await s.call('listSecrets', { params: c, expect: 200, note: 'after rotation' });
    s.check(after.json?.items.find((x) => x.id === original)?.expires_at !== null, '[secrets] the grace period sets no expires_at');
    await s.call('revokeSecret', { params: { ...c, id: original }, expect: 204 });
    await s.call('revokeSecret', { params: { ...c, id: 999999 }, expect: 404 });
    await s.call('rotateSecret', { params: c, body: { grace_seconds: -1 }, expect: 400, valid: false, note: 'grace -1' });
    const latest = await s.call('rotateSecret', { params: c, expect: 201, note: 'no body' });
    await s.token('acme', w.client, latest.json.client_secret);
    await s.call('listSecrets', { params: { t: 'acme', c: UNKNOWN_CLIENT }, expect: 404 });
  });

  await s.section('client keys', async () => {
    const jwk = () => generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const first = { ...jwk(), kid: 'one' };
    const signer = await s.call('createClient', {
      params: t('acme'),
      body: { name: 'signer', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [first] } },
      expect: 201,
      note: 'private_key_jwt',
    });
    s.check(signer.json && !('client_secret' in signer.json), '[client keys] a private_key_jwt client was given a secret');
    s.check(signer.json?.token_endpoint_auth_method === 'private_key_jwt', '[client keys] the auth method is not shown');
    await s.call('createClient', { params: t('acme'), body: { name: 'x', token_endpoint_auth_method: 'private_key_jwt' }, expect: 400, valid: null, note: 'private_key_jwt without keys' });
    await s.call('createClient', { params: t('acme'), body: { name: 'x', jwks: { keys: [{ ...jwk(), d: 'AAAA' }] } }, expect: 400, valid: null, note: 'private JWK' });
    await s.call('createClient', { params: t('acme'), body: { name: 'x', jwks_uri: 'http://keys.acme.test/jwks.json' }, expect: 400, valid: false, note: 'http jwks_uri' });
    const c = { t: 'acme', c: signer.json.client_id };
    await s.call('rotateSecret', { params: c, expect: 409, note: 'private_key_jwt client' });
    const list = await s.call('listClientKeys', { params: c, expect: 200 });
    s.check(list.json?.items.length === 1 && list.json.items[0].kid === 'one', '[client keys] the key given at creation is not listed');
    const added = await s.call('addClientKey', { params: c, body: jwk(), expect: 201 });
    const dup = await s.call('addClientKey', { params: c, body: first, expect: 409, note: 'same key' });
    s.check(dup.json?.field === 'thumbprint', '[client keys] the 409 does not name field thumbprint');
    await s.call('addClientKey', { params: c, body: { kty: 'oct', k: 'c2VjcmV0LXNlY3JldA' }, expect: 400, valid: null, note: 'symmetric key' });
    await s.call('addClientKey', { params: c, body: { ...jwk(), alg: 'ES256' }, expect: 400, valid: null, note: 'alg mismatch' });
    await s.call('addClientKey', { params: { t: 'acme', c: UNKNOWN_CLIENT }, body: jwk(), expect: 404 });
    await s.call('removeClientKey', { params: { ...c, id: list.json.items[0].id }, expect: 204 });
    await s.call('removeClientKey', { params: { ...c, id: added.json.id }, expect: 409, note: 'last key' });
    await s.call('removeClientKey', { params: { ...c, id: 999999 }, expect: 404 });
    await s.call('listClientKeys', { params: { t: 'acme', c: UNKNOWN_CLIENT }, expect: 404 });
    const patched = await s.call('patchClient', { params: c, body: { jwks_uri: 'https://keys.acme.test/jwks.json' }, expect: 200, note: 'jwks_uri' });
    s.check(patched.json?.jwks_uri === 'https://keys.acme.test/jwks.json', '[client keys] jwks_uri is not set');
    await s.call('removeClientKey', { params: { ...c, id: added.json.id }, expect: 204, note: 'with a jwks_uri' });
    await s.call('patchClient', { params: c, body: { jwks_uri: null }, expect: 409, note: 'jwks_uri the last source of keys' });
  });

  await s.section('signing keys', async () => {
    const keys = await s.call('listSigningKeys', { params: t('acme'), expect: 200 });
    const states = (keys.json?.items ?? []).map((k) => k.state).sort().join();
    s.check(states === 'active,next', `[signing keys] a new tenant has keys ${states}, not active and next`);
    const rotated = await s.call('rotateSigningKeys', { params: t('acme'), expect: 200 });
    s.check((rotated.json?.items ?? []).some((k) => k.state === 'retired'), '[signing keys] rotation retired no key');
    await s.call('listSigningKeys', { params: t(NO_TENANT), expect: 404 });
    await s.call('rotateSigningKeys', { params: t(NO_TENANT), expect: 404 });
  });

  await s.section('signing_alg on APIs', async () => {
    const rs = await s.call('patchApi', { params: { t: 'acme', api: w.jwtApi }, body: { signing_alg: 'RS256' }, expect: 200 });
    s.check(rs.json?.signing_alg === 'RS256', `[signing_alg on APIs] PATCH shows signing_alg ${rs.json?.signing_alg}`);
    const rotated = await s.call('rotateSigningKeys', { params: t('acme'), expect: 200, note: 'EdDSA and RS256' });
    const active = (rotated.json?.items ?? []).filter((k) => k.state === 'active').map((k) => k.alg).sort().join();
    s.check(active === 'EdDSA,RS256', `[signing_alg on APIs] active keys after rotation: ${active}, not EdDSA and RS256`);
  });

  await s.section('audit events', async () => {
    const all = await s.call('listAuditEvents', { params: t('acme'), query: { limit: 500 }, expect: 200 });
    const actions = new Set((all.json?.items ?? []).map((e) => e.action));
    for (const action of ['tenant.create', 'api.create', 'client.secret.rotate', 'grant.put', 'token.revoke_bulk']) {
      s.check(actions.has(action), `[audit events] no ${action} event`);
    }
    const since = all.json.items[Math.floor(all.json.items.length / 2)].time;
    const recent = await s.call('listAuditEvents', { params: t('acme'), query: { since }, expect: 200, note: 'since' });
    s.check(recent.json?.items.every((e) => e.time >= since), '[audit events] since= lists older events');
    await s.call('listAuditEvents', { params: t('acme'), query: { since: 'yesterday' }, expect: 400, valid: false, note: 'since' });
    const page = await s.call('listAuditEvents', { params: t('acme'), query: { limit: 2 }, expect: 200, note: 'limit 2' });
    await s.call('listAuditEvents', { params: t('acme'), query: { limit: 2, cursor: page.json.next_cursor }, expect: 200, note: 'second page' });
    await s.call('listAuditEvents', { params: t(NO_TENANT), expect: 404 });
  });

  await s.section('admin keys', async () => {
    const acmeKey = await s.call('createAdminKey', { body: { name: 'acme-ops', tenant: 'acme' }, expect: 201 });
    w.tenantKey = acmeKey.json.key;
    const root = await s.call('createAdminKey', { body: { name: 'root-2' }, expect: 201, note: 'superadmin key' });
    s.check(root.json?.tenant === null, '[admin keys] a superadmin key has a tenant');
    await s.call('deleteAdminKey', { params: { id: root.json.id }, expect: 204 });
    await s.call('deleteAdminKey', { params: { id: root.json.id }, expect: 404, note: 'revoked' });
    await s.call('listTenants', { key: root.json.key, expect: 401, note: 'revoked key' });
    await s.call('createAdminKey', { body: { name: 'x', tenant: NO_TENANT }, expect: 400, valid: null, note: 'no such tenant' });
    await s.call('createAdminKey', { body: { name: 'x', tenant: 'Bad Slug' }, expect: 400, valid: false, note: 'bad slug' });
    const all = await s.call('listAdminKeys', { expect: 200 });
    w.superKeyId = all.json.items.find((k) => k.tenant === null).id;
    const page = await s.call('listAdminKeys', { query: { limit: 1 }, expect: 200, note: 'limit 1' });
    await s.call('listAdminKeys', { query: { cursor: page.json.next_cursor }, expect: 200, note: 'second page' });
  });

  await s.section('tenant key', async () => {
    const key = w.tenantKey;
    const mine = await s.call('listAdminKeys', { key, expect: 200 });
    s.check(mine.json?.items.every((k) => k.tenant === 'acme'), "[tenant key] lists another tenant's admin keys");
    const tenants = await s.call('listTenants', { key, expect: 200 });
    s.check(tenants.json?.items.map((x) => x.slug).join() === 'acme', '[tenant key] lists other tenants');
    await s.call('createTenant', { key, body: { slug: 'mine', name: 'Mine' }, expect: 403 });
    await s.call('getTenant', { key, params: t('acme'), expect: 200 });
    await s.call('getTenant', { key, params: t('es-tenant'), expect: 404, note: 'another tenant' });
    await s.call('patchTenant', { key, params: t('acme'), body: { status: 'active' }, expect: 403, note: 'status' });
    await s.call('patchTenant', { key, params: t('acme'), body: { domains: [] }, expect: 403, note: 'domains' });
    await s.call('patchTenant', { key, params: t('acme'), body: { name: 'Acme' }, expect: 200 });
    await s.call('deleteTenant', { key, params: t('acme'), expect: 403, note: 'its own' });
    await s.call('deleteTenant', { key, params: t('es-tenant'), expect: 404, note: 'another tenant' });
    await s.call('createAdminKey', { key, body: { name: 'x' }, expect: 403, note: 'superadmin key' });
    await s.call('createAdminKey', { key, body: { name: 'x', tenant: 'es-tenant' }, expect: 403, note: 'another tenant' });
    await s.call('createAdminKey', { key, body: { name: 'acme-2', tenant: 'acme' }, expect: 201, note: 'its tenant' });
    await s.call('deleteAdminKey', { key, params: { id: w.superKeyId }, expect: 404, note: 'a superadmin key' });
    await s.call('listClients', { key, params: t('acme'), expect: 200 });
  });

  await s.section('disabled tenant', async () => {
    const beta = await s.call('createAdminKey', { body: { name: 'beta-ops', tenant: 'beta' }, expect: 201 });
    const key = beta.json.key;
    await s.call('deleteTenant', { params: t('beta'), expect: 204 });
    const disabled = await s.call('getTenant', { params: t('beta'), expect: 200, note: 'disabled' });
    s.check(disabled.json?.status === 'disabled', '[disabled tenant] DELETE does not disable');
    await s.call('getTenant', { key, params: t('beta'), expect: 403, note: "a disabled tenant's key" });
    await s.call('listTenants', { key, expect: 403, note: "a disabled tenant's key" });
    await s.call('getTenant', { key, params: t(NO_TENANT), expect: 403, note: "a disabled tenant's key, unknown tenant" });
    await s.call('patchTenant', { params: t('beta'), body: { status: 'active' }, expect: 200, note: 'enable' });
    await s.call('getTenant', { key, params: t('beta'), expect: 200, note: 'enabled again' });
    await s.call('deleteTenant', { params: t(NO_TENANT), expect: 404 });
  });

  await s.section('body limit', async () => {
    const raw = JSON.stringify({ identifier: 'urn:big', name: 'x'.repeat(70 * 1024) });
    await s.call('createApi', { params: t('acme'), raw, expect: 413, valid: false, note: 'body over 64 KiB' });
  });

  await s.section('failure limit', async () => {
    let status = 401;
    for (let i = 0; i < 150 && status === 401; i += 1) {
      ({ status } = await s.call('listTenants', { key: WRONG_KEY, note: `failure ${i + 1}` }));
    }
    s.check(status === 429, `[failure limit] 150 failed admin keys were never answered 429 (last: ${status})`);
    await s.call('listTenants', { expect: 200, note: 'a valid key while limited' });
  });
}
