import { Backends, type ServiceContext, type ServiceParts } from '@messenger/platform';
import type { Config } from './config.js';

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const backends = await Backends.connect(context);
  return {
    routes: () => undefined,
    readiness: backends.readiness,
    closers: backends.closers,
  };
}
