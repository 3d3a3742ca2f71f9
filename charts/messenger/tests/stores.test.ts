// The bundled stores: authentication on by default (generated credentials or existingSecret),
// switchable, NOTES warnings; MongoDB replica counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chart, parseObjects, render, runHelm, scenarios, templateArgs } from './lib/render.ts';

function templateError(extra: string[]): string {
  try {
    runHelm(templateArgs(scenarios()[0]!, extra));
  } catch (error) {
    return (error as Error & { stderr: string }).stderr;
  }
  assert.fail(`helm template ${extra.join(' ')} succeeded`);
}

function renderWith(extra: string[]) {
  return parseObjects(runHelm(templateArgs(scenarios()[0]!, extra)));
}

test('store credentials: existingSecret replaces the generated Secrets', () => {
  const objects = renderWith([
    '--set',
    'redis.auth.existingSecret=my-redis',
    '--set',
    'mongodb.auth.existingSecret=my-mongo',
    '--set',
    'kafka.auth.existingSecret=my-kafka',
  ]);
  const names = objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name);
  assert.deepEqual(names, ['chat-postgresql-auth']);
  const text = JSON.stringify(objects);
  for (const name of ['my-redis', 'my-mongo', 'my-kafka'])
    assert.ok(text.includes(`"name":"${name}"`), name);
});

test('store authentication can be switched off (plain listeners, URLs in the ConfigMaps)', () => {
  const objects = renderWith([
    '--set',
    'redis.auth.enabled=false',
    '--set',
    'mongodb.auth.enabled=false',
    '--set',
    'kafka.auth.enabled=false',
  ]);
  assert.deepEqual(
    objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name),
    ['chat-postgresql-auth'],
  );
  const messaging = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === 'chat-messaging',
  ) as any;
  assert.match(messaging.data.REDIS_URL, /^redis:\/\/chat-redis:6379$/);
  assert.match(messaging.data.MONGO_URL, /^mongodb:\/\/chat-mongodb-headless/);
  assert.equal(messaging.data.KAFKA_SASL_MECHANISM, undefined);
  const kafka = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === 'chat-kafka',
  ) as any;
  assert.match(kafka.data['run.sh'], /PLAINTEXT:PLAINTEXT/);
  assert.match(
    notes(['--set', 'redis.auth.enabled=false']),
    /authentication is off for the bundled redis/,
  );
});

/** NOTES.txt as `helm install --dry-run=client` prints it (no cluster needed). */
function notes(extra: string[] = []): string {
  const out = runHelm([
    'install',
    'chat',
    chart,
    '--namespace',
    'messenger',
    '--dry-run=client',
    ...extra,
  ]);
  return out.slice(out.indexOf('NOTES:'));
}

test('NOTES.txt warns when the NetworkPolicies are off, names the generated Secrets', () => {
  assert.doesNotMatch(notes(), /WARNING/);
  assert.match(notes(), /chat-redis-auth/);
  assert.match(
    notes(['--set', 'networkPolicy.enabled=false']),
    /WARNING: networkPolicy.enabled is false/,
  );
});

test('MongoDB: odd replica counts only', () => {
  for (const replicas of ['2', '4']) {
    assert.match(templateError(['--set', `mongodb.replicas=${replicas}`]), /replicas/);
  }
  const sts = renderWith(['--set', 'mongodb.replicas=5']).find(
    (o) => o.kind === 'StatefulSet' && o.metadata.name === 'chat-mongodb',
  ) as any;
  assert.equal(sts.spec.replicas, 5);
});

test('Kafka logs to the console only: no file appenders, no GC log', () => {
  for (const scenario of scenarios().filter((s) => ['default', 'production'].includes(s.name))) {
    const objects = render(scenario);
    const sts = objects.find(
      (o) => o.kind === 'StatefulSet' && o.metadata.name === 'chat-kafka',
    ) as any;
    const env = Object.fromEntries(
      sts.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]),
    );
    assert.equal(
      env.KAFKA_LOG4J_OPTS,
      '-Dlog4j.configuration=file:/etc/messenger-kafka/log4j.properties',
    );
    assert.doesNotMatch(env.EXTRA_ARGS, /-loggc/);
    const log4j = (
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'chat-kafka') as any
    ).data['log4j.properties'] as string;
    const appenders = [...log4j.matchAll(/^log4j\.appender\.(\w+)=(.+)$/gm)].map((m) => m[2]);
    assert.deepEqual(appenders, ['org.apache.log4j.ConsoleAppender']);
  }
});
