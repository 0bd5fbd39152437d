// Tessera as openid-client v6 and jose v6 see it: RFC 8414 discovery, the
// client_credentials grant, introspection (RFC 7662), revocation (RFC 7009)
// and verification of a JWT access token (RFC 9068) against the tenant's
// JWKS. Run by tests/interop/run.sh, which sets TESSERA_INTEROP_*; exits
// non-zero at the first failed check.
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
const OPAQUE_API = env('TESSERA_INTEROP_OPAQUE_API');
const JWT_API = env('TESSERA_INTEROP_JWT_API');

const steps = [];
async function step(name, body) {
  await body();
  steps.push(name);
  console.log(`ok - ${name}`);
}

// An RFC 8414 server over plain HTTP (not OpenID Connect): algorithm
// 'oauth2' makes openid-client read /.well-known/oauth-authorization-server.
function discover(auth) {
  return client.discovery(new URL(ISSUER), CLIENT_ID, CLIENT_SECRET, auth, {
    algorithm: 'oauth2',
    execute: [client.allowInsecureRequests],
  });
}

// jose rejects with an error of this code.
async function rejectsWith(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return true;
  });
}

async function main() {
  let config;
  await step('discovery (RFC 8414, client_secret_basic)', async () => {
    config = await discover(client.ClientSecretBasic(CLIENT_SECRET));
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, ISSUER);
    assert.equal(metadata.token_endpoint, `${ISSUER}/oauth/token`);
    assert.equal(metadata.jwks_uri, `${ISSUER}/.well-known/jwks.json`);
    assert.equal(metadata.introspection_endpoint, `${ISSUER}/oauth/introspect`);
    assert.equal(metadata.revocation_endpoint, `${ISSUER}/oauth/revoke`);
    assert.deepEqual(metadata.grant_types_supported, ['client_credentials']);
  });

  let jwt;
  await step('clientCredentialsGrant: a JWT for the resource of the JWT API', async () => {
    const tokens = await client.clientCredentialsGrant(config, { scope: 'read', resource: JWT_API });
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.expires_in, 3600);
    assert.equal(tokens.scope, 'read');
    jwt = tokens.access_token;
    assert.equal(jwt.split('.').length, 3, `a compact JWS: ${jwt}`);
  });

  await step('jose jwtVerify against createRemoteJWKSet(jwks_uri)', async () => {
    const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
    const options = { issuer: ISSUER, audience: JWT_API, typ: 'at+jwt' };
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, jwks, options);
    assert.equal(protectedHeader.alg, 'EdDSA');
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(typeof protectedHeader.kid, 'string');
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.aud, JWT_API);
    assert.equal(payload.sub, CLIENT_ID);
    assert.equal(payload.client_id, CLIENT_ID);
    assert.equal(payload.scope, 'read');
    assert.equal(payload.exp - payload.iat, 3600);
    assert.match(payload.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    // The checks are real: each wrong expectation is refused.
    await rejectsWith(jose.jwtVerify(jwt, jwks, { ...options, audience: OPAQUE_API }),
                      'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await rejectsWith(jose.jwtVerify(jwt, jwks, { ...options, issuer: `${ISSUER}-other` }),
                      'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await rejectsWith(jose.jwtVerify(jwt, jwks, { ...options, typ: 'JWT' }),
                      'ERR_JWT_CLAIM_VALIDATION_FAILED');
    const [header, body, signature] = jwt.split('.');
    const flipped = (signature[5] === 'A' ? 'B' : 'A');
    const tampered = `${header}.${body}.${signature.slice(0, 5)}${flipped}${signature.slice(6)}`;
    await rejectsWith(jose.jwtVerify(tampered, jwks, options),
                      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  await step('tokenIntrospection of the JWT', async () => {
    const answer = await client.tokenIntrospection(config, jwt);
    assert.equal(answer.active, true);
    assert.equal(answer.client_id, CLIENT_ID);
    assert.equal(answer.sub, CLIENT_ID);
    assert.equal(answer.aud, JWT_API);
    assert.equal(answer.iss, ISSUER);
    assert.equal(answer.scope, 'read');
    assert.equal(answer.token_type, 'Bearer');
    const claims = jose.decodeJwt(jwt);
    assert.equal(answer.jti, claims.jti);
    assert.equal(answer.exp, claims.exp);
  });

  let opaque;
  await step('clientCredentialsGrant: an opaque token for the default API', async () => {
    const tokens = await client.clientCredentialsGrant(config, { scope: 'read write' });
    opaque = tokens.access_token;
    assert.match(opaque, /^tsat_[A-Za-z0-9_-]+$/);
    assert.equal(tokens.scope, 'read write');
    const answer = await client.tokenIntrospection(config, opaque, { token_type_hint: 'access_token' });
    assert.equal(answer.active, true);
    assert.equal(answer.aud, OPAQUE_API);
    assert.equal(answer.scope, 'read write');
  });

  await step('tokenRevocation, then introspection says inactive', async () => {
    for (const token of [jwt, opaque]) {
      await client.tokenRevocation(config, token);
      const answer = await client.tokenIntrospection(config, token);
      assert.deepEqual({ ...answer }, { active: false });
    }
    // RFC 7009 §2.2: an unknown token is no error either.
    await client.tokenRevocation(config, 'not-a-token');
  });

  await step('client_secret_post through discovery and clientCredentialsGrant', async () => {
    const posting = await discover(client.ClientSecretPost(CLIENT_SECRET));
    const tokens = await client.clientCredentialsGrant(posting, { scope: 'write', resource: JWT_API });
    assert.equal(tokens.scope, 'write');
    const answer = await client.tokenIntrospection(posting, tokens.access_token);
    assert.equal(answer.active, true);
    assert.equal(answer.scope, 'write');
  });

  await step('a wrong secret is refused with invalid_client', async () => {
    const wrong = await client.discovery(new URL(ISSUER), CLIENT_ID, 'wrong-secret',
                                         client.ClientSecretBasic('wrong-secret'), {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
    });
    let failure;
    try {
      await client.clientCredentialsGrant(wrong, { scope: 'read' });
    } catch (error) {
      failure = error;
    }
    assert.ok(failure, 'a wrong secret was accepted');
    // The 401 carries `WWW-Authenticate: Basic realm="tessera"` (RFC 6749
    // §5.2), which openid-client reports as a challenge; the body still says
    // invalid_client.
    assert.equal(failure.code, 'OAUTH_WWW_AUTHENTICATE_CHALLENGE', `${failure.name}: ${failure.message}`);
    assert.equal(failure.status, 401);
    assert.deepEqual(failure.cause.map((challenge) => challenge.scheme), ['basic']);
    const body = await failure.response.json();
    assert.equal(body.error, 'invalid_client');
  });
}

try {
  await main();
  console.log(`openid-client ${steps.length} steps and jose: ok`);
} catch (error) {
  console.error(`openid-client / jose check failed after ${steps.length} steps:`, error);
  process.exit(1);
}
