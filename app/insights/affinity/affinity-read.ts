// Reading a customer's affinities at a given instant: decay is applied here, never on write.
import { decayedValue } from "../decay";
import { MS_PER_DAY } from "../time";
import { AFFINITY_DIMENSIONS, type AffinityConfig, type AffinityDimension } from "./affinity-config";
import type { AffinityEntry, AffinityState } from "./affinity-state";

export interface AffinityEvidence {
  unitsBought: number;
  orderLines: number;
  unitsReturned: number;
  views: number;
  addsToCart: number;
  checkouts: number;
  lastAt: number;
  lastOrderAt: number | null;
}

export interface AffinityScore {
  dimension: AffinityDimension;
  key: string;
  /** decayed score at the read instant, ≥ 0 */
  score: number;
  evidence: AffinityEvidence;
}

export function entryScore(state: AffinityState, entry: AffinityEntry, now: number, config: AffinityConfig): number {
  return Math.max(0, decayedValue(entry.s, state.referenceAt, now, config.halfLifeDays));
}

/** Decayed scores of one dimension, strongest first; entries fully cancelled by refunds are left out. */
export function readAffinities(
  state: AffinityState,
  dimension: AffinityDimension,
  now: number,
  config: AffinityConfig,
  limit = Infinity,
): AffinityScore[] {
  const scores: AffinityScore[] = [];
  for (const [key, entry] of Object.entries(state.dimensions[dimension])) {
    const score = entryScore(state, entry, now, config);
    if (score > 0) scores.push({ dimension, key, score, evidence: evidenceOf(entry) });
  }
  scores.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  return scores.slice(0, limit);
}

export function topAffinities(
  state: AffinityState,
  now: number,
  config: AffinityConfig,
  limit = 5,
): Record<AffinityDimension, AffinityScore[]> {
  return Object.fromEntries(
    AFFINITY_DIMENSIONS.map((dimension) => [dimension, readAffinities(state, dimension, now, config, limit)]),
  ) as Record<AffinityDimension, AffinityScore[]>;
}

/** The customer's decayed affinity for one key (0 when unknown). */
export function affinityOf(
  state: AffinityState,
  dimension: AffinityDimension,
  key: string,
  now: number,
  config: AffinityConfig,
): number {
  const entry = state.dimensions[dimension][key];
  return entry ? entryScore(state, entry, now, config) : 0;
}

function evidenceOf(entry: AffinityEntry): AffinityEvidence {
  return {
    unitsBought: entry.units,
    orderLines: entry.orderLines,
    unitsReturned: entry.refundedUnits,
    views: entry.views,
    addsToCart: entry.carts,
    checkouts: entry.checkouts,
    lastAt: entry.lastAt,
    lastOrderAt: entry.lastOrderAt,
  };
}

/**
 * One sentence a merchant can read, e.g. "bought 3 items from Ceramics, last 12 days ago; viewed 5
 * products". `label` names the key (a product title, say); the key itself is used otherwise.
 */
export function explainAffinity(affinity: AffinityScore, now: number, label: string = affinity.key): string {
  const { evidence: e, dimension } = affinity;
  const isProduct = dimension === "product";
  const parts: string[] = [];
  if (e.unitsBought > 0) {
    const what = isProduct ? `${label} ${times(e.orderLines)}` : `${count(e.unitsBought, "item")} ${from(dimension, label)}`;
    parts.push(`bought ${what}${e.lastOrderAt === null ? "" : `, last ${ago(e.lastOrderAt, now)}`}`);
  }
  if (e.views > 0) parts.push(isProduct ? `viewed it ${times(e.views)}` : `viewed ${count(e.views, "product")}`);
  if (e.addsToCart > 0) parts.push(`added ${isProduct ? `it ${times(e.addsToCart)}` : count(e.addsToCart, "product")} to cart`);
  if (e.checkouts > 0) parts.push(`started checkout with ${isProduct ? `it ${times(e.checkouts)}` : count(e.checkouts, "product")}`);
  if (e.unitsReturned > 0) parts.push(`returned ${count(e.unitsReturned, "item")}`);
  if (parts.length === 0) return `no recent activity ${from(dimension, label)}`;
  if (e.unitsBought === 0 && !isProduct) parts[0] = `${parts[0]} ${from(dimension, label)}`;
  if (e.unitsBought === 0) parts[parts.length - 1] += `, last ${ago(e.lastAt, now)}`;
  return parts.join("; ");
}

function from(dimension: AffinityDimension, label: string): string {
  switch (dimension) {
    case "collection":
      return `from the ${label} collection`;
    case "tag":
      return `tagged “${label}”`;
    default:
      return `from ${label}`;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function times(n: number): string {
  return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}

function ago(at: number, now: number): string {
  const days = Math.max(0, Math.floor((now - at) / MS_PER_DAY));
  if (days === 0) return "today";
  return days === 1 ? "1 day ago" : `${days} days ago`;
}
