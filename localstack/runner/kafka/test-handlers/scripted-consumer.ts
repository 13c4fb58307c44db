/**
 * Test handler for the Kafka ESM twin: each record's value says what to do with it.
 * "ok" · "throw" (fails the whole invocation) · "fail" (reported in batchItemFailures every time) ·
 * "fail-once" (reported the first time this environment sees it) · "slow:<ms>".
 */
import type { MSKEvent } from 'aws-lambda';

const seen = new Map<string, number>();

export const handler = async (event: MSKEvent) => {
  const batchItemFailures: { itemIdentifier: { partition: string; offset: number } }[] = [];
  for (const [partition, records] of Object.entries(event.records)) {
    for (const r of records) {
      const action = Buffer.from(r.value ?? '', 'base64').toString('utf8');
      const id = `${partition}@${r.offset}`;
      const count = (seen.get(id) ?? 0) + 1;
      seen.set(id, count);
      if (action === 'throw') throw new Error(`poison record ${id}`);
      if (action.startsWith('slow:')) await new Promise((res) => setTimeout(res, Number(action.slice(5))));
      if (action === 'fail' || (action === 'fail-once' && count === 1)) {
        batchItemFailures.push({ itemIdentifier: { partition, offset: r.offset } });
      }
    }
  }
  return { batchItemFailures };
};
