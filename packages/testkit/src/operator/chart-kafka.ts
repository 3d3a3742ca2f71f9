/**
 * The chart's Kafka and the operator's Kafka client as `helm template -f ci/operator-values.yaml`
 * renders them: the users and passwords (resolved from the rendered Secret, as the kubelet would
 * hand them over), the authorizer settings of run.sh and the ACLs, for a broker of a test's own
 * (../sasl-kafka.ts) run as the chart runs Kafka.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  loadAllYaml,
  type V1ConfigMap,
  type V1Deployment,
  type V1EnvVar,
  type V1Secret,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import type { SaslUser } from '../sasl-kafka.js';
import { chart, helmOk } from './helm-release.js';

export interface ChartKafka {
  /** The operator Deployment's KAFKA_SASL_* (the password from its Secret key). */
  operatorEnv: Record<string, string>;
  operatorUser: SaslUser;
  /** Every SCRAM user of the brokers (KAFKA_USERS), with its password. */
  users: SaslUser[];
  /** The inter-broker user, the brokers' super user (a SCRAM user of a test's broker). */
  superUser: SaslUser;
  /**
   * The authorizer settings run.sh writes; a test's broker talks PLAINTEXT between its own
   * listeners, so its ANONYMOUS principal is a super user too.
   */
  authorizer: string[];
  /** The ConfigMap's `acls`: one kafka-acls --add argument list a line. */
  acls: string;
}

type Rendered = V1Deployment & V1StatefulSet & V1Secret & V1ConfigMap;

function mechanismOf(value: string | undefined): 'scram-sha-512' | 'scram-sha-256' {
  const mechanism = value?.toLowerCase();
  assert.ok(mechanism === 'scram-sha-512' || mechanism === 'scram-sha-256', `${mechanism}`);
  return mechanism;
}

export function chartKafka(release: string, namespace: string): ChartKafka {
  const rendered = loadAllYaml(
    helmOk(
      'template',
      release,
      chart,
      '--namespace',
      namespace,
      '-f',
      join(chart, 'ci/operator-values.yaml'),
    ),
  ) as Rendered[];
  const secretValue = (ref: { name?: string; key: string }): string => {
    const secret = rendered.find(
      (object) => object.kind === 'Secret' && object.metadata?.name === ref.name,
    );
    const encoded = secret?.data?.[ref.key];
    assert.ok(encoded, `the chart renders Secret ${ref.name ?? ''} with key ${ref.key}`);
    return Buffer.from(encoded, 'base64').toString('utf8');
  };
  const envOf = (kind: string, component: string): Record<string, string> => {
    const workload = rendered.find(
      (object) =>
        object.kind === kind &&
        object.metadata?.labels?.['app.kubernetes.io/component'] === component,
    );
    const entries: V1EnvVar[] = workload?.spec?.template.spec?.containers[0]?.env ?? [];
    return Object.fromEntries(
      entries.map((entry) => {
        const ref = entry.valueFrom?.secretKeyRef;
        return [entry.name, ref ? secretValue(ref) : (entry.value ?? '')];
      }),
    );
  };
  const operatorEnv = Object.fromEntries(
    Object.entries(envOf('Deployment', 'operator')).filter(([key]) =>
      key.startsWith('KAFKA_SASL_'),
    ),
  );
  const kafkaEnv = envOf('StatefulSet', 'kafka');
  const config =
    rendered.find(
      (object) => object.kind === 'ConfigMap' && object.metadata?.name === `${release}-kafka`,
    )?.data ?? {};
  const mechanism = mechanismOf(kafkaEnv.KAFKA_SASL_MECHANISM);
  const superUser: SaslUser = {
    mechanism,
    username: kafkaEnv.KAFKA_INTER_BROKER_USER ?? '',
    password: kafkaEnv.KAFKA_INTER_BROKER_PASSWORD ?? '',
  };
  const authorizer = [
    ...(config['run.sh'] ?? '').matchAll(
      /echo "((?:authorizer\.class\.name|allow\.everyone\.if\.no\.acl\.found|super\.users)=[^"]*)"/g,
    ),
  ].map((match) => (match[1] ?? '').replace('${KAFKA_INTER_BROKER_USER}', superUser.username));
  assert.equal(authorizer.length, 3, authorizer.join('\n'));
  return {
    operatorEnv,
    operatorUser: {
      mechanism: mechanismOf(operatorEnv.KAFKA_SASL_MECHANISM),
      username: operatorEnv.KAFKA_SASL_USERNAME ?? '',
      password: operatorEnv.KAFKA_SASL_PASSWORD ?? '',
    },
    users: (kafkaEnv.KAFKA_USERS ?? '').split(' ').map((username) => ({
      mechanism,
      username,
      password: kafkaEnv[`KAFKA_PASSWORD_${username.toUpperCase()}`] ?? '',
    })),
    superUser,
    authorizer: authorizer.map((line) =>
      line.startsWith('super.users=') ? `${line};User:ANONYMOUS` : line,
    ),
    acls: config.acls ?? '',
  };
}
