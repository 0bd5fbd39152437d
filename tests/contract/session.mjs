// One run against a live server: every admin request goes through call(),
// which names the document's operation, sends it, and checks the request
// and the answer against the document. Failures are collected, not thrown,
// so one drift does not hide the next.
export class Session {
  constructor(contract, { adminUrl, publicUrl, superKey }) {
    this.contract = contract;
    this.adminUrl = adminUrl;
    this.publicUrl = publicUrl;
    this.superKey = superKey;
    this.failures = [];
    this.exchanges = 0;
    // operationId -> Set of statuses seen
    this.covered = new Map([...contract.operations.keys()].map((id) => [id, new Set()]));
  }

  fail(message) {
    this.failures.push(message);
  }

  check(condition, message) {
    if (!condition) this.fail(message);
    return condition;
  }

  // A part of the scenario: an exception (a step that could not go on, such
  // as a create that failed) fails it, and the scenario goes on.
  async section(name, body) {
    this.current = name;
    try {
      await body();
    } catch (e) {
      this.fail(`[${name}] stopped: ${e.message}`);
    }
  }

  // call(operationId, options) sends one request and validates the exchange.
  //   params  path parameters by name (sent percent-encoded)
  //   query   object or [name, value] pairs
  //   body    a value sent as JSON; raw: a body sent as is
  //   key     admin key (default: the superadmin's; null: none); auth: a
  //           literal Authorization header instead
  //   expect  the status the scenario means to get
  //   valid   true (default): the document must describe the request;
  //           false: it must refuse it (the rule the server enforces is
  //           written down); null: a rule the document cannot state
  //   note    words for the failure messages
  async call(id, { params = {}, query = [], body, raw, key = this.superKey, auth, expect, valid = true, note } = {}) {
    const op = this.contract.operation(id);
    const label = `[${this.current}] ${id}${note ? ` (${note})` : ''}`;
    const textParams = {};
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name) => {
      if (params[name] === undefined || params[name] === null) throw new Error(`${label}: no value for {${name}}`);
      textParams[name] = String(params[name]);
      return encodeURIComponent(textParams[name]);
    });
    const pairs = (Array.isArray(query) ? query : Object.entries(query)).map(([n, v]) => [n, String(v)]);
    const search = pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
    const headers = {};
    const authorization = auth !== undefined ? auth : key ? `Bearer ${key}` : undefined;
    if (authorization !== undefined && authorization !== null) headers.authorization = authorization;
    const text = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (text !== undefined) headers['content-type'] = 'application/json';

    const response = await fetch(`${this.adminUrl}${path}${search ? `?${search}` : ''}`, {
      method: op.method,
      headers,
      body: text,
    });
    const answer = await response.text();
    this.exchanges += 1;
    this.covered.get(id).add(response.status);

    const shown = answer.length > 400 ? `${answer.slice(0, 400)}…` : answer;
    if (expect !== undefined && response.status !== expect) {
      this.fail(`${label}: expected ${expect}, got ${response.status} ${shown}`);
    }
    for (const error of this.contract.responseErrors(op, { status: response.status, headers: response.headers, body: answer })) {
      this.fail(`${label}: answer ${response.status} breaks the document: ${error}`);
    }
    const requestErrors = this.contract.requestErrors(op, {
      params: textParams,
      query: pairs,
      authorization,
      contentType: headers['content-type'],
      body: text,
    });
    const success = response.status >= 200 && response.status < 300;
    if ((valid === true || success) && requestErrors.length > 0) {
      this.fail(`${label}: the document does not describe this request (answered ${response.status}): ${requestErrors.join('; ')}`);
    }
    if (valid === false && requestErrors.length === 0) {
      this.fail(`${label}: the document allows this request, which breaks a rule (answered ${response.status})`);
    }
    let json;
    if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
      try {
        json = JSON.parse(answer);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, json, text: answer, headers: response.headers };
  }

  // A token from the public port (client_secret_basic), outside the admin
  // document: the scenario needs token records to list and revoke.
  async token(slug, clientId, secret, audience) {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (audience) form.set('audience', audience);
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
    const response = await fetch(`${this.publicUrl}/t/${slug}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const answer = await response.text();
    if (response.status !== 200) throw new Error(`token for ${audience ?? 'the default API'}: ${response.status} ${answer}`);
    return JSON.parse(answer);
  }

  // Operations never exercised, and the summary lines.
  uncovered() {
    return [...this.covered].filter(([, statuses]) => statuses.size === 0).map(([id]) => id);
  }

  coverageLines() {
    const width = Math.max(...[...this.covered.keys()].map((id) => id.length));
    return [...this.covered].map(([id, statuses]) => `${id.padEnd(width)}  ${[...statuses].sort().join(' ') || '-'}`);
  }
}
