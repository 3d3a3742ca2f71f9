import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  V1PolicyRule,
} from '@kubernetes/client-node';
import { apply } from './control-plane.js';

/**
 * A ServiceAccount bound to a Role of `rules` only (the operator's: rbac.ts), and a kubeconfig file
 * with a token of it: the operator then runs with exactly the rights the chart gives it.
 */
export async function operatorKubeconfig(
  kube: { config: KubeConfig; core: CoreV1Api },
  namespace: string,
  rules: V1PolicyRule[],
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
      rules,
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
