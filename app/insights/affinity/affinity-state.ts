// A customer's affinity state: decayed scores per product / type / vendor / collection / tag plus the
// evidence behind each, small enough to persist as one JSON document per customer and updated one event
// at a time (see decay.ts for how scores decay without being rewritten).
import { z } from "zod";
import { growthFactor, needsRebase } from "../decay";
import { utcDayNumber } from "../time";
import type { CatalogLookup, InsightEvent } from "../schemas";
import { AFFINITY_DIMENSIONS, type AffinityConfig, type AffinityDimension } from "./affinity-config";

const entrySchema = z.object({
  /** score at state.referenceAt (may be negative after refunds; read clamps at zero) */
  s: z.number(),
  units: z.number(),
  orderLines: z.number(),
  refundedUnits: z.number(),
  views: z.number(),
  carts: z.number(),
  checkouts: z.number(),
  lastAt: z.number(),
  lastOrderAt: z.number().nullable(),
  /** distinct UTC days with a purchase (capped at 2: "bought more than once" is all callers need) */
  purchaseDays: z.number(),
});
export type AffinityEntry = z.output<typeof entrySchema>;

const recentPurchaseSchema = z.object({ productId: z.string(), at: z.number(), orderKey: z.string() });
export type RecentPurchase = z.output<typeof recentPurchaseSchema>;

export const affinityStateSchema = z.object({
  version: z.literal(1),
  customerId: z.string(),
  referenceAt: z.number(),
  eventCount: z.number().int().nonnegative(),
  lastEventAt: z.number(),
  dimensions: z.object(
    Object.fromEntries(AFFINITY_DIMENSIONS.map((d) => [d, z.record(z.string(), entrySchema)])) as Record<
      AffinityDimension,
      z.ZodRecord<z.ZodString, typeof entrySchema>
    >,
  ),
  entryCounts: z.record(z.string(), z.number().int().nonnegative()),
  recentPurchases: z.array(recentPurchaseSchema),
  session: z.object({ id: z.string().nullable(), lastAt: z.number(), productIds: z.array(z.string()) }),
  lineValues: z.object({ count: z.number(), sum: z.number() }),
});
export type AffinityState = z.output<typeof affinityStateSchema>;

export function createAffinityState(customerId: string): AffinityState {
  return {
    version: 1,
    customerId,
    referenceAt: 0,
    eventCount: 0,
    lastEventAt: 0,
    dimensions: { product: {}, productType: {}, vendor: {}, collection: {}, tag: {} },
    entryCounts: { product: 0, productType: 0, vendor: 0, collection: 0, tag: 0 },
    recentPurchases: [],
    session: { id: null, lastAt: 0, productIds: [] },
    lineValues: { count: 0, sum: 0 },
  };
}

/** Validates persisted JSON before it is used again (a schema change or a corrupted row fails loudly). */
export function restoreAffinityState(json: unknown): AffinityState {
  return affinityStateSchema.parse(json);
}

/** Signed weight of an event: positive for interest, negative for refunds and cancellations. */
export function eventWeight(state: AffinityState, event: InsightEvent, config: AffinityConfig): number {
  const quantity = event.quantity ?? 1;
  const units = Math.abs(quantity);
  const quantityFactor =
    config.quantityDamping === "none" ? 1 : config.quantityDamping === "linear" ? Math.max(1, units) : 1 + Math.log(Math.max(1, units));
  switch (event.type) {
    case "view":
      return config.weights.view;
    case "add_to_cart":
      return config.weights.add_to_cart * quantityFactor;
    case "checkout":
      return config.weights.checkout * quantityFactor;
    case "order":
    case "refund": {
      const sign = event.type === "refund" || quantity < 0 ? -1 : 1;
      return sign * config.weights.order * quantityFactor * valueMultiplier(state, event, units, config);
    }
  }
}

function valueMultiplier(state: AffinityState, event: InsightEvent, units: number, config: AffinityConfig): number {
  if (event.price === undefined || config.valueExponent === 0 || state.lineValues.count < 3) return 1;
  const typical = state.lineValues.sum / state.lineValues.count;
  if (!(typical > 0)) return 1;
  const [low, high] = config.valueMultiplierRange;
  const ratio = Math.max(0, event.price * Math.max(1, units)) / typical;
  return Math.min(high, Math.max(low, Math.pow(ratio, config.valueExponent)));
}

/** The keys an event touches in each dimension; a product missing from the catalog only touches itself. */
export function affinityKeys(productId: string, catalog: CatalogLookup): [AffinityDimension, string][] {
  const keys: [AffinityDimension, string][] = [["product", productId]];
  const item = catalog(productId);
  if (!item) return keys;
  if (item.productType) keys.push(["productType", item.productType]);
  if (item.vendor) keys.push(["vendor", item.vendor]);
  for (const collection of item.collections) keys.push(["collection", collection]);
  for (const tag of item.tags) keys.push(["tag", tag]);
  return keys;
}

/**
 * Applies one event. Mutates and returns `state` (one event costs microseconds; copying the state would
 * dominate). Out-of-order events are fine: decay is relative to each event's own time.
 */
