import { z } from 'zod';
import { baseConfigSchema, serviceClientConfig, urlList } from '@messenger/platform';
import { services } from '@messenger/contracts/services';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
const seconds = z.coerce.number().positive();

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(services.operator.port),
  /** The namespace whose MessengerPlatforms this operator reconciles (default: its own, in a pod). */
  WATCH_NAMESPACE: z.string().min(1).optional(),
  /** Brokers when the spec names none in spec.external.kafka.brokers. */
  KAFKA_BROKERS: urlList.optional(),
  KAFKA_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  LEADER_ELECTION: flag.default(true),
  LEASE_NAME: z.string().min(1).default('messenger-operator'),
  LEASE_DURATION_SECONDS: seconds.default(15),
  LEASE_RENEW_DEADLINE_SECONDS: seconds.default(10),
  LEASE_RETRY_SECONDS: seconds.default(2),
  /** The identity in the Lease; the chart sets it to the pod name. */
  POD_NAME: z.string().min(1).optional(),
  /** Every platform is reconciled at least this often, besides on every change. */
  RESYNC_SECONDS: seconds.default(30),
  /** Where socket counts come from: each messaging pod's /metrics, or Prometheus. */
  SOCKET_METRICS: z.enum(['pods', 'prometheus']).default('pods'),
  /** URL of a pod's metrics: {podIP}, {pod} and {namespace} are replaced. */
  POD_METRICS_URL: z.string().min(1).default(`http://{podIP}:${services.messaging.port}/metrics`),
  PROMETHEUS_URL: z.url().optional(),
  /** PromQL giving one series per pod (label `pod`); {namespace} is replaced. */
  PROMETHEUS_QUERY: z
    .string()
    .min(1)
    .default('sum by (pod) (messaging_socket_connections{namespace="{namespace}"})'),
  /** The session service, whose signing keys rotate on spec.auth.keyRotationPeriod. */
  SESSION_URL: z.url().optional(),
  ...serviceClientConfig,
  /** Default scale-down stabilisation window when the spec sets none. */
  SCALE_DOWN_STABILIZATION_SECONDS: z.coerce.number().min(0).default(300),
});

export type Config = z.infer<typeof configSchema>;
