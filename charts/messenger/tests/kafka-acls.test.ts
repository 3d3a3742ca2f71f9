// Kafka least privilege: the bundled Kafka runs the StandardAuthorizer with nothing allowed
// without an ACL, and the rendered ACLs are exactly what each user needs: its service's topics
// (packages/contracts) and consumer group (read from the service's code), the operator topic
// administration, the exporter descriptions.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { allTopics, topics, type TopicKey } from '@messenger/contracts';
import { parseAcls, type AclEntry } from '@messenger/testkit/kafka-acls';
import { parseObjects, root, runHelm, scenarios, templateArgs } from './lib/render.ts';

/** Which service writes each topic (its outbox relay). */
const producerOf: Record<TopicKey, string> = {
  user: 'auth',
  session: 'session',
  profile: 'profile',
  contact: 'contact',
  message: 'messaging',
};

/** Each consuming service's group and topics, as its service.ts starts its consumer. */
function consumersInCode(): Map<string, { group: string; topics: string[] }> {
  const found = new Map<string, { group: string; topics: string[] }>();
  for (const service of readdirSync(join(root as string, 'services'))) {
    let source: string;
    try {
      source = readFileSync(join(root as string, 'services', service, 'src/service.ts'), 'utf8');
    } catch {
      continue;
    }
    const start = /groupId: (?:'([^']+)'|(\w+)),\s*topics: \[([^\]]*)\]/.exec(source);
    if (!start) continue;
    const constant = start[2] && new RegExp(`const ${start[2]} = '([^']+)'`).exec(source)?.[1];
    const keys = [...(start[3] ?? '').matchAll(/topics\.(\w+)/g)].map((m) => m[1] as TopicKey);
    found.set(service, {
      group: start[1] ?? constant ?? '',
      topics: keys.map((key) => topics[key].name),
    });
  }
  return found;
}

function entry(
  principal: string,
  operation: string,
  resourceType: AclEntry['resourceType'],
  resourceName: string,
): string {
  return `${principal} ${operation} ${resourceType}:${resourceName}`;
}

function render(extra: string[] = []) {
  return parseObjects(runHelm(templateArgs(scenarios()[0]!, extra)));
}

function kafkaConfig(objects: ReturnType<typeof render>): Record<string, string> {
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'chat-kafka');
  return (config as unknown as { data: Record<string, string> }).data;
}

/** What every user may do, from the contracts and the code; the chart must render just that. */
function expectedAcls(users: string[], operator: boolean): string[] {
  const consumers = consumersInCode();
  assert.deepEqual([...consumers.keys()].sort(), ['messaging', 'profile', 'search']);
  const expected: string[] = [];
  for (const user of users.filter((u) => u !== 'operator' && u !== 'exporter')) {
    const principal = `User:${user}`;
    const produced = (Object.keys(producerOf) as TopicKey[]).filter(
      (key) => producerOf[key] === user,
    );
    for (const key of produced) expected.push(entry(principal, 'Write', 'Topic', topics[key].name));
    if (produced.length === 0) {
      expected.push(entry(principal, 'IdempotentWrite', 'Cluster', 'kafka-cluster'));
    }
    const consumer = consumers.get(user);
    for (const topic of consumer?.topics ?? []) {
      expected.push(entry(principal, 'Read', 'Topic', topic));
    }
    if (consumer) expected.push(entry(principal, 'Read', 'Group', consumer.group));
    for (const topic of allTopics) {
      expected.push(entry(principal, 'Describe', 'Topic', topic.name));
      // Without the operator the services create the topics at start-up.
      if (!operator) expected.push(entry(principal, 'Create', 'Topic', topic.name));
    }
  }
  if (operator) {
    for (const operation of [
      'Create',
      'Alter',
      'AlterConfigs',
      'Delete',
      'Describe',
      'DescribeConfigs',
    ]) {
      expected.push(entry('User:operator', operation, 'Topic', '*'));
    }
  }
  if (users.includes('exporter')) {
    expected.push(entry('User:exporter', 'Describe', 'Topic', '*'));
    expected.push(entry('User:exporter', 'Describe', 'Group', '*'));
  }
  return expected.sort();
}

for (const operator of [true, false]) {
  test(`the rendered ACLs are each user’s topics and group, nothing more (operator ${operator ? 'on' : 'off'})`, () => {
    const objects = render([
      '--set',
      `operator.enabled=${String(operator)}`,
      '--set',
      'kafka.metrics.enabled=true',
    ]);
    const set = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'chat-kafka');
    const env = (
      set as unknown as {
        spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
      }
    ).spec.template.spec.containers[0]?.env;
    const users = env?.find((e) => e.name === 'KAFKA_USERS')?.value?.split(' ') ?? [];
    assert.equal(users.includes('operator'), operator, users.join(' '));
    assert.ok(users.includes('exporter'), users.join(' '));
    const rendered = parseAcls(kafkaConfig(objects).acls ?? '').map((acl) =>
      entry(acl.principal, acl.operation, acl.resourceType, acl.resourceName),
    );
    assert.deepEqual(rendered.sort(), expectedAcls(users, operator));
  });
}

test('the broker authorizes every request: StandardAuthorizer, no ACL no access, one super user', () => {
  const runSh = kafkaConfig(render())['run.sh'] ?? '';
  // In the branch run.sh takes with credentials (without them the listeners stay open).
  assert.match(
    runSh,
    /if \[\[ -n "\$\{KAFKA_INTER_BROKER_PASSWORD:-\}" \]\]; then\n(?:(?!\n\s*else\n)[\s\S])*authorizer\.class\.name=org\.apache\.kafka\.metadata\.authorizer\.StandardAuthorizer/,
  );
  assert.match(runSh, /allow\.everyone\.if\.no\.acl\.found=false/);
  assert.match(runSh, /super\.users=User:\$\{KAFKA_INTER_BROKER_USER\}"/);
  // The brokers and controllers authenticate as that user (SASL/PLAIN), nobody else does.
  assert.match(runSh, /sasl\.mechanism\.inter\.broker\.protocol=PLAIN/);
  assert.match(runSh, /sasl\.mechanism\.controller\.protocol=PLAIN/);
  assert.match(runSh, /kafka-acls\.sh .*\n.*--add "\$\{acl\[@\]\}"/);

  assert.equal(kafkaConfig(render(['--set', 'kafka.auth.enabled=false'])).acls, undefined);
});
