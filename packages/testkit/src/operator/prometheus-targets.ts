/**
 * The local stack's Prometheus scraping real processes under Kubernetes names: a file_sd target
 * file (job `kubernetes-pods` of observability/prometheus/prometheus.local.yml) whose every
 * target carries the `namespace` and `pod` labels a pod's ServiceMonitor would give it.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.js';

export const prometheusUrl = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:59090';

/** Where scripts/stack/servers/prometheus.sh has the stack's Prometheus read target files. */
const targetsDir = join(repoRoot, '.stack/conf/prometheus/targets');

export interface PodTarget {
  namespace: string;
  pod: string;
  /** host:port of the process whose /metrics stands for the pod's. */
  address: string;
}

export interface PodTargets {
  /** Replaces the whole set (written whole, so Prometheus never reads half a file). */
  write(targets: readonly PodTarget[]): void;
  remove(): void;
}

export function podTargets(name: string): PodTargets {
  const file = join(targetsDir, `${name}.json`);
  return {
    write(targets) {
      const groups = targets.map(({ namespace, pod, address }) => ({
        targets: [address],
        labels: { namespace, pod },
      }));
      const partial = join(targetsDir, `.${name}.partial`);
      writeFileSync(partial, JSON.stringify(groups));
      renameSync(partial, file);
    },
    remove() {
      rmSync(file, { force: true });
    },
  };
}

/** What an instant query gives per value of `label`. */
export async function queryBy(query: string, label: string): Promise<Map<string, number>> {
  const url = new URL('/api/v1/query', prometheusUrl);
  url.searchParams.set('query', query);
  const body = (await (await fetch(url)).json()) as {
    data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return new Map(
    (body.data?.result ?? []).map((series) => [
      series.metric[label] ?? '',
      Number(series.value[1]),
    ]),
  );
}
