// A JWT access token (RFC 9068) of each signing algorithm Tessera offers
// (EdDSA, ES256, RS256), verified the way an API gateway verifies it: the
// issuer URL is all it is told; OpenID discovery
// (`${issuer}/.well-known/openid-configuration`, as AWS API Gateway's JWT
// authorizers read it) gives jwks_uri, and jose's createRemoteJWKSet +
// jwtVerify check signature, issuer, audience, `typ: at+jwt` and the one
// algorithm expected. Run by tests/interop/run.sh, which sets
// TESSERA_INTEROP_*; exits non-zero at the first failed check.
import assert from 'node:assert/strict';

import * as jose from 'jose';
import * as client from 'openid-client';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run tests/interop/run.sh)`);
  return value;
};
const ISSUER = env('TESSERA_INTEROP_ISSUER');
const CLIENT_ID = env('TESSERA_INTEROP_CLIENT_ID');
const CLIENT_SECRET = env('TESSERA_INTEROP_CLIENT_SECRET');
const SHORT_CLIENT_ID = env('TESSERA_INTEROP_SHORT_CLIENT_ID');
const SHORT_CLIENT_SECRET = env('TESSERA_INTEROP_SHORT_CLIENT_SECRET');
// The API whose tokens each algorithm signs.
const APIS = {
  EdDSA: env('TESSERA_INTEROP_EDDSA_API'),
  ES256: env('TESSERA_INTEROP_ES256_API'),
  RS256: env('TESSERA_INTEROP_RS256_API'),
};
const ALGORITHMS = Object.keys(APIS);
// RFC 7518 §3.1 / RFC 8037 §3.1: what a verifier expects of each key.
const KEY_SHAPES = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519', members: ['x'] },
  ES256: { kty: 'EC', crv: 'P-256', members: ['x', 'y'] },
  RS256: { kty: 'RSA', crv: undefined, members: ['n', 'e'] },
};
// Members that only a private key has (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2).
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const steps = [];
async function step(name, body) {
  await body();
  steps.push(name);
  console.log(`ok - ${name}`);
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return true;
  });
}

async function getJson(url) {
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}: HTTP ${response.status}`);
  return response.json();
}

// OpenID discovery by openid-client (its default algorithm, 'oidc'), which
// also checks that the document's issuer is the one asked for.
function discover(clientId, clientSecret) {
  return client.discovery(new URL(ISSUER), clientId, clientSecret,
                          client.ClientSecretBasic(clientSecret),
                          { execute: [client.allowInsecureRequests] });
}

