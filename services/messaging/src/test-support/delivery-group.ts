/** The delivery consumer group as Kafka sees it, so a test that crashes an instance can wait until
 * the group has moved the crashed member's partitions to the stack's instances. */
import { createKafka, createLogger } from '@messenger/platform';
import { eventually, stack } from '@messenger/platform/testing';
import { DELIVERY_GROUP } from '../service.js';

const kafka = createKafka('messaging-test', stack.kafkaBrokers, createLogger('test', 'silent'));

export async function deliveryGroupMembers(): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([DELIVERY_GROUP]);
    const group = groups[0];
    return group?.state === 'Stable' ? group.members.map((m) => m.memberId) : [];
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the group is stable with exactly the given members again. */
export async function deliveryGroupSettled(members: string[], timeoutMs = 60_000): Promise<void> {
  const expected = [...members].sort().join(',');
  await eventually(
    async () => ((await deliveryGroupMembers()).sort().join(',') === expected ? true : undefined),
    timeoutMs,
    'the delivery group to drop the crashed instance',
  );
}
