/**
 * Twin of an EventBridge schedule rule targeting a function (lib/topology.ts `schedules`): every
 * `everyMs` it invokes the function with the event EventBridge sends for a scheduled rule
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html), one
 * invocation at a time (the reconciler's reserved concurrency is 1). A failed run is logged; the next
 * tick runs again, as the next scheduled event would.
 */

import { randomUUID } from 'node:crypto';
import type { ScheduleSpec } from '../../../lib/topology';
import { reconcilerHops } from '../lambda/hops';
import type { LocalFunction } from '../lambda/local-function';

export interface ScheduleTwinOptions {
  readonly schedule: ScheduleSpec;
  readonly fn: LocalFunction;
  readonly everyMs: number;
  readonly region: string;
  readonly accountId: string;
  readonly log?: (line: string) => void;
}

/** The event of one scheduled rule firing (shape as documented for EventBridge scheduled events). */
function scheduledEvent(ruleArn: string, region: string, accountId: string, at = new Date()) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: `${at.toISOString().slice(0, 19)}Z`,
    region,
    resources: [ruleArn],
    detail: {},
  };
}

export class ScheduleTwin {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private runs = 0;
  private readonly ruleArn: string;

  constructor(private readonly o: ScheduleTwinOptions) {
    if (!Number.isFinite(o.everyMs) || o.everyMs < 10) {
      throw new Error(`schedule ${o.schedule.id}: period must be at least 10 ms, got ${o.everyMs}`);
    }
    this.ruleArn = `arn:aws:events:${o.region}:${o.accountId}:rule/${o.schedule.id}`;
  }

  /** Completed invocations so far. */
  get invocations(): number {
    return this.runs;
  }

  async start(): Promise<void> {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.o.fn
        .invoke(scheduledEvent(this.ruleArn, this.o.region, this.o.accountId), {
          trigger: `schedule ${this.o.schedule.id}`,
          hops: reconcilerHops,
        })
        .then((outcome) => {
          this.runs++;
          if (!outcome.ok) this.o.log?.(`${this.o.schedule.id}: run failed: ${JSON.stringify(outcome)}`);
        })
        .catch((err: unknown) => this.o.log?.(`${this.o.schedule.id}: run failed: ${String(err)}`))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.o.everyMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
