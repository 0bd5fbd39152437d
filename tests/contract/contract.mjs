// node contract.mjs — checks docs/openapi.yaml against a running Tessera
// (tests/contract/run.sh starts one and sets the variables below). Runs the
// admin scenario, validates every request and answer against the document,
// and fails on any drift, on an answer whose status the document does not
// list for its operation, and on an operation the scenario never reached.
//
//   TESSERA_CONTRACT_OPENAPI     the document (default: ../../docs/openapi.yaml)
//   TESSERA_CONTRACT_ADMIN_URL   http://127.0.0.1:<admin port>
//   TESSERA_CONTRACT_PUBLIC_URL  http://127.0.0.1:<public port>
//   TESSERA_CONTRACT_ADMIN_KEY   a superadmin key
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contract } from './openapi_contract.mjs';
import { runScenario } from './scenario.mjs';
import { Session } from './session.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line) => process.stderr.write(`contract: ${line}\n`);

function required(name) {
  const value = process.env[name];
  if (!value) {
    log(`${name} is not set (tests/contract/run.sh sets it)`);
    process.exit(2);
  }
  return value;
}

const document = process.env.TESSERA_CONTRACT_OPENAPI || path.join(here, '../../docs/openapi.yaml');
const session = new Session(new Contract(document), {
  adminUrl: required('TESSERA_CONTRACT_ADMIN_URL'),
  publicUrl: required('TESSERA_CONTRACT_PUBLIC_URL'),
  superKey: required('TESSERA_CONTRACT_ADMIN_KEY'),
});

const started = performance.now();
await runScenario(session);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

for (const missing of session.uncovered()) session.fail(`operation ${missing} was never exercised`);
const operations = session.covered.size;
log(`document: ${path.relative(process.cwd(), document) || document}`);
log('statuses seen per operation:');
for (const line of session.coverageLines()) log(`  ${line}`);
log(`operations covered: ${operations - session.uncovered().length}/${operations}`);
log(`exchanges validated: ${session.exchanges} in ${seconds} s`);
if (session.failures.length > 0) {
  log(`FAILED: ${session.failures.length} check(s):`);
  for (const failure of session.failures) log(`  - ${failure}`);
  process.exit(1);
}
log('every exchange matches the document');
