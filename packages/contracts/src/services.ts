/**
 * The one list of the services: each one's HTTP port, and how many instances `make up` runs
 * (instance n listens on port + n - 1). The chart generator, the stack scripts, skaffold and the
 * docs read services.json too; a chart test fails when a port is written anywhere else.
 */
import list from './services.json';

export type ServiceName = keyof typeof list;

export interface ServiceEntry {
  port: number;
  localInstances: number;
}

export const services: Record<ServiceName, ServiceEntry> = list;

export const serviceNames = Object.keys(list) as ServiceName[];

/** The addresses of a service's local instances (the stack's defaults). */
export function localUrls(name: ServiceName): string[] {
  const { port, localInstances } = services[name];
  return Array.from({ length: localInstances }, (_, n) => `http://127.0.0.1:${port + n}`);
}
