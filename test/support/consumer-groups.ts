/**
 * Waiting for consumer groups to settle with a given number of members, each owning partitions: two
 * builds of one consumer in one group only both receive records once Kafka has rebalanced between them.
 */
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { until } from './until';

export async function waitForGroupMembers(
  brokers: readonly string[],
  groupIds: readonly string[],
  members: number,
  timeoutMs = 60_000,
): Promise<void> {
  const admin = new Kafka({ clientId: 'test-groups', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  let last = '';
  try {
    await until(
      () => `consumer groups to be stable with ${members} members owning partitions: ${last}`,
      async () => {
        const { groups } = await admin.describeGroups([...groupIds]);
        last = groups.map((g) => `${g.groupId} ${g.state} ${g.members.length}`).join('; ');
        const settled = groups.every(
          (g) =>
            g.state === 'Stable' &&
            g.members.length === members &&
            g.members.every((m) => ownsPartitions(m.memberAssignment)),
        );
        return settled && groups.length === groupIds.length ? true : undefined;
      },
      { timeoutMs },
    );
  } finally {
    await admin.disconnect();
  }
}

function ownsPartitions(assignment: Buffer): boolean {
  const decoded = AssignerProtocol.MemberAssignment.decode(assignment);
  return Object.values(decoded?.assignment ?? {}).some((partitions) => partitions.length > 0);
}
