/**
 * The order read model rebuilt from the topics: every order's status and history folded from its events
 * with order-view's own state machine (functions/order-view/status.ts applyEvent, describeEvent), so the
 * rebuild and the live consumer cannot disagree on the rules. Re-drive steps are not events (the
 * reconciler writes them on the order item), so a rebuild keeps the live item's.
 */
import { describeEvent } from '../../../functions/order-view/detail';
import {
  applyEvent,
  byCausalOrder,
  type HistoryStep,
  type OrderView,
  REDRIVE_STEP,
} from '../../../functions/order-view/status';
import type { AnyEventEnvelope } from '../../../functions/shared/envelope';

export const EMPTY_VIEW: OrderView = { status: 'PENDING', history: [] };

/** orderId → the view its events produce (events of any order, in any arrival order). */
export function foldEvents(events: readonly AnyEventEnvelope[]): Map<string, OrderView> {
  const views = new Map<string, OrderView>();
  for (const e of events) {
    const current = views.get(e.orderId) ?? EMPTY_VIEW;
    const next = applyEvent(current, {
      eventId: e.eventId,
      type: e.type,
      occurredAt: e.occurredAt,
      sequence: e.sequence,
      detail: describeEvent(e),
    });
    if (next) views.set(e.orderId, next);
  }
  return views;
}

/** The rebuilt view with the live item's re-drive steps kept (they come from no topic). */
export function withRedriveSteps(rebuilt: OrderView, live: { history?: readonly HistoryStep[] }): OrderView {
  const redrives = (live.history ?? []).filter((h) => h.eventType === REDRIVE_STEP);
  return { status: rebuilt.status, history: [...rebuilt.history, ...redrives].sort(byCausalOrder) };
}

/** Human-readable differences between the live item and the rebuilt view (empty = the same). */
export function viewDifferences(
  live: { status?: string; history?: readonly HistoryStep[] },
  rebuilt: OrderView,
): string[] {
  const out: string[] = [];
  if (live.status !== rebuilt.status) out.push(`status ${String(live.status)} → ${rebuilt.status}`);
  const liveIds = (live.history ?? []).map((h) => `${h.eventType}:${h.eventId}`);
  const rebuiltIds = rebuilt.history.map((h) => `${h.eventType}:${h.eventId}`);
  const missing = rebuiltIds.filter((id) => !liveIds.includes(id));
  const extra = liveIds.filter((id) => !rebuiltIds.includes(id));
  if (missing.length > 0) out.push(`history lacks ${missing.join(', ')}`);
  if (extra.length > 0) out.push(`history has ${extra.join(', ')} that no topic holds`);
  const steps = (h: readonly HistoryStep[] | undefined) =>
    (h ?? []).map((x) => [x.eventId, x.eventType, x.at, Number(x.sequence), x.detail].join(' | '));
  const liveSteps = steps(live.history);
  const rebuiltSteps = steps(rebuilt.history);
  if (missing.length === 0 && extra.length === 0 && liveSteps.join('\n') !== rebuiltSteps.join('\n')) {
    const at = rebuiltSteps.findIndex((x, i) => x !== liveSteps[i]);
    out.push(`history step ${at + 1} differs (order, time or detail): ${String(liveSteps[at])}`);
  }
  return out;
}
