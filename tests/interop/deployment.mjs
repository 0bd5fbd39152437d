// What the key-based interop checks (private_key_jwt.mjs, dpop.mjs) share:
// the deployment tests/interop/run.sh set up, as TESSERA_INTEROP_*, and how
// to speak to its admin API and report a step.
export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run tests/interop/run.sh)`);
  return value;
};
export const ISSUER = env('TESSERA_INTEROP_ISSUER');
export const SLUG = env('TESSERA_INTEROP_SLUG');
export const OPAQUE_API_ID = env('TESSERA_INTEROP_OPAQUE_API_ID');
// A second instance of the same deployment (same database and issuer).
export const SECOND_PUBLIC_URL = env('TESSERA_INTEROP_SECOND_PUBLIC_URL');
export const TOKEN_ENDPOINT = `${ISSUER}/oauth/token`;
export const SECOND_TOKEN_ENDPOINT = `${SECOND_PUBLIC_URL}/t/${SLUG}/oauth/token`;
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ADMIN_URL = env('TESSERA_INTEROP_ADMIN_URL');
const ADMIN_KEY = env('TESSERA_INTEROP_ADMIN_KEY');

// The names of the steps passed so far.
export const steps = [];

export async function step(name, body) {
  await body();
  steps.push(name);
  console.log(`ok - ${name}`);
}

export async function admin(method, path, body) {
  const response = await fetch(`${ADMIN_URL}/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

export const now = () => Math.floor(Date.now() / 1000);
