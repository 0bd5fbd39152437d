// An nginx gateway's token check (njs 0.7, Debian's libnginx-mod-http-js),
// the target of `auth_request`: it POSTs the request's bearer token to the
// authorization server's introspection endpoint (RFC 7662 §2.1) with the
// gateway's own client credentials and answers 204 when the answer says
// `"active": true`, else 401 with an RFC 6750 §3 challenge. Any other
// trouble (the server unreachable, not 200, not JSON) is a 500, which
// auth_request turns into a 500 for the client: the gateway fails closed.
//
// The location that calls it sets $introspection_endpoint and
// $introspection_authorization (`Basic …`); on success it hands the
// token's client_id and aud on as X-Token-Client-Id and X-Token-Aud.

// RFC 6750 §2.1: b64token after "Bearer" and one or more spaces.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+\/]+=*)$/i;

function refuse(r, error) {
  // RFC 6750 §3.1: no error code when the request carried no token.
  const challenge = error ? `Bearer realm="gateway", error="${error}"` : 'Bearer realm="gateway"';
  r.headersOut['WWW-Authenticate'] = challenge;
  r.return(401);
}

async function check(r) {
  const authorization = r.headersIn.Authorization;
  if (!authorization) {
    refuse(r);
    return;
  }
  const match = BEARER.exec(authorization);
  if (!match) {
    refuse(r, 'invalid_request');
    return;
  }

  let answer;
  try {
    const reply = await ngx.fetch(r.variables.introspection_endpoint, {
      method: 'POST',
      headers: {
        Authorization: r.variables.introspection_authorization,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: `token=${encodeURIComponent(match[1])}&token_type_hint=access_token`,
    });
    if (reply.status !== 200) {
      r.error(`introspection answered HTTP ${reply.status}`);
      r.return(500);
      return;
    }
    answer = await reply.json();
  } catch (e) {
    r.error(`introspection failed: ${e}`);
    r.return(500);
    return;
  }

  // Only the boolean true counts (RFC 7662 §2.2: "active" is REQUIRED).
  if (answer.active !== true) {
    refuse(r, 'invalid_token');
    return;
  }
  r.headersOut['X-Token-Client-Id'] = String(answer.client_id);
  r.headersOut['X-Token-Aud'] = String(answer.aud);
  r.return(204);
}

export default { check };
