// DPoP (RFC 9449) with proofs made by jose, a library Tessera's code has
// nothing to do with. For each algorithm a proof may be signed with (EdDSA,
// ES256, RS256): a proof binds the token (token_type DPoP; cnf.jkt, jose's
// RFC 7638 thumbprint of the key, in the JWT and in introspection); the same
// proof again, on this instance or on a second one, an old one, one from the
// future, a wrong htu or htm, a signature by another key than the proof's
// jwk, `alg: none`, HMAC keyed with the public key, a jwk with its private
// half, a wrong typ, two DPoP headers — each is 400 invalid_dpop_proof. Then the per-client
// settings (dpop off, required) and the server-nonce flow (use_dpop_nonce
// with a DPoP-Nonce header, a nonce of one instance taken by the other),
// and a private_key_jwt client that binds its tokens too.
// Run by tests/interop/run.sh, which sets TESSERA_INTEROP_*; exits non-zero
// at the first failed check.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import * as jose from 'jose';

import {
  ASSERTION_TYPE,
  ISSUER,
  OPAQUE_API_ID,
  SECOND_TOKEN_ENDPOINT,
  SLUG,
  TOKEN_ENDPOINT,
  admin,
  env,
  now,
  step,
  steps,
} from './deployment.mjs';

const JWT_API = env('TESSERA_INTEROP_JWT_API');
const JWT_API_ID = env('TESSERA_INTEROP_JWT_API_ID');

