// private_key_jwt (RFC 7523 §2.2) with assertions made by jose, a library
// Tessera's code has nothing to do with: for each key algorithm a client may
// register (EdDSA, ES256, RS256), a key-only client is created through the
// admin API with jose's public JWK, and its assertions are sent to the token
// endpoint: a valid one gets a token; the same one again (on this instance
// and on a second one), an expired one, one valid for too long, a wrong
// `aud`, another key's signature, `alg: none`, HMAC keyed with the public
// key, `iss` ≠ `sub` all get 401 invalid_client; malformed requests 400.
// Run by tests/interop/run.sh, which sets TESSERA_INTEROP_*; exits non-zero
// at the first failed check.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import * as jose from 'jose';

import {
  ASSERTION_TYPE,
  ISSUER,
  OPAQUE_API_ID as API_ID,
  SECOND_TOKEN_ENDPOINT,
  SLUG,
  TOKEN_ENDPOINT,
  admin,
  now,
  step,
  steps,
} from './deployment.mjs';

async function tokenRequest(fields, endpoint = TOKEN_ENDPOINT) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...fields }),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

function withAssertion(assertion, extra = {}) {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, ...extra };
}

function assertInvalidClient(answer, why) {
  assert.equal(answer.status, 401, `${why}: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  assert.equal(answer.json.error, 'invalid_client', why);
  // Not a Basic challenge: the client did not use Basic.
  assert.equal(answer.headers.get('www-authenticate'), null, why);
}

function assertInvalidRequest(answer, why) {
  assert.equal(answer.status, 400, `${why}: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  assert.equal(answer.json.error, 'invalid_request', why);
}


// An assertion as RFC 7523 §3 describes it, signed with `key`.
function assertion(clientId, alg, key, kid, claims = {}) {
  const jwt = new jose.SignJWT({ jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg, kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(TOKEN_ENDPOINT)
    .setIssuedAt()
    .setExpirationTime(now() + 60);
  for (const [name, value] of Object.entries(claims)) {
    if (name === 'iss') jwt.setIssuer(value);
    if (name === 'sub') jwt.setSubject(value);
    if (name === 'aud') jwt.setAudience(value);
    if (name === 'exp') jwt.setExpirationTime(value);
  }
  return jwt.sign(key);
}

function unsigned(clientId) {
  const encode = (value) => jose.base64url.encode(JSON.stringify(value));
  const header = encode({ alg: 'none', typ: 'JWT' });
  const payload = encode({
    iss: clientId,
    sub: clientId,
    aud: TOKEN_ENDPOINT,
    exp: now() + 60,
    iat: now(),
    jti: randomUUID(),
  });
  return `${header}.${payload}.`;
}

await step('discovery lists private_key_jwt and the key algorithms', async () => {
  const response = await fetch(`${ISSUER}/.well-known/oauth-authorization-server`);
  const metadata = await response.json();
  assert.ok(metadata.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
  assert.deepEqual(
    [...metadata.token_endpoint_auth_signing_alg_values_supported].sort(),
    ['ES256', 'EdDSA', 'RS256'],
  );
});

const KEY_OPTIONS = {
  EdDSA: { crv: 'Ed25519', extractable: true },
  ES256: { extractable: true },
  RS256: { modulusLength: 2048, extractable: true },
};

for (const alg of Object.keys(KEY_OPTIONS)) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, KEY_OPTIONS[alg]);
  const other = await jose.generateKeyPair(alg, KEY_OPTIONS[alg]);
  const kid = `interop-${alg.toLowerCase()}`;
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
  let clientId;

  await step(`${alg}: a key-only client is created with jose's public JWK, without a secret`, async () => {
    const created = await admin('POST', `/tenants/${SLUG}/clients`, {
      name: `private_key_jwt ${alg}`,
      token_endpoint_auth_method: 'private_key_jwt',
      can_introspect: true,
      jwks: { keys: [jwk] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json.client_secret, undefined);
    assert.equal(created.json.token_endpoint_auth_method, 'private_key_jwt');
    clientId = created.json.client_id;
    const granted = await admin('PUT', `/tenants/${SLUG}/clients/${clientId}/grants/${API_ID}`, {
      scopes: ['read'],
    });
    assert.equal(granted.status, 200, JSON.stringify(granted.json));
  });

  await step(`${alg}: a valid assertion gets a token, once, on any instance`, async () => {
    const signed = await assertion(clientId, alg, privateKey, kid);
    const answer = await tokenRequest(withAssertion(signed, { scope: 'read' }));
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.equal(answer.json.token_type, 'Bearer');
    assert.equal(answer.json.scope, 'read');
    assertInvalidClient(await tokenRequest(withAssertion(signed)), 'replayed on the same instance');
    assertInvalidClient(
      await tokenRequest(withAssertion(signed), SECOND_TOKEN_ENDPOINT),
      'replayed on another instance',
    );
    // The second instance serves fresh assertions all the same.
    const fresh = await assertion(clientId, alg, privateKey, kid);
    const second = await tokenRequest(withAssertion(fresh), SECOND_TOKEN_ENDPOINT);
    assert.equal(second.status, 200, JSON.stringify(second.json));
    // The issuer is an audience as good as the token endpoint (RFC 7523 §3).
    const toIssuer = await assertion(clientId, alg, privateKey, kid, { aud: ISSUER });
    assert.equal((await tokenRequest(withAssertion(toIssuer))).status, 200);
    // client_id beside the assertion, naming the same client.
    const named = await assertion(clientId, alg, privateKey, kid);
    assert.equal((await tokenRequest(withAssertion(named, { client_id: clientId }))).status, 200);
  });

  await step(`${alg}: introspection and revocation take assertions too, each once`, async () => {
    const issued = await tokenRequest(withAssertion(await assertion(clientId, alg, privateKey, kid)));
    assert.equal(issued.status, 200, JSON.stringify(issued.json));
    const token = issued.json.access_token;
    const signed = await assertion(clientId, alg, privateKey, kid);
    const introspect = (fields) =>
      fetch(`${ISSUER}/oauth/introspect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, ...fields }),
      });
    const first = await introspect(withAssertion(signed));
    assert.equal(first.status, 200);
    const answer = await first.json();
    assert.equal(answer.active, true);
    assert.equal(answer.client_id, clientId);
    const again = await introspect(withAssertion(signed));
    assert.equal(again.status, 401, 'an introspection assertion replayed');
    assert.equal((await again.json()).error, 'invalid_client');
    const revoked = await fetch(`${ISSUER}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token,
        ...withAssertion(await assertion(clientId, alg, privateKey, kid)),
      }),
    });
    assert.equal(revoked.status, 200);
    const after = await introspect(withAssertion(await assertion(clientId, alg, privateKey, kid)));
    assert.equal((await after.json()).active, false);
  });

  await step(`${alg}: refused assertions get 401 invalid_client`, async () => {
    const cases = {
      expired: await assertion(clientId, alg, privateKey, kid, { exp: now() - 120 }),
      'valid for more than five minutes': await assertion(clientId, alg, privateKey, kid, {
        exp: now() + 900,
      }),
      'a wrong aud': await assertion(clientId, alg, privateKey, kid, {
        aud: 'https://elsewhere.example/oauth/token',
      }),
      "another key's signature": await assertion(clientId, alg, other.privateKey, kid),
      'alg none': unsigned(clientId),
      'HMAC keyed with the public key': await new jose.SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256', kid })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(TOKEN_ENDPOINT)
        .setIssuedAt()
        .setExpirationTime(now() + 60)
        .sign(new TextEncoder().encode(JSON.stringify(jwk))),
      'iss other than sub': await assertion(clientId, alg, privateKey, kid, {
        sub: 'someone-else-entirely',
      }),
      'no jti': await new jose.SignJWT({})
        .setProtectedHeader({ alg, kid })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(TOKEN_ENDPOINT)
        .setExpirationTime(now() + 60)
        .sign(privateKey),
    };
    for (const [why, signed] of Object.entries(cases)) {
      assertInvalidClient(await tokenRequest(withAssertion(signed)), why);
    }
  });

  await step(`${alg}: malformed requests get 400 invalid_request`, async () => {
    const signed = await assertion(clientId, alg, privateKey, kid);
    assertInvalidRequest(
      await tokenRequest({ client_assertion_type: 'urn:example:other', client_assertion: signed }),
      'another assertion type',
    );
    assertInvalidRequest(
      await tokenRequest({ client_assertion: signed }),
      'an assertion without its type',
    );
    assertInvalidRequest(
      await tokenRequest(withAssertion(signed, { client_secret: 'x'.repeat(43) })),
      'an assertion and a secret',
    );
    assertInvalidRequest(
      await tokenRequest(withAssertion(signed, { client_id: 'AAAAAAAAAAAAAAAAAAAAAA' })),
      'a client_id that is not the assertion issuer',
    );
  });
}

// Keys published at a jwks_uri (the server runs with
// TESSERA_ALLOW_INSECURE_JWKS_URI=1, so that it may fetch from 127.0.0.1).
{
  const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', KEY_OPTIONS.EdDSA);
  const published = { ...(await jose.exportJWK(publicKey)), kid: 'published' };
  const fetched = { '/jwks.json': 0, '/broken.json': 0 };
  const server = createServer((request, response) => {
    fetched[request.url] = (fetched[request.url] ?? 0) + 1;
    if (request.url === '/jwks.json') {
      response.writeHead(200, { 'Content-Type': 'application/jwk-set+json' });
      response.end(JSON.stringify({ keys: [published] }));
    } else {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('not a JWK Set');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const keyOnly = async (name, uri) => {
    const created = await admin('POST', `/tenants/${SLUG}/clients`, {
      name,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: uri,
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json.client_secret, undefined);
    const granted = await admin(
      'PUT',
      `/tenants/${SLUG}/clients/${created.json.client_id}/grants/${API_ID}`,
      { scopes: ['read'] },
    );
    assert.equal(granted.status, 200);
    return created.json.client_id;
  };
  try {
    await step('jwks_uri: keys published by the client verify its assertions, fetched once', async () => {
      const clientId = await keyOnly('published keys', `${base}/jwks.json`);
      for (let i = 0; i < 3; i++) {
        const signed = await assertion(clientId, 'EdDSA', privateKey, 'published');
        const answer = await tokenRequest(withAssertion(signed));
        assert.equal(answer.status, 200, JSON.stringify(answer.json));
      }
      assert.equal(fetched['/jwks.json'], 1, 'kept, not fetched per request');
    });
    await step('jwks_uri: a document that is no JWK Set gives 401, fetched once per 30 s', async () => {
      const clientId = await keyOnly('broken keys', `${base}/broken.json`);
      for (let i = 0; i < 2; i++) {
        const signed = await assertion(clientId, 'EdDSA', privateKey, 'published');
        assertInvalidClient(await tokenRequest(withAssertion(signed)), 'no keys at its jwks_uri');
      }
      assert.equal(fetched['/broken.json'], 1, 'a failed fetch is remembered');
    });
  } finally {
    server.close();
  }
}

console.log(`private_key_jwt: ${steps.length} checks passed`);
