/**
 * A gateway of a test's own, from this source tree, on a free port, in front of the stack's
 * services unless `env` names others (e.g. AUTH_URL of a test's auth instance); as at the edge,
 * it trusts no proxy hop (TRUST_PROXY=0), so a client's X-Forwarded-For is never believed.
 */
import { freePort } from '../free-port.js';
import { startServiceProcess } from '../service-process.js';
import { stack } from '../stack.js';
import { localUrls, serviceNames } from '@messenger/contracts/services';
import { messagingUrls, sessionUrl } from '../service-urls.js';

export interface GatewayInstance {
  url: string;
  stop: () => Promise<void>;
}

/** `<NAME>_URL` of every single-instance upstream: the stack's (scripts/stack/env.sh) or its default. */
function upstreamUrls(): Record<string, string> {
  const single = serviceNames.filter(
    (name) => !['gateway', 'messaging', 'operator'].includes(name),
  );
  return Object.fromEntries(
    single.map((name) => {
      const variable = `${name.toUpperCase()}_URL`;
      return [variable, process.env[variable] ?? localUrls(name)[0] ?? ''];
    }),
  );
}

export async function startGatewayInstance(
  env: Record<string, string> = {},
): Promise<GatewayInstance> {
  const port = await freePort();
  const { url, stop } = await startServiceProcess({
    service: 'gateway',
    port,
    what: 'the test gateway',
    env: {
      REDIS_URL: stack.redisUrl,
      ...upstreamUrls(),
      MESSAGING_URLS: messagingUrls.join(','),
      JWKS_URL: `${sessionUrl}/.well-known/jwks.json`,
      TRUST_PROXY: '0',
      INSTANCE_ID: `gateway-test-${port}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  return { url, stop };
}