export function applyEvent(
  state: AffinityState,
  event: InsightEvent,
  catalog: CatalogLookup,
  config: AffinityConfig,
): AffinityState {
  if (state.eventCount === 0) state.referenceAt = event.at;
  else if (needsRebase(event.at, state.referenceAt, config.halfLifeDays)) rebase(state, event.at, config);
  const weight = eventWeight(state, event, config);
  const scaled = weight * growthFactor(event.at, state.referenceAt, config.halfLifeDays);
  const isPurchase = event.type === "order" && (event.quantity ?? 1) >= 0;
  const isReturn = event.type === "refund" || (event.type === "order" && (event.quantity ?? 1) < 0);
  const units = Math.abs(event.quantity ?? 1);

  for (const [dimension, key] of affinityKeys(event.productId, catalog)) {
    const entry = entryFor(state, dimension, key);
    entry.s += scaled;
    entry.lastAt = Math.max(entry.lastAt, event.at);
    if (isPurchase) {
      if (entry.lastOrderAt === null || utcDayNumber(entry.lastOrderAt) !== utcDayNumber(event.at)) {
        entry.purchaseDays = Math.min(2, entry.purchaseDays + 1);
      }
      entry.units += units;
      entry.orderLines += 1;
      entry.lastOrderAt = Math.max(entry.lastOrderAt ?? 0, event.at);
    } else if (isReturn) {
      entry.units = Math.max(0, entry.units - units);
      entry.refundedUnits += units;
    } else if (event.type === "view") entry.views += 1;
    else if (event.type === "add_to_cart") entry.carts += 1;
    else if (event.type === "checkout") entry.checkouts += 1;
  }

  if (isPurchase) rememberPurchase(state, event, config);
  if (event.type === "order" && event.price !== undefined && isPurchase) {
    state.lineValues.count += 1;
    state.lineValues.sum += Math.max(0, event.price) * Math.max(1, units);
  }
  if (event.type === "view" || event.type === "add_to_cart" || event.type === "checkout") {
    rememberInSession(state, event, config);
  }
  state.eventCount += 1;
  state.lastEventAt = Math.max(state.lastEventAt, event.at);
  for (const dimension of AFFINITY_DIMENSIONS) {
    if (state.entryCounts[dimension] > config.maxEntriesPerDimension * 1.25) prune(state, dimension, config);
  }
  return state;
}

/** The key that says which purchases were one basket: the order id, else the purchase instant. */
export function orderKeyOf(event: InsightEvent): string {
  return event.orderId ?? `@${event.at}`;
}

/** Whether the customer's current session (explicit id, else the inactivity gap) continues with `event`. */
export function continuesSession(state: AffinityState, event: InsightEvent, config: AffinityConfig): boolean {
  const { session } = state;
  if (session.productIds.length === 0) return false;
  if (event.sessionId !== undefined && session.id !== null) return event.sessionId === session.id;
  return Math.abs(event.at - session.lastAt) <= config.sessionGapMinutes * 60_000;
}

function entryFor(state: AffinityState, dimension: AffinityDimension, key: string): AffinityEntry {
  const entries = state.dimensions[dimension];
  let entry = entries[key];
  if (entry === undefined) {
    entry = {
      s: 0,
      units: 0,
      orderLines: 0,
      refundedUnits: 0,
      views: 0,
      carts: 0,
      checkouts: 0,
      lastAt: 0,
      lastOrderAt: null,
      purchaseDays: 0,
    };
    entries[key] = entry;
    state.entryCounts[dimension] = (state.entryCounts[dimension] ?? 0) + 1;
  }
  return entry;
}

function rememberPurchase(state: AffinityState, event: InsightEvent, config: AffinityConfig): void {
  // Kept in time order; late events slot into place instead of re-sorting the list on every purchase.
  const recent = state.recentPurchases;
  let position = recent.length;
  while (position > 0 && recent[position - 1].at > event.at) position -= 1;
  recent.splice(position, 0, { productId: event.productId, at: event.at, orderKey: orderKeyOf(event) });
  if (recent.length > config.recentPurchasesKept) recent.shift();
}

function rememberInSession(state: AffinityState, event: InsightEvent, config: AffinityConfig): void {
  if (!continuesSession(state, event, config)) {
    state.session = { id: event.sessionId ?? null, lastAt: event.at, productIds: [] };
  }
  const items = state.session.productIds;
  if (!items.includes(event.productId)) {
    items.push(event.productId);
    if (items.length > config.sessionItemsKept) items.shift();
  }
  state.session.lastAt = Math.max(state.session.lastAt, event.at);
}

function rebase(state: AffinityState, newReferenceAt: number, config: AffinityConfig): void {
  const factor = growthFactor(state.referenceAt, newReferenceAt, config.halfLifeDays);
  for (const dimension of AFFINITY_DIMENSIONS) {
    for (const entry of Object.values(state.dimensions[dimension])) entry.s *= factor;
  }
  state.referenceAt = newReferenceAt;
}

function prune(state: AffinityState, dimension: AffinityDimension, config: AffinityConfig): void {
  const kept = Object.entries(state.dimensions[dimension])
    .sort(([, a], [, b]) => b.s - a.s)
    .slice(0, config.maxEntriesPerDimension);
  state.dimensions[dimension] = Object.fromEntries(kept);
  state.entryCounts[dimension] = kept.length;
}

