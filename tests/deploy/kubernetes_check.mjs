// Offline checks of deploy/kubernetes (no cluster needed): every YAML
// document is validated against the Kubernetes API schemas
// (kubernetes-models' generated classes), then against Tessera's deployment
// policy: probes on the listener that answers them, non-root, read-only root
// file system, no privilege escalation, no capabilities, seccomp, resource
// requests and limits, secrets by reference only, and a grace period longer
// than the shutdown delay plus the drain. Run: node kubernetes_check.mjs [dir]
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

// How long `tessera serve` waits for requests in flight after it stops
// accepting (serve_command.cpp, wait_idle per listener).
export const IN_FLIGHT_DRAIN_SECONDS = 10;
const SECRET_VARIABLES = ["TESSERA_MASTER_KEY", "TESSERA_DATABASE_URL"];

export function loadDocuments(dir) {
  const documents = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const parsed of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      if (parsed.errors.length > 0) {
        throw new Error(`${file}: ${parsed.errors.map((e) => e.message).join("; ")}`);
      }
      const doc = parsed.toJS();
      if (doc !== null && doc !== undefined) documents.push({ file, doc });
    }
  }
  return documents;
}

// The kubernetes-models class of an apiVersion and kind ("apps/v1" and
// "Deployment" → kubernetes-models/apps/v1/Deployment).
async function modelClass(apiVersion, kind) {
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

export async function schemaProblems(documents) {
  const problems = [];
  for (const { file, doc } of documents) {
    const where = `${file}: ${doc?.kind}/${doc?.metadata?.name}`;
    const Model = await modelClass(doc?.apiVersion, doc?.kind);
    if (!Model) {
      problems.push(`${where}: no schema for ${doc?.apiVersion} ${doc?.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
  }
  return problems;
}

// "5s", "2m" (TESSERA_* duration syntax) in seconds; undefined if invalid.
export function durationSeconds(text) {
  const match = /^(\d+)([smhd])$/.exec(String(text ?? ""));
  if (!match) return undefined;
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2]];
}

function portOf(address) {
  const match = /:(\d+)$/.exec(String(address ?? ""));
  return match ? Number(match[1]) : undefined;
}

// A container's effective environment: its ConfigMaps (envFrom), then env.
function environment(container, configMaps) {
  const env = {};
  for (const source of container.envFrom ?? []) {
    const data = configMaps.get(source.configMapRef?.name) ?? {};
    Object.assign(env, data);
  }
  for (const variable of container.env ?? []) env[variable.name] = variable;
  return env;
}

function containerPort(container, port) {
  return (container.ports ?? []).find((p) => p.name === port || p.containerPort === port)
    ?.containerPort;
}

function securityProblems(where, podSpec, container) {
  const problems = [];
  const pod = podSpec.securityContext ?? {};
  const own = container.securityContext ?? {};
  const runAsNonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
  if (runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot must be true`);
  const user = own.runAsUser ?? pod.runAsUser;
  if (user === 0) problems.push(`${where}: runAsUser must not be 0`);
  if (own.readOnlyRootFilesystem !== true) {
    problems.push(`${where}: readOnlyRootFilesystem must be true`);
  }
  if (own.allowPrivilegeEscalation !== false) {
    problems.push(`${where}: allowPrivilegeEscalation must be false`);
  }
  if (own.privileged === true) problems.push(`${where}: must not be privileged`);
  if (!(own.capabilities?.drop ?? []).includes("ALL")) {
    problems.push(`${where}: capabilities must drop ALL`);
  }
  if ((own.capabilities?.add ?? []).length > 0) {
    problems.push(`${where}: must add no capabilities`);
  }
  const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
  if (seccomp !== "RuntimeDefault") problems.push(`${where}: seccompProfile must be RuntimeDefault`);
  for (const kind of ["requests", "limits"]) {
    for (const resource of ["cpu", "memory"]) {
      if (container.resources?.[kind]?.[resource] === undefined) {
        problems.push(`${where}: resources.${kind}.${resource} must be set`);
      }
    }
  }
  return problems;
}

function secretProblems(where, env, required) {
  const problems = [];
  for (const name of required) {
    const variable = env[name];
    if (!variable?.valueFrom?.secretKeyRef?.name || !variable.valueFrom.secretKeyRef.key) {
      problems.push(`${where}: ${name} must come from a Secret (secretKeyRef)`);
    }
  }
  for (const name of SECRET_VARIABLES) {
    if (typeof env[name] === "string" || env[name]?.value !== undefined) {
      problems.push(`${where}: ${name} must not be a literal value`);
    }
  }
  return problems;
}

function probeProblems(where, container, probe, path, ports) {
  const get = container[probe]?.httpGet;
  if (!get) return [`${where}: ${probe} (httpGet ${path}) is missing`];
  const problems = [];
  if (get.path !== path) problems.push(`${where}: ${probe} must GET ${path}, not ${get.path}`);
  const port = containerPort(container, get.port);
  if (!ports.includes(port)) {
    problems.push(`${where}: ${probe} port ${get.port} is not a listener (${ports.join(", ")})`);
  }
  return problems;
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

export function policyProblems(documents) {
  const problems = [];
  const of = (kind) => documents.filter(({ doc }) => doc.kind === kind);
  const configMaps = new Map(of("ConfigMap").map(({ doc }) => [doc.metadata.name, doc.data ?? {}]));

  for (const { file, doc } of of("Secret")) {
    if (doc.data || doc.stringData) {
      problems.push(`${file}: Secret/${doc.metadata?.name} holds values: reference secrets only`);
    }
  }
  for (const [name, data] of configMaps) {
    for (const secret of SECRET_VARIABLES) {
      if (secret in data) problems.push(`ConfigMap/${name}: ${secret} belongs in a Secret`);
    }
  }

  const deployments = of("Deployment");
  if (deployments.length !== 1) problems.push(`expected one Deployment, found ${deployments.length}`);
  const listenerPorts = { public: undefined, admin: undefined };
  for (const { file, doc } of deployments) {
    const where = `${file}: Deployment/${doc.metadata?.name}`;
    const spec = doc.spec ?? {};
    const podSpec = spec.template?.spec ?? {};
    if (!(spec.replicas >= 2)) problems.push(`${where}: replicas must be at least 2`);
    if (spec.strategy?.rollingUpdate?.maxUnavailable !== 0) {
      problems.push(`${where}: rollingUpdate.maxUnavailable must be 0`);
    }
    const containers = podSpec.containers ?? [];
    const server = containers.find((c) => (c.args ?? []).includes("serve"));
    if (!server) {
      problems.push(`${where}: no container runs \`tessera serve\``);
      continue;
    }
    const env = environment(server, configMaps);
    const value = (name) => (typeof env[name] === "string" ? env[name] : env[name]?.value);
    listenerPorts.public = portOf(value("TESSERA_PUBLIC_ADDR") ?? "0.0.0.0:8080");
    listenerPorts.admin = portOf(value("TESSERA_ADMIN_ADDR") ?? "127.0.0.1:8081");
    const delayText = value("TESSERA_SHUTDOWN_DELAY") ?? "0s";
    const delay = delayText === "0s" ? 0 : durationSeconds(delayText);
    if (delay === undefined) problems.push(`${where}: TESSERA_SHUTDOWN_DELAY '${delayText}' is invalid`);
    if (!(delay > 0)) {
      problems.push(`${where}: TESSERA_SHUTDOWN_DELAY must be set, so endpoints drop a pod before it stops`);
    }
    const grace = podSpec.terminationGracePeriodSeconds ?? 30;
    if (!(grace > (delay ?? 0) + IN_FLIGHT_DRAIN_SECONDS)) {
      problems.push(
        `${where}: terminationGracePeriodSeconds (${grace}) must exceed TESSERA_SHUTDOWN_DELAY ` +
          `(${delay} s) + the in-flight drain (${IN_FLIGHT_DRAIN_SECONDS} s)`,
      );
    }
    const ports = [listenerPorts.public, listenerPorts.admin];
    problems.push(...probeProblems(where, server, "readinessProbe", "/readyz", ports));
    problems.push(...probeProblems(where, server, "livenessProbe", "/healthz", ports));
    const readiness = server.readinessProbe ?? {};
    const notices = (readiness.periodSeconds ?? 10) * (readiness.failureThreshold ?? 3);
    if (delay > 0 && notices > delay) {
      problems.push(
        `${where}: the readiness probe notices /readyz 503 after up to ${notices} s, ` +
          `longer than TESSERA_SHUTDOWN_DELAY (${delay} s)`,
      );
    }
    for (const port of ports) {
      if (!(server.ports ?? []).some((p) => p.containerPort === port)) {
        problems.push(`${where}: listener port ${port} is not a containerPort`);
      }
    }
    problems.push(...secretProblems(where, env, SECRET_VARIABLES));
    for (const container of [...containers, ...(podSpec.initContainers ?? [])]) {
      problems.push(...securityProblems(`${where} container ${container.name}`, podSpec, container));
    }

    const podLabels = spec.template?.metadata?.labels;
    const services = of("Service").filter(({ doc: s }) => matches(s.spec?.selector, podLabels));
    for (const [listener, port] of Object.entries(listenerPorts)) {
      const served = services.some(({ doc: s }) =>
        (s.spec?.ports ?? []).some((p) => containerPort(server, p.targetPort ?? p.port) === port),
      );
      if (!served) problems.push(`no Service selects the pods for the ${listener} port ${port}`);
    }
  }

  const jobs = of("Job").filter(({ doc }) =>
    (doc.spec?.template?.spec?.containers ?? []).some((c) => (c.args ?? []).includes("migrate")),
  );
  if (jobs.length !== 1) problems.push(`expected one Job running \`tessera migrate\`, found ${jobs.length}`);
  for (const { file, doc } of jobs) {
    const where = `${file}: Job/${doc.metadata?.name}`;
    const podSpec = doc.spec?.template?.spec ?? {};
    for (const container of podSpec.containers ?? []) {
      const env = environment(container, configMaps);
      problems.push(...secretProblems(where, env, ["TESSERA_DATABASE_URL"]));
      problems.push(...securityProblems(`${where} container ${container.name}`, podSpec, container));
    }
  }
  return problems;
}

export async function check(dir) {
  const documents = loadDocuments(dir);
  return [...(await schemaProblems(documents)), ...policyProblems(documents)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const dir = resolve(process.argv[2] ?? join(here, "../../deploy/kubernetes"));
  const documents = loadDocuments(dir);
  const problems = [...(await schemaProblems(documents)), ...policyProblems(documents)];
  for (const problem of problems) console.error(`deploy/kubernetes: ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log(`deploy/kubernetes: ${documents.length} documents valid and within policy`);
}
