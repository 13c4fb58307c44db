import { type AppliedEvent, applyEvent, type HistoryStepType, type OrderView } from './status';

const ev = (type: AppliedEvent['type'], sequence: number, id: string): AppliedEvent => ({
  eventId: id,
  type,
  sequence,
  occurredAt: `2026-11-23T10:00:0${sequence}.000Z`,
  detail: type,
});

const created = ev('OrderCreated', 1, 'e1');
const start: OrderView = { status: 'PENDING', history: [] };

const journeys: { name: string; events: AppliedEvent[]; status: OrderView['status'] }[] = [
  {
    name: 'confirmed',
    events: [
      created,
      ev('InventoryReserved', 2, 'e2'),
      ev('PaymentAuthorized', 3, 'e3'),
      ev('NotificationSent', 4, 'e4'),
    ],
    status: 'CONFIRMED',
  },
  {
    name: 'rejected',
    events: [created, ev('InventoryRejected', 2, 'e2'), ev('NotificationSent', 3, 'e3')],
    status: 'REJECTED',
  },
  {
    name: 'cancelled',
    events: [
      created,
      ev('InventoryReserved', 2, 'e2'),
      ev('PaymentDeclined', 3, 'e3'),
      ev('InventoryReleased', 4, 'e4'),
      ev('NotificationSent', 4, 'e5'),
    ],
    status: 'CANCELLED',
  },
];

/** Deterministic pseudo-random generator so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function shuffledWithDuplicates(events: AppliedEvent[], random: () => number): AppliedEvent[] {
  const withDupes = [...events, ...events.filter(() => random() < 0.5)];
  for (let i = withDupes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [withDupes[i], withDupes[j]] = [withDupes[j] as AppliedEvent, withDupes[i] as AppliedEvent];
  }
  return withDupes;
}

const replay = (events: AppliedEvent[]) => events.reduce((v, e) => applyEvent(v, e) ?? v, start);

describe('order view state machine', () => {
  it.each(journeys)('$name: in order ends in $status with one step per event', ({ events, status }) => {
    const view = replay(events);
    expect(view.status).toBe(status);
    expect(view.history.map((h) => h.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it.each(journeys)('$name: 200 shuffled, duplicated deliveries all end in the same view', ({ events }) => {
    const expected = replay(events);
    const random = rng(42);
    for (let i = 0; i < 200; i++) {
      expect(replay(shuffledWithDuplicates(events, random))).toEqual(expected);
    }
  });

  it('never regresses: a late InventoryReserved after CONFIRMED keeps CONFIRMED', () => {
    const view = replay([created, ev('PaymentAuthorized', 3, 'e3'), ev('InventoryReserved', 2, 'e2')]);
    expect(view.status).toBe('CONFIRMED');
  });

  it('returns null for an event already applied', () => {
    const view = replay([created]);
    expect(applyEvent(view, created)).toBeNull();
  });

  it('EXPIRED outranks every status: events arriving after the expiry add history only', () => {
    const view = replay([
      created,
      ev('OrderExpired', 2, 'e9'),
      ev('InventoryReserved', 2, 'e2'),
      ev('PaymentAuthorized', 3, 'e3'),
    ]);
    expect(view.status).toBe('EXPIRED');
    expect(view.history.map((h) => h.eventId)).toEqual(['e1', 'e2', 'e9', 'e3']);
    expect(
      replay([created, ev('InventoryReserved', 2, 'e2'), ev('PaymentAuthorized', 3, 'e3'), ev('OrderExpired', 4, 'e9')])
        .status,
    ).toBe('EXPIRED');
  });

  it('moves through CANCELLING before the release arrives', () => {
    const view = replay([created, ev('InventoryReserved', 2, 'e2'), ev('PaymentDeclined', 3, 'e3')]);
    expect(view.status).toBe('CANCELLING');
  });
});

describe('open-order marker', () => {
  // Imported here (not at the top) to keep the state-machine tests free of the AWS SDK.
  const { markerUpdate } = jest.requireActual('./update-view') as typeof import('./update-view');
  const step = (eventType: HistoryStepType) => ({ eventId: eventType, eventType, at: '', sequence: 1, detail: '' });
  const createdStep = step('OrderCreated');
  const notified = step('NotificationSent');
  it('records progress while open, leaves the index once final and notified, keeps EXPIRED until the reconciler settles it', () => {
    for (const status of ['PENDING', 'RESERVED', 'CANCELLING'] as const) {
      expect(markerUpdate({ status, history: [createdStep] })).toEqual({ set: 'lastProgressAt = :now' });
      // A notification applied before the final status (another topic) does not close the order.
      expect(markerUpdate({ status, history: [createdStep, notified] })).toEqual({ set: 'lastProgressAt = :now' });
    }
    for (const status of ['CONFIRMED', 'REJECTED', 'CANCELLED'] as const) {
      expect(markerUpdate({ status, history: [createdStep, notified] })).toEqual({ remove: 'REMOVE openShard' });
      // Final but the customer not told yet: stays open so a stranded NotificationSent is re-driven.
      expect(markerUpdate({ status, history: [createdStep] })).toEqual({ set: 'lastProgressAt = :now' });
    }
    expect(markerUpdate({ status: 'EXPIRED', history: [createdStep] })).toEqual({});
  });
});