async function main() {
  let config;
  await step('OpenID discovery: the RFC 8414 document and the fields gateways read', async () => {
    config = await discover(CLIENT_ID, CLIENT_SECRET);
    const oidc = config.serverMetadata();
    assert.equal(oidc.issuer, ISSUER);
    assert.equal(oidc.jwks_uri, `${ISSUER}/.well-known/jwks.json`);
    const raw = await getJson(`${ISSUER}/.well-known/openid-configuration`);
    const rfc8414 = await getJson(`${ISSUER}/.well-known/oauth-authorization-server`);
    for (const [member, value] of Object.entries(rfc8414)) {
      assert.deepEqual(raw[member], value, `openid-configuration's ${member} differs from RFC 8414's`);
    }
    // The algorithms of every token the tenant signs, or a gateway that
    // trusts this list would refuse some of them.
    assert.deepEqual([...raw.id_token_signing_alg_values_supported].sort(), [...ALGORITHMS].sort());
    assert.ok(Array.isArray(raw.response_types_supported), 'response_types_supported');
    assert.ok(Array.isArray(raw.subject_types_supported), 'subject_types_supported');
  });

  let keys;
  await step('the JWKS: one public key per algorithm in use, none private', async () => {
    ({ keys } = await getJson(config.serverMetadata().jwks_uri));
    for (const key of keys) {
      assert.equal(typeof key.kid, 'string', `a kid: ${JSON.stringify(key)}`);
      assert.equal(key.use, 'sig');
      assert.ok(ALGORITHMS.includes(key.alg), `an algorithm in use: ${key.alg}`);
      for (const member of PRIVATE_MEMBERS) {
        assert.equal(key[member], undefined, `private member ${member} in ${key.kid}`);
      }
      const shape = KEY_SHAPES[key.alg];
      assert.equal(key.kty, shape.kty);
      assert.equal(key.crv, shape.crv);
      for (const member of shape.members) assert.equal(typeof key[member], 'string');
    }
    assert.equal(new Set(keys.map((key) => key.kid)).size, keys.length, 'kids are unique');
    assert.deepEqual([...new Set(keys.map((key) => key.alg))].sort(), [...ALGORITHMS].sort());
  });

  // Issued now, so that they have expired by the end of the other checks.
  const shortConfig = await discover(SHORT_CLIENT_ID, SHORT_CLIENT_SECRET);
  const expired = {};
  for (const alg of ALGORITHMS) {
    expired[alg] = (await client.clientCredentialsGrant(shortConfig, { resource: APIS[alg] })).access_token;
  }

  // One remote key set for every algorithm, as a gateway holds it.
  const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
  for (const alg of ALGORITHMS) {
    await step(`${alg}: jose jwtVerify accepts the token and refuses wrong expectations`, async () => {
      const api = APIS[alg];
      const tokens = await client.clientCredentialsGrant(config, { scope: 'read', resource: api });
      const jwt = tokens.access_token;
      const options = { issuer: ISSUER, audience: api, typ: 'at+jwt', algorithms: [alg] };
      const { payload, protectedHeader } = await jose.jwtVerify(jwt, jwks, options);
      assert.equal(protectedHeader.alg, alg);
      assert.equal(protectedHeader.typ, 'at+jwt');
      const key = keys.find((candidate) => candidate.kid === protectedHeader.kid);
      assert.ok(key, `kid ${protectedHeader.kid} is in the JWKS`);
      assert.equal(key.alg, alg);
      assert.equal(payload.iss, ISSUER);
      assert.equal(payload.aud, api);
      assert.equal(payload.sub, CLIENT_ID);
      assert.equal(payload.client_id, CLIENT_ID);
      assert.equal(payload.scope, 'read');
      assert.equal(payload.exp - payload.iat, 3600);
      assert.equal(typeof payload.jti, 'string');

      const others = ALGORITHMS.filter((other) => other !== alg);
      await rejectsWith(jose.jwtVerify(jwt, jwks, { ...options, algorithms: others }),
                        'ERR_JOSE_ALG_NOT_ALLOWED');
      const otherApi = APIS[others[0]];
      await rejectsWith(jose.jwtVerify(jwt, jwks, { ...options, audience: otherApi }),
                        'ERR_JWT_CLAIM_VALIDATION_FAILED');
      await rejectsWith(jose.jwtVerify(jwt, jwks, { ...options, issuer: `${ISSUER}-other` }),
                        'ERR_JWT_CLAIM_VALIDATION_FAILED');
      await rejectsWith(jose.jwtVerify(jwt, jwks, { ...options, typ: 'JWT' }),
                        'ERR_JWT_CLAIM_VALIDATION_FAILED');
      // The claims of another token under this token's signature.
      const [header, , signature] = jwt.split('.');
      const other = await client.clientCredentialsGrant(config, { scope: 'write', resource: api });
      const body = other.access_token.split('.')[1];
      await rejectsWith(jose.jwtVerify(`${header}.${body}.${signature}`, jwks, options),
                        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    });
  }

  await step('a token of 1 s, once expired, is refused for each algorithm', async () => {
    for (const alg of ALGORITHMS) {
      const { exp } = jose.decodeJwt(expired[alg]);
      const wait = (exp + 1) * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const options = { issuer: ISSUER, audience: APIS[alg], typ: 'at+jwt', algorithms: [alg] };
      await rejectsWith(jose.jwtVerify(expired[alg], jwks, options), 'ERR_JWT_EXPIRED');
    }
  });
}

try {
  await main();
  console.log(`jose through OpenID discovery, ${steps.length} steps for ${ALGORITHMS.join(', ')}: ok`);
} catch (error) {
  console.error(`jose verifier check failed after ${steps.length} steps:`, error);
  process.exit(1);
}
