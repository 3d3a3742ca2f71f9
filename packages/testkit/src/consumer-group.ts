/** A Kafka consumer group as the broker sees it, so a test that crashes a member can wait until
 * the group has moved that member's partitions to the others. */
import { eventually } from './eventually.js';
import { kafka } from './kafka.js';

export async function consumerGroupMembers(groupId: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    return group?.state === 'Stable' ? group.members.map((m) => m.memberId) : [];
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the group is stable with exactly the given members again. */
export async function consumerGroupSettled(
  groupId: string,
  members: string[],
  timeoutMs = 60_000,
): Promise<void> {
  const expected = [...members].sort().join(',');
  await eventually(
    async () =>
      (await consumerGroupMembers(groupId)).sort().join(',') === expected ? true : undefined,
    timeoutMs,
    'the consumer group to drop the crashed member',
  );
}
