// Shared by the operator's tests against the real control plane (scripts/k8s/control-plane.sh).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { connectKube, FIELD_MANAGER, type Kube } from './kube.js';
import { operatorRules } from './rbac.js';
import { GROUP, PLURAL, VERSION, type MessengerPlatform } from './spec.js';

export const root = join(__dirname, '../../..');
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:59092';

/** Starts the control plane when it is not running (a no-op then) and returns the admin kubeconfig. */
export function controlPlane(): KubeConfig {
  let kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig || !process.env.K8S_API_URL) {
    const started = spawnSync(join(root, 'scripts/k8s/control-plane.sh'), ['start'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (started.status !== 0) throw new Error('scripts/k8s/control-plane.sh start failed');
    kubeconfig = /KUBECONFIG=(\S+)/.exec(started.stdout)?.[1];
    if (!kubeconfig) throw new Error('control-plane.sh printed no KUBECONFIG');
    process.env.KUBECONFIG = kubeconfig;
  }
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  return config;
}

export function adminKube(): Kube {
  return connectKube(controlPlane());
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `probe` returns a value other than undefined/false, or fails naming `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await sleep(250);
  }
}

/** Server-side applies manifests (as an admin, field manager `tests`). */
export async function apply(config: KubeConfig, objects: KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(config);
  for (const object of objects) {
    await client.patch(object, undefined, undefined, 'tests', true, PatchStrategy.ServerSideApply);
  }
}

/** The MessengerPlatform CRD of k8s/crds, applied and Established. */
export async function installCrd(config: KubeConfig): Promise<void> {
  const crd = loadYaml<V1CustomResourceDefinition>(
    readFileSync(
      process.env.MESSENGER_CRD_FILE ??
        join(root, 'k8s/crds/messengerplatforms.platform.messenger.dev.yaml'),
      'utf8',
    ),
  );
  await apply(config, [crd]);
  const api = config.makeApiClient(ApiextensionsV1Api);
  await eventually('the CRD to be Established', async () => {
    const current = await api.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
    return current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  });
}

export async function createNamespace(kube: Kube, name: string): Promise<void> {
  await kube.core.createNamespace({ body: { metadata: { name } } });
}

export async function deleteNamespace(kube: Kube, name: string): Promise<void> {
  await kube.core.deleteNamespace({ name }).catch(() => undefined);
}

export async function getPlatform(
  kube: Kube,
  namespace: string,
  name: string,
): Promise<MessengerPlatform> {
  return (await kube.custom.getNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: PLURAL,
    name,
  })) as MessengerPlatform;
}

export function condition(platform: MessengerPlatform, type: string) {
  return platform.status?.conditions?.find((c) => c.type === type);
}

export interface OperatorProcess {
  child: ChildProcess;
  port: number;
  identity: string;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

let nextPort = 18_090 + (process.pid % 500) * 4;

/** Runs the operator as its own process (out-of-cluster kubeconfig), as `make up` would. */
export async function startOperator(env: Record<string, string>): Promise<OperatorProcess> {
  const port = nextPort++;
  const identity = env.POD_NAME ?? uniqueName('operator');
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(root, 'services/operator/src/main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        POD_NAME: identity,
        LOG_LEVEL: 'info',
        RESYNC_SECONDS: '2',
        LEASE_DURATION_SECONDS: '4',
        LEASE_RENEW_DEADLINE_SECONDS: '3',
        LEASE_RETRY_SECONDS: '1',
        KAFKA_TIMEOUT_MS: '3000',
        SHUTDOWN_TIMEOUT_MS: '5000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  await eventually(
    `operator ${identity} to answer /healthz`,
    async () => {
      if (child.exitCode !== null) throw new Error(`operator exited:\n${output}`);
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return response.ok;
    },
    60_000,
  );
  return {
    child,
    port,
    identity,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function isLeader(operator: OperatorProcess): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${operator.port}/leader`);
  return ((await response.json()) as { leader: boolean }).leader;
}

/** A stand-in for messaging pods' /metrics: GET /pods/<pod>/metrics answers its socket gauge. */
export async function fakePodMetrics(
  sockets: Map<string, number>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pod = /^\/pods\/([^/]+)\/metrics$/.exec(req.url ?? '')?.[1];
    const count = pod === undefined ? undefined : sockets.get(pod);
    if (count === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      `# TYPE messaging_socket_connections gauge\nmessaging_socket_connections{service="messaging"} ${count}\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pods/{pod}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * A ServiceAccount bound to the operator's Role only (rbac.ts), and a kubeconfig file with a
 * token of it: the operator then runs with exactly the rights the chart gives it.
 */
export async function operatorKubeconfig(
  kube: Kube,
  namespace: string,
  leaseName: string,
): Promise<string> {
  const account = 'messenger-operator';
  await kube.core.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name: account } },
  });
  await apply(kube.config, [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: account, namespace },
      rules: operatorRules(leaseName),
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: account, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: account },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    } as KubernetesObject,
  ]);
  const token = await kube.core.createNamespacedServiceAccountToken({
    name: account,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = kube.config.getCurrentCluster();
  if (!cluster?.caFile) throw new Error('the admin kubeconfig names no CA file');
  const file = join(mkdtempSync(join(tmpdir(), 'operator-')), 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'test',
          cluster: { server: cluster.server, 'certificate-authority': cluster.caFile },
        },
      ],
      users: [{ name: account, user: { token: token.status?.token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: account, namespace } }],
      'current-context': 'test',
    }),
    { mode: 0o600 },
  );
  return file;
}

export { FIELD_MANAGER };
