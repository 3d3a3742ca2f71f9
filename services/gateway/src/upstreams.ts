import type { ReadinessChecks } from '@messenger/platform';
import type { Config } from './config.js';
import type { Upstream } from './routes.js';

export function upstreamTargets(config: Config): Record<Upstream, readonly string[]> {
  return {
    auth: [config.AUTH_URL],
    session: [config.SESSION_URL],
    profile: [config.PROFILE_URL],
    contact: [config.CONTACT_URL],
    messaging: config.MESSAGING_URLS,
    search: [config.SEARCH_URL],
  };
}

async function healthy(url: string): Promise<void> {
  const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(1_500) });
  if (!response.ok) throw new Error(`healthz answered ${response.status}`);
}

/** Each upstream's health, reported by /readyz without making the gateway itself unready. */
export function upstreamReadiness(targets: Record<Upstream, readonly string[]>): ReadinessChecks {
  const checks: ReadinessChecks = {};
  for (const [service, urls] of Object.entries(targets)) {
    urls.forEach((url, index) => {
      const name = urls.length > 1 ? `${service}-${index + 1}` : service;
      checks[name] = { probe: () => healthy(url), optional: true };
    });
  }
  return checks;
}
