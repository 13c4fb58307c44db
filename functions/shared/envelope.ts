/**
 * Creating events: the envelope every event shares (docs/design.md) and the Kafka headers that mirror it.
 * eventIds are UUIDv7 (unique and time-sortable). `sequence` is the event's position in its order's causal
 * chain: OrderCreated is 1, a reaction is its cause's sequence + 1.
 */
import { v7 as uuidv7 } from 'uuid';
import type { EventType } from '../../lib/topology';
import { latestVersion } from '../../schemas';
import type { DomainEvent, EventOfType as EventOf } from '../../schemas/types';

export type AnyEventEnvelope = DomainEvent;
export type { EventOf };
export type PayloadOf<T extends EventType> = EventOf<T>['payload'];

/** What a reaction inherits from the event that caused it. */
export interface Cause {
  readonly eventId: string;
  readonly correlationId: string;
  readonly sequence: number;
}

export interface NewEventInput<T extends EventType> {
  readonly type: T;
  readonly orderId: string;
  readonly source: string;
  readonly payload: PayloadOf<T>;
  /** The event being reacted to; absent for an event started by a request (OrderCreated). */
  readonly cause?: Cause;
  /** For events started by a request: the request's correlation id and id. */
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly now?: Date;
}

export function newEvent<T extends EventType>(input: NewEventInput<T>): EventOf<T> {
  const now = input.now ?? new Date();
  const eventId = uuidv7({ msecs: now.getTime() });
  const correlationId = input.cause?.correlationId ?? input.correlationId ?? eventId;
  const event = {
    eventId,
    type: input.type,
    version: latestVersion(input.type),
    occurredAt: now.toISOString(),
    source: input.source,
    correlationId,
    causationId: input.cause?.eventId ?? input.causationId ?? correlationId,
    orderId: input.orderId,
    sequence: input.cause ? input.cause.sequence + 1 : 1,
    payload: input.payload,
  };
  return event as unknown as EventOf<T>; // the union member is selected by `type`, which TS cannot narrow here
}

export const HEADER = {
  type: 'event-type',
  version: 'event-version',
  eventId: 'event-id',
  correlationId: 'correlation-id',
} as const;

/**
 * Set by `dlq redrive --to-failed-consumer` on a re-published record: only the function it names processes
 * it, every other consumer of the topic counts it as ignored (they handled the original already).
 */
export const REDRIVE_FOR_HEADER = 'redrive-for';

export function kafkaHeaders(event: Pick<AnyEventEnvelope, 'type' | 'version' | 'eventId' | 'correlationId'>) {
  return {
    [HEADER.type]: event.type,
    [HEADER.version]: String(event.version),
    [HEADER.eventId]: event.eventId,
    [HEADER.correlationId]: event.correlationId,
  };
}
