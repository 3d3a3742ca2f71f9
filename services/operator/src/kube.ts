import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';

/** The server-side-apply field manager of every change the operator makes. */
export const FIELD_MANAGER = 'messenger-operator';

export interface Kube {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  coordination: CoordinationV1Api;
  custom: CustomObjectsApi;
}

/** In a pod: its ServiceAccount; otherwise $KUBECONFIG or ~/.kube/config. */
export function connectKube(config = defaultKubeConfig()): Kube {
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    coordination: config.makeApiClient(CoordinationV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
  };
}

export function defaultKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromDefault();
  return config;
}

/** Request options of a server-side apply (the body is sent as JSON, which is YAML). */
export const applyPatch = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

export function statusCode(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A short description of an API error: the server's message when it sent a Status. */
export function apiMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    try {
      const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown };
      if (typeof parsed.message === 'string') return `${error.code} ${parsed.message}`;
    } catch {
      // not JSON: fall through
    }
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