// A client with a secret, granted `read` on the opaque and the JWT API.
async function createClient(settings) {
  const created = await admin('POST', `/tenants/${SLUG}/clients`, {
    name: `DPoP ${JSON.stringify(settings)}`,
    can_introspect: true,
    ...settings,
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  for (const apiId of [OPAQUE_API_ID, JWT_API_ID]) {
    const granted = await admin('PUT', `/tenants/${SLUG}/clients/${created.json.client_id}/grants/${apiId}`, {
      scopes: ['read'],
    });
    assert.equal(granted.status, 200, JSON.stringify(granted.json));
  }
  return created.json;
}

const basic = (client) =>
  `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;

// A token request authenticated with Basic, with `proof` (or several) in DPoP.
async function tokenRequest(client, proof, { endpoint = TOKEN_ENDPOINT, fields = {} } = {}) {
  const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded' });
  if (client) headers.set('Authorization', basic(client));
  for (const value of [proof ?? []].flat()) headers.append('DPoP', value);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read', ...fields }),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

async function introspect(client, token) {
  const response = await fetch(`${ISSUER}/oauth/introspect`, {
    method: 'POST',
    headers: { Authorization: basic(client), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

function assertRefused(answer, why, error = 'invalid_dpop_proof') {
  assert.equal(answer.status, 400, `${why}: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  assert.equal(answer.json.error, error, `${why}: ${JSON.stringify(answer.json)}`);
  assert.equal(answer.headers.get('cache-control'), 'no-store', why);
}

function assertBound(answer, why) {
  assert.equal(answer.status, 200, `${why}: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  assert.equal(answer.json.token_type, 'DPoP', why);
  return answer.json.access_token;
}


// A proof as RFC 9449 §4.2 describes it, signed with `privateKey`; `header`
// and `claims` override what a well-behaved client sends.
async function proof(alg, privateKey, jwk, { header = {}, claims = {} } = {}) {
  return new jose.SignJWT({ jti: randomUUID(), htm: 'POST', htu: TOKEN_ENDPOINT, iat: now(), ...claims })
    .setProtectedHeader({ typ: 'dpop+jwt', alg, jwk, ...header })
    .sign(privateKey);
}

function unsignedProof(jwk) {
  const encode = (value) => jose.base64url.encode(JSON.stringify(value));
  const header = encode({ typ: 'dpop+jwt', alg: 'none', jwk });
  const payload = encode({ jti: randomUUID(), htm: 'POST', htu: TOKEN_ENDPOINT, iat: now() });
  return `${header}.${payload}.`;
}

const KEY_OPTIONS = {
  EdDSA: { crv: 'Ed25519', extractable: true },
  ES256: { extractable: true },
  RS256: { modulusLength: 2048, extractable: true },
};

await step('discovery lists the DPoP proof algorithms', async () => {
  const metadata = await (await fetch(`${ISSUER}/.well-known/oauth-authorization-server`)).json();
  assert.deepEqual([...metadata.dpop_signing_alg_values_supported].sort(), ['ES256', 'EdDSA', 'RS256']);
});

const client = await createClient({});

await step('a client that sends no proof still gets a Bearer token, without cnf', async () => {
  const answer = await tokenRequest(client, undefined);
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  assert.equal(answer.json.token_type, 'Bearer');
  const described = await introspect(client, answer.json.access_token);
  assert.equal(described.token_type, 'Bearer');
  assert.equal(described.cnf, undefined);
});

for (const alg of Object.keys(KEY_OPTIONS)) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, KEY_OPTIONS[alg]);
  const other = await jose.generateKeyPair(alg, KEY_OPTIONS[alg]);
  const jwk = await jose.exportJWK(publicKey);
  const jkt = await jose.calculateJwkThumbprint(jwk, 'sha256');

  await step(`${alg}: a proof binds an opaque token and a JWT to jose's key (cnf.jkt)`, async () => {
    const opaque = assertBound(await tokenRequest(client, await proof(alg, privateKey, jwk)), 'opaque');
    const described = await introspect(client, opaque);
    assert.equal(described.active, true);
    assert.equal(described.token_type, 'DPoP');
    assert.deepEqual(described.cnf, { jkt });

    const jwt = assertBound(
      await tokenRequest(client, await proof(alg, privateKey, jwk), { fields: { audience: JWT_API } }), 'JWT');
    assert.deepEqual(jose.decodeJwt(jwt).cnf, { jkt });
    assert.equal(jose.decodeProtectedHeader(jwt).typ, 'at+jwt');
    const introspected = await introspect(client, jwt);
    assert.equal(introspected.token_type, 'DPoP');
    assert.deepEqual(introspected.cnf, { jkt });
  });

  await step(`${alg}: a proof is accepted once, on any instance`, async () => {
    const signed = await proof(alg, privateKey, jwk);
    assertBound(await tokenRequest(client, signed), 'first use');
    assertRefused(await tokenRequest(client, signed), 'replayed on the same instance');
    assertRefused(
      await tokenRequest(client, signed, { endpoint: SECOND_TOKEN_ENDPOINT }),
      'replayed on another instance',
    );
    // Sent first to the second instance, then to this one.
    const fresh = await proof(alg, privateKey, jwk);
    assertBound(await tokenRequest(client, fresh, { endpoint: SECOND_TOKEN_ENDPOINT }), 'second');
    assertRefused(await tokenRequest(client, fresh), 'replayed back on the first instance');
  });

  await step(`${alg}: htu is compared normalised, without query or fragment`, async () => {
    const url = new URL(TOKEN_ENDPOINT);
    const loud = `${url.protocol.toUpperCase()}//${url.host.toUpperCase()}${url.pathname}?x=1#y`;
    assertBound(await tokenRequest(client, await proof(alg, privateKey, jwk, { claims: { htu: loud } })), 'htu');
  });

  const refusals = {
    'an iat five minutes old': () => proof(alg, privateKey, jwk, { claims: { iat: now() - 300 } }),
    'an iat five minutes ahead': () => proof(alg, privateKey, jwk, { claims: { iat: now() + 300 } }),
    'no iat': () => proof(alg, privateKey, jwk, { claims: { iat: undefined } }),
    'no jti': () => proof(alg, privateKey, jwk, { claims: { jti: undefined } }),
    'htu of another endpoint': () =>
      proof(alg, privateKey, jwk, { claims: { htu: `${ISSUER}/oauth/revoke` } }),
    'htu of another server': () =>
      proof(alg, privateKey, jwk, { claims: { htu: `https://elsewhere.test/t/${SLUG}/oauth/token` } }),
    'htm GET': () => proof(alg, privateKey, jwk, { claims: { htm: 'GET' } }),
    "another key's signature": () => proof(alg, other.privateKey, jwk),
    'alg none': async () => unsignedProof(jwk),
    'HS256 keyed with the public key': () =>
      new jose.SignJWT({ jti: randomUUID(), htm: 'POST', htu: TOKEN_ENDPOINT, iat: now() })
        .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk })
        .sign(new TextEncoder().encode(JSON.stringify(jwk))),
    'a jwk with its private half': async () =>
      proof(alg, privateKey, await jose.exportJWK(privateKey)),
    'typ JWT': () => proof(alg, privateKey, jwk, { header: { typ: 'JWT' } }),
    'no jwk': () => proof(alg, privateKey, jwk, { header: { jwk: undefined } }),
  };
  await step(`${alg}: ${Object.keys(refusals).join(', ')}: each 400 invalid_dpop_proof`, async () => {
    for (const [why, make] of Object.entries(refusals)) {
      assertRefused(await tokenRequest(client, await make()), why);
    }
  });
}

