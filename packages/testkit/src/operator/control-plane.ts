/** The real control plane the operator's tests run against (scripts/k8s/control-plane.sh). */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  type CoreV1Api,
  type CustomObjectsApi,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { repoRoot } from '../repo-root.js';
import { stack } from '../stack.js';

export const KAFKA_BROKERS = stack.kafkaBrokers.join(',');

/** Starts the control plane when it is not running (a no-op then) and returns the admin kubeconfig. */
export function controlPlane(): KubeConfig {
  let kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig || !process.env.K8S_API_URL) {
    const started = spawnSync(join(repoRoot, 'scripts/k8s/control-plane.sh'), ['start'], {
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

function crdFile(): string {
  return (
    process.env.MESSENGER_CRD_FILE ??
    join(repoRoot, 'k8s/crds/messengerplatforms.platform.messenger.dev.yaml')
  );
}

/** The MessengerPlatform CRD of k8s/crds, applied and Established. */
export async function installCrd(config: KubeConfig): Promise<void> {
  const crd = loadYaml<V1CustomResourceDefinition>(readFileSync(crdFile(), 'utf8'));
  await apply(config, [crd]);
  const api = config.makeApiClient(ApiextensionsV1Api);
  await eventually('the CRD to be Established', async () => {
    const current = await api.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
    return current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  });
}

export async function createNamespace(kube: { core: CoreV1Api }, name: string): Promise<void> {
  await kube.core.createNamespace({ body: { metadata: { name } } });
}

export async function deleteNamespace(kube: { core: CoreV1Api }, name: string): Promise<void> {
  await kube.core.deleteNamespace({ name }).catch(() => undefined);
}

/** The CRD's group, version and plural, so tests use MessengerPlatforms as the operator does. */
function platformResource(): { group: string; version: string; plural: string } {
  const crd = loadYaml<V1CustomResourceDefinition>(readFileSync(crdFile(), 'utf8'));
  const version = crd.spec.versions.find((v) => v.storage)?.name ?? '';
  return { group: crd.spec.group, version, plural: crd.spec.names.plural };
}

function platformKind(): string {
  return loadYaml<V1CustomResourceDefinition>(readFileSync(crdFile(), 'utf8')).spec.names.kind;
}

export async function getPlatform<T>(
  kube: { custom: CustomObjectsApi },
  namespace: string,
  name: string,
): Promise<T> {
  return (await kube.custom.getNamespacedCustomObject({
    ...platformResource(),
    namespace,
    name,
  })) as T;
}

/** Creates a MessengerPlatform of `spec` (as the admin). */
export async function createPlatform(
  kube: { custom: CustomObjectsApi },
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): Promise<void> {
  const resource = platformResource();
  await kube.custom.createNamespacedCustomObject({
    ...resource,
    namespace,
    body: {
      apiVersion: `${resource.group}/${resource.version}`,
      kind: platformKind(),
      metadata: { name, namespace },
      spec,
    },
  });
}

/** Polls the MessengerPlatform until `holds`, for 30 s. */
export async function platformWhere<T>(
  kube: { custom: CustomObjectsApi },
  namespace: string,
  name: string,
  what: string,
  holds: (platform: T) => boolean,
): Promise<T> {
  return eventually(
    what,
    async () => {
      const platform = await getPlatform<T>(kube, namespace, name);
      return holds(platform) ? platform : undefined;
    },
    30_000,
  );
}

export function condition<C extends { type: string }>(
  platform: { status?: { conditions?: C[] } },
  type: string,
): C | undefined {
  return platform.status?.conditions?.find((c) => c.type === type);
}
