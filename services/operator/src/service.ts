import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { loadKafkaSasl, type ServiceContext, type ServiceParts } from '@messenger/platform';
import type { Config } from './config.js';
import { Controller } from './controller.js';
import { KafkaTopicAdmin, type TopicAdmin } from './kafka-topics.js';
import { connectKube, type Kube } from './kube.js';
import { LeaderElector } from './leader.js';
import { createOperatorMetrics } from './metrics.js';
import { Reconciler } from './reconciler.js';
import { SessionKeyRotator } from './signing-keys.js';
import { PodMetricsCounts, PrometheusCounts, type SocketCounts } from './socket-counts.js';

const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function watchNamespace(config: Config): string {
  if (config.WATCH_NAMESPACE) return config.WATCH_NAMESPACE;
  try {
    return readFileSync(SA_NAMESPACE, 'utf8').trim();
  } catch {
    return 'default';
  }
}

function socketCounts(config: Config): SocketCounts {
  if (config.SOCKET_METRICS === 'prometheus') {
    if (!config.PROMETHEUS_URL) throw new Error('SOCKET_METRICS=prometheus needs PROMETHEUS_URL');
    return new PrometheusCounts(config.PROMETHEUS_URL, config.PROMETHEUS_QUERY);
  }
  return new PodMetricsCounts(config.POD_METRICS_URL);
}

/** The operator: leader election, then the MessengerPlatform controller while leading. */
export function buildService({
  config,
  logger,
  registry,
}: ServiceContext<Config>): Promise<ServiceParts> {
  return Promise.resolve(buildParts(config, logger, registry));
}

function buildParts(
  config: Config,
  logger: ServiceContext<Config>['logger'],
  registry: ServiceContext<Config>['registry'],
): ServiceParts {
  const kube: Kube = connectKube();
  const namespace = watchNamespace(config);
  const identity = config.POD_NAME ?? config.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  const metrics = createOperatorMetrics(registry);
  const sasl = loadKafkaSasl();
  const admins = new Map<string, TopicAdmin>();
  const topicAdmin = (brokers: string[]): TopicAdmin => {
    const key = brokers.join(',');
    let admin = admins.get(key);
    if (!admin) {
      admin = new KafkaTopicAdmin(brokers, sasl, logger, config.KAFKA_TIMEOUT_MS);
      admins.set(key, admin);
    }
    return admin;
  };
  const reconciler = new Reconciler({
    kube,
    logger,
    metrics,
    sockets: socketCounts(config),
    topicAdmin,
    defaultBrokers: config.KAFKA_BROKERS,
    defaultReplicationFactor: config.KAFKA_REPLICATION_FACTOR,
    defaultStabilizationSeconds: config.SCALE_DOWN_STABILIZATION_SECONDS,
    keyRotator: config.SESSION_URL
      ? new SessionKeyRotator(config.SESSION_URL, logger, config.UPSTREAM_TIMEOUT_MS)
      : undefined,
    identity,
  });
  const controller = new Controller({
    kube,
    namespace,
    reconciler,
    metrics,
    logger,
    resyncMs: config.RESYNC_SECONDS * 1000,
  });
  const lead = () => {
    metrics.leader.set(1);
    controller.start();
  };
  const follow = () => {
    metrics.leader.set(0);
    void controller.stop();
  };
  const elector = config.LEADER_ELECTION
    ? new LeaderElector(
        kube,
        {
          namespace,
          name: config.LEASE_NAME,
          identity,
          leaseDurationMs: config.LEASE_DURATION_SECONDS * 1000,
          renewDeadlineMs: config.LEASE_RENEW_DEADLINE_SECONDS * 1000,
          retryMs: config.LEASE_RETRY_SECONDS * 1000,
          onStartedLeading: lead,
          onStoppedLeading: follow,
        },
        logger,
      )
    : undefined;
  logger.info(
    { namespace, identity, leaderElection: config.LEADER_ELECTION },
    'operator configured',
  );

  return {
    routes: (app) => {
      app.get('/leader', (_req, res) => {
        res.json({ identity, leader: elector ? elector.isLeader : true });
      });
    },
    readiness: {
      kubernetes: () => kube.core.getAPIResources(),
    },
    closers: [
      {
        name: 'controller',
        close: async () => {
          await elector?.stop();
          await controller.stop();
          for (const admin of admins.values()) await admin.close();
        },
      },
    ],
    started: () => {
      if (elector) elector.start();
      else lead();
    },
  };
}
