/** Where tests reach the services: the variables of scripts/stack/env.sh, or the stack's defaults. */
import { localUrls, type ServiceName } from '@messenger/contracts/services';

function fromEnv(variable: string, name: ServiceName): string {
  return process.env[variable] ?? localUrls(name)[0] ?? '';
}

export const gatewayUrl = fromEnv('GATEWAY_URL', 'gateway');
export const authUrl = fromEnv('AUTH_URL', 'auth');
export const sessionUrl = fromEnv('SESSION_URL', 'session');
export const profileUrl = fromEnv('PROFILE_URL', 'profile');
export const contactUrl = fromEnv('CONTACT_URL', 'contact');

/** Every messaging instance (the stack runs two; tests talk to both). */
export const messagingUrls = (
  process.env['MESSAGING_URLS']?.split(',') ?? localUrls('messaging')
).map((url) => url.trim());
