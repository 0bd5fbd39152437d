// The checks of kubernetes_check.mjs catch what they claim to: the real
// manifests pass, and each regression below is reported. Run: node --test
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { loadDocuments, policyProblems, schemaProblems } from "./kubernetes_check.mjs";

const dir = fileURLToPath(new URL("../../deploy/kubernetes", import.meta.url));
const pristine = loadDocuments(dir);

function documents() {
  return structuredClone(pristine);
}
function find(docs, kind, name) {
  return docs.find(({ doc }) => doc.kind === kind && (!name || doc.metadata.name === name)).doc;
}
const server = (docs) => find(docs, "Deployment").spec.template.spec.containers[0];
const migrate = (docs) => find(docs, "Job").spec.template.spec.containers[0];

test("the manifests are valid and within policy", async () => {
  assert.deepEqual(await schemaProblems(pristine), []);
  assert.deepEqual(policyProblems(pristine), []);
});

test("a document that breaks the Kubernetes schema is reported", async () => {
  const docs = documents();
  server(docs).ports[0].containerPort = "eighty";
  const problems = await schemaProblems(docs);
  assert.ok(problems.some((p) => p.includes("containerPort")), problems.join("\n"));
});

const regressions = [
  ["no readiness probe", (d) => delete server(d).readinessProbe, "readinessProbe"],
  ["readiness on /healthz", (d) => (server(d).readinessProbe.httpGet.path = "/healthz"), "/readyz"],
  ["no liveness probe", (d) => delete server(d).livenessProbe, "livenessProbe"],
  ["a probe on no listener", (d) => (server(d).livenessProbe.httpGet.port = 9090), "not a listener"],
  ["root allowed", (d) => {
    delete server(d).securityContext.runAsNonRoot;
    delete find(d, "Deployment").spec.template.spec.securityContext.runAsNonRoot;
  }, "runAsNonRoot"],
  ["writable root", (d) => (server(d).securityContext.readOnlyRootFilesystem = false), "readOnlyRootFilesystem"],
  ["escalation", (d) => delete server(d).securityContext.allowPrivilegeEscalation, "allowPrivilegeEscalation"],
  ["capabilities kept", (d) => (server(d).securityContext.capabilities.drop = []), "drop ALL"],
  ["no CPU limit", (d) => delete server(d).resources.limits.cpu, "limits.cpu"],
  ["no memory limit on the Job", (d) => delete migrate(d).resources.limits.memory, "limits.memory"],
  ["grace too short", (d) => (find(d, "Deployment").spec.template.spec.terminationGracePeriodSeconds = 10), "terminationGracePeriodSeconds"],
  ["delay longer than the grace", (d) => (find(d, "ConfigMap").data.TESSERA_SHUTDOWN_DELAY = "1m"), "terminationGracePeriodSeconds"],
  ["no shutdown delay", (d) => delete find(d, "ConfigMap").data.TESSERA_SHUTDOWN_DELAY, "TESSERA_SHUTDOWN_DELAY must be set"],
  ["master key as a literal", (d) => {
    const env = server(d).env.find((e) => e.name === "TESSERA_MASTER_KEY");
    delete env.valueFrom;
    env.value = "AAAA";
  }, "TESSERA_MASTER_KEY"],
  ["database URL in the ConfigMap", (d) => (find(d, "ConfigMap").data.TESSERA_DATABASE_URL = "postgresql://x"), "belongs in a Secret"],
  ["one replica", (d) => (find(d, "Deployment").spec.replicas = 1), "replicas"],
  ["no admin Service", (d) => {
    const i = d.findIndex(({ doc }) => doc.kind === "Service" && doc.metadata.name === "tessera-admin");
    d.splice(i, 1);
  }, "admin port"],
  ["no migration Job", (d) => d.splice(d.findIndex(({ doc }) => doc.kind === "Job"), 1), "tessera migrate"],
];

for (const [name, mutate, expected] of regressions) {
  test(`reports: ${name}`, () => {
    const docs = documents();
    mutate(docs);
    const problems = policyProblems(docs);
    assert.ok(problems.some((p) => p.includes(expected)), `expected "${expected}" in:\n${problems.join("\n")}`);
  });
}