// Two DPoP header lines (fetch would join them into one): node:http sends
// each on its own.
function postWithTwoProofs(client, proofs) {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams({ grant_type: 'client_credentials' }).toString();
    const request = httpRequest(TOKEN_ENDPOINT, {
      method: 'POST',
      headers: {
        Authorization: basic(client),
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        DPoP: proofs,
      },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode, json: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
const jwk = await jose.exportJWK(publicKey);
const jkt = await jose.calculateJwkThumbprint(jwk, 'sha256');

await step('two DPoP header lines are 400 invalid_dpop_proof', async () => {
  const answer = await postWithTwoProofs(client, [
    await proof('ES256', privateKey, jwk),
    await proof('ES256', privateKey, jwk),
  ]);
  assert.equal(answer.status, 400, JSON.stringify(answer.json));
  assert.equal(answer.json.error, 'invalid_dpop_proof');
  assert.match(answer.json.error_description, /one DPoP header/);
});

await step('dpop "required": no proof is 400, a proof gets a DPoP token', async () => {
  const required = await createClient({ dpop: 'required' });
  assert.equal(required.dpop, 'required');
  assertRefused(await tokenRequest(required, undefined), 'no proof');
  assertBound(await tokenRequest(required, await proof('ES256', privateKey, jwk)), 'proof');
});

await step('dpop "off": a proof is 400, no proof gets a Bearer token', async () => {
  const off = await createClient({ dpop: 'off' });
  assertRefused(await tokenRequest(off, await proof('ES256', privateKey, jwk)), 'proof');
  const answer = await tokenRequest(off, undefined);
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  assert.equal(answer.json.token_type, 'Bearer');
});

await step('dpop_nonce: use_dpop_nonce with a DPoP-Nonce, then the nonce works on both instances', async () => {
  const strict = await createClient({ dpop_nonce: true });
  assert.equal(strict.dpop_nonce, true);
  const first = await tokenRequest(strict, await proof('ES256', privateKey, jwk));
  assertRefused(first, 'no nonce', 'use_dpop_nonce');
  const nonce = first.headers.get('dpop-nonce');
  assert.ok(nonce, 'a DPoP-Nonce header comes with use_dpop_nonce');

  const withNonce = await tokenRequest(strict, await proof('ES256', privateKey, jwk, { claims: { nonce } }));
  assertBound(withNonce, 'with the nonce');
  assert.ok(withNonce.headers.get('dpop-nonce'), 'a 200 carries the nonce to use next');
  // Stateless: the other instance takes what this one gave.
  assertBound(
    await tokenRequest(strict, await proof('ES256', privateKey, jwk, { claims: { nonce } }), {
      endpoint: SECOND_TOKEN_ENDPOINT,
    }), 'the nonce on another instance');
  assertRefused(
    await tokenRequest(strict, await proof('ES256', privateKey, jwk, { claims: { nonce: 'made-up' } })),
    'a made-up nonce',
    'use_dpop_nonce',
  );
  // A nonce is given to one client: another's is refused.
  const neighbour = await createClient({ dpop_nonce: true });
  assertRefused(
    await tokenRequest(neighbour, await proof('ES256', privateKey, jwk, { claims: { nonce } })),
    "another client's nonce",
    'use_dpop_nonce',
  );
  // A client without dpop_nonce is given none.
  const plain = await tokenRequest(client, await proof('ES256', privateKey, jwk));
  assertBound(plain, 'no nonce needed');
  assert.equal(plain.headers.get('dpop-nonce'), null, 'no nonce for a client without dpop_nonce');
});

await step('private_key_jwt and DPoP together: an assertion authenticates, a proof binds', async () => {
  const keys = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const clientJwk = { ...(await jose.exportJWK(keys.publicKey)), kid: 'dpop-pkjwt', alg: 'EdDSA' };
  const created = await admin('POST', `/tenants/${SLUG}/clients`, {
    name: 'private_key_jwt with DPoP',
    token_endpoint_auth_method: 'private_key_jwt',
    dpop: 'required',
    jwks: { keys: [clientJwk] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const clientId = created.json.client_id;
  await admin('PUT', `/tenants/${SLUG}/clients/${clientId}/grants/${OPAQUE_API_ID}`, { scopes: ['read'] });
  const assertion = await new jose.SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'dpop-pkjwt' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(TOKEN_ENDPOINT)
    .setIssuedAt()
    .setExpirationTime(now() + 60)
    .sign(keys.privateKey);
  const answer = await tokenRequest(null, await proof('ES256', privateKey, jwk), {
    fields: { client_assertion_type: ASSERTION_TYPE, client_assertion: assertion },
  });
  const token = assertBound(answer, 'assertion and proof');
  assert.deepEqual((await introspect(client, token)).cnf, { jkt });
});

console.log(`DPoP: ${steps.length} checks passed`);
