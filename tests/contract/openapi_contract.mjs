// docs/openapi.yaml as a checker of HTTP exchanges: is this request one the
// document describes, and is this answer one it allows for that operation
// (status listed, headers present and well-formed, body matching its
// schema)? JSON Schema 2020-12 (the dialect of OpenAPI 3.1) by Ajv.
import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
// The document's component schemas live in Ajv under this id, as $defs.
const SCHEMAS_ID = 'urn:tessera:openapi:schemas';

// A schema with its component $refs pointed at SCHEMAS_ID.
function rewriteRefs(value) {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'discriminator') {
      // Ajv's discriminator picks the oneOf branch by the property's const;
      // it refuses OpenAPI's `mapping`, which names the same branches.
      out[key] = { propertyName: item.propertyName };
    } else if (key === '$ref' && typeof item === 'string' && item.startsWith('#/components/schemas/')) {
      out[key] = `${SCHEMAS_ID}#/$defs/${item.slice('#/components/schemas/'.length)}`;
    } else {
      out[key] = rewriteRefs(item);
    }
  }
  return out;
}

// Ajv's errors as one line, the first few only.
function formatErrors(errors) {
  const shown = errors
    .slice(0, 6)
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  if (errors.length > shown.length) shown.push(`${errors.length - shown.length} more`);
  return shown.join('; ');
}

// A parameter or header value (always text on the wire) as the JSON value
// its schema describes, so that `limit=5` validates against an integer.
function coerce(text, schema) {
  const types = [].concat(schema?.type ?? []);
  if (types.includes('integer') && /^-?[0-9]+$/.test(text)) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

export class Contract {
  constructor(path) {
    this.doc = YAML.parse(fs.readFileSync(path, 'utf8'));
    this.ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, discriminator: true });
    // OpenAPI 3.1's own schema keywords, beside JSON Schema's.
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs']);
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SCHEMAS_ID, $defs: rewriteRefs(this.doc.components?.schemas ?? {}) });
    this.validators = new Map();
    this.operations = new Map();
    for (const [path, item] of Object.entries(this.doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
        const params = new Map();
        for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((x) => this.resolve(x))) {
          params.set(`${p.in}:${p.name}`, p);
        }
        this.operations.set(op.operationId, {
          id: op.operationId,
          method: method.toUpperCase(),
          path,
          params: [...params.values()],
          requestBody: op.requestBody ? this.resolve(op.requestBody) : null,
          responses: op.responses,
          secured: (op.security ?? this.doc.security ?? []).some((s) => Object.keys(s).length > 0),
        });
      }
    }
  }

  // Follows a local $ref (parameters, responses, headers, request bodies).
  resolve(node) {
    let seen = 0;
    while (node && typeof node.$ref === 'string') {
      if (!node.$ref.startsWith('#/') || ++seen > 16) throw new Error(`cannot resolve ${node.$ref}`);
      node = node.$ref
        .slice(2)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce((at, key) => at?.[key], this.doc);
      if (node === undefined) throw new Error('dangling $ref');
    }
    return node;
  }

  operation(id) {
    const op = this.operations.get(id);
    if (!op) throw new Error(`no operation ${id} in the document`);
    return op;
  }

  // Errors of `value` against `schema` (compiled once per schema object).
  check(schema, value) {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema));
      this.validators.set(schema, validate);
    }
    return validate(value) ? null : formatErrors(validate.errors);
  }

  // What the document finds wrong with a request: [] when it describes it.
  // request: {params: {name: text}, query: [[name, text]], authorization,
  //           contentType, body (text or undefined)}
  requestErrors(op, request) {
    const errors = [];
    if (op.secured && !/^bearer +\S+$/i.test(request.authorization ?? '')) {
      errors.push('no Bearer credentials (security: adminKey)');
    }
    for (const p of op.params.filter((x) => x.in === 'path')) {
      const text = request.params?.[p.name];
      if (text === undefined) {
        errors.push(`path parameter ${p.name} missing`);
        continue;
      }
      const e = this.check(p.schema, coerce(text, p.schema));
      if (e) errors.push(`path parameter ${p.name}: ${e}`);
    }
    const declared = new Map(op.params.filter((x) => x.in === 'query').map((p) => [p.name, p]));
    for (const [name, text] of request.query ?? []) {
      const p = declared.get(name);
      if (!p) {
        errors.push(`query parameter ${name} is not documented`);
        continue;
      }
      const e = this.check(p.schema, coerce(text, p.schema));
      if (e) errors.push(`query parameter ${name}: ${e}`);
    }
    for (const p of declared.values()) {
      if (p.required && !(request.query ?? []).some(([n]) => n === p.name)) errors.push(`query ${p.name} missing`);
    }
    const hasBody = request.body !== undefined && request.body.trim() !== '';
    if (!op.requestBody) {
      if (hasBody) errors.push('a body, but the operation documents none');
    } else if (!hasBody) {
      if (op.requestBody.required) errors.push('the request body is required');
    } else {
      const type = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
      const media = op.requestBody.content?.[type];
      if (!media) {
        errors.push(`request content type ${type || '(none)'} is not documented`);
      } else {
        let json;
        try {
          json = JSON.parse(request.body);
        } catch {
          errors.push('the request body is not JSON');
        }
        if (json !== undefined) {
          const e = this.check(media.schema, json);
          if (e) errors.push(`request body: ${e}`);
        }
      }
    }
    return errors;
  }

  // What the document finds wrong with an answer to `op`: [] when it allows it.
  // response: {status, headers (a fetch Headers), body (text)}
  responseErrors(op, response) {
    const documented = op.responses[String(response.status)] ?? op.responses[`${String(response.status)[0]}XX`];
    if (!documented) {
      return [`status ${response.status} is not documented for ${op.id} (${Object.keys(op.responses).join(', ')})`];
    }
    const errors = [];
    const spec = this.resolve(documented);
    for (const [name, ref] of Object.entries(spec.headers ?? {})) {
      const header = this.resolve(ref);
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) errors.push(`header ${name} missing`);
        continue;
      }
      const e = this.check(header.schema, coerce(value, header.schema));
      if (e) errors.push(`header ${name}: ${e}`);
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!spec.content) {
      if (response.body !== '') errors.push(`a body (${type}), but ${response.status} documents none`);
      return errors;
    }
    const media = spec.content[type];
    if (!media) {
      errors.push(`content type ${type || '(none)'} is not documented (${Object.keys(spec.content).join(', ')})`);
      return errors;
    }
    let value = response.body;
    if (type === 'application/json') {
      try {
        value = JSON.parse(response.body);
      } catch {
        errors.push('the body is not JSON');
        return errors;
      }
    }
    const e = this.check(media.schema, value);
    if (e) errors.push(`body: ${e}`);
    return errors;
  }
}
