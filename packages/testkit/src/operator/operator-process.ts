/** The operator run as its own process (out-of-cluster kubeconfig), as `make up` would. */
import { startServiceProcess, type ServiceProcess } from '../service-process.js';
import { uniqueName } from './control-plane.js';

export interface OperatorProcess extends ServiceProcess {
  /** Its name as a leader-election candidate (POD_NAME). */
  identity: string;
}

/**
 * Starts the operator with short leases, resyncs and timeouts, so a test sees leadership move and
 * state converge in seconds; `env` overrides them.
 */
export async function startOperator(env: Record<string, string>): Promise<OperatorProcess> {
  const identity = env.POD_NAME ?? uniqueName('operator');
  const operator = await startServiceProcess({
    service: 'operator',
    what: `operator ${identity}`,
    env: {
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
  });
  return { ...operator, identity };
}

export async function isLeader(operator: OperatorProcess): Promise<boolean> {
  const response = await fetch(`${operator.url}/leader`);
  return ((await response.json()) as { leader: boolean }).leader;
}
