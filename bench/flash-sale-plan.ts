// Pure pieces of `npm run bench:flash-sale`: the traffic plan (which webhook goes to which shop when)
// and the statistics over what was measured. No I/O here, so bench/flash-sale-plan.test.ts checks them.
import { seededRandom } from "~/copy/prng";

export const FLASH_SHOP = "flash-sale.myshopify.com";
export const backgroundShop = (index: number) => `background-${String(index + 1).padStart(2, "0")}.myshopify.com`;

export type PlannedTopic =
  | "checkouts/create"
  | "checkouts/update"
  | "orders/create"
  | "orders/paid"
  | "orders/updated"
  | "inventory_levels/update"
  | "products/update"
  | "customers/update";

/** One webhook delivery of the plan: what the generator sends, `atMs` after the start. */
export interface PlannedDelivery {
  atMs: number;
  shop: string;
  topic: PlannedTopic;
  /** The order, checkout, product or customer the delivery is about (a small integer per shop). */
  entity: number;
  /** Revision of that entity (updated_at moves forward with it). */
  revision: number;
}

export interface TrafficOptions {
  seconds: number;
  /** Orders per minute for the flash-sale shop. */
  ordersPerMinute: number;
  backgroundShops: number;
  /** Deliveries per minute for each background shop. */
  backgroundPerShopPerMinute: number;
  /** Products and customers each shop has (entities updates refer to). */
  productsPerShop: number;
  customersPerShop: number;
  seed?: number;
}

// What one checkout-to-order costs in deliveries as Shopify sends them to an app subscribed to these
// topics: the checkout, then the order's create, paid and updated (the fulfilment/payment edits), and
// the sold item's inventory level. Offsets in ms after the checkout.
const ORDER_SEQUENCE: Array<{ topic: PlannedTopic; offsetMs: number; revision: number }> = [
  { topic: "checkouts/create", offsetMs: 0, revision: 0 },
  { topic: "orders/create", offsetMs: 1_500, revision: 0 },
  { topic: "inventory_levels/update", offsetMs: 1_700, revision: 0 },
  { topic: "orders/paid", offsetMs: 2_200, revision: 1 },
  { topic: "orders/updated", offsetMs: 3_500, revision: 2 },
];

// The background shops' everyday mix (weights).
const BACKGROUND_MIX: Array<{ topic: PlannedTopic; weight: number }> = [
  { topic: "products/update", weight: 3 },
  { topic: "inventory_levels/update", weight: 3 },
  { topic: "customers/update", weight: 2 },
  { topic: "checkouts/create", weight: 1 },
  { topic: "checkouts/update", weight: 1 },
  { topic: "orders/create", weight: 1 },
];

/** Exponential inter-arrival times: a Poisson stream of the given rate per second. */
function poissonTimes(ratePerSecond: number, seconds: number, random: () => number): number[] {
  const times: number[] = [];
  if (ratePerSecond <= 0) return times;
  for (let t = -Math.log(1 - random()) / ratePerSecond; t < seconds; t += -Math.log(1 - random()) / ratePerSecond) {
    times.push(Math.round(t * 1000));
  }
  return times;
}

/** Every delivery of the run, sorted by time. Deterministic for a seed. */
export function planTraffic(options: TrafficOptions): PlannedDelivery[] {
  const random = seededRandom(options.seed ?? 9);
  const deliveries: PlannedDelivery[] = [];
  const orders = poissonTimes(options.ordersPerMinute / 60, options.seconds, random);
  orders.forEach((startMs, order) => {
    for (const step of ORDER_SEQUENCE) {
      const atMs = startMs + step.offsetMs;
      if (atMs < options.seconds * 1000) deliveries.push({ atMs, shop: FLASH_SHOP, topic: step.topic, entity: order + 1, revision: step.revision });
    }
  });
  const totalWeight = BACKGROUND_MIX.reduce((sum, entry) => sum + entry.weight, 0);
  for (let index = 0; index < options.backgroundShops; index++) {
    const shop = backgroundShop(index);
    const revisions = new Map<string, number>();
    let created = 0;
    for (const atMs of poissonTimes(options.backgroundPerShopPerMinute / 60, options.seconds, random)) {
      let pick = random() * totalWeight;
      const { topic } = BACKGROUND_MIX.find((entry) => (pick -= entry.weight) < 0) ?? BACKGROUND_MIX[0];
      const entities = topic.startsWith("customers") ? options.customersPerShop : options.productsPerShop;
      // Orders and checkouts are new each time; products and customers are existing ones, edited again.
      const entity = topic === "orders/create" || topic === "checkouts/create" ? ++created : 1 + Math.floor(random() * entities);
      const key = `${topic.split("/")[0]}:${entity}`;
      const revision = (revisions.get(key) ?? -1) + 1;
      revisions.set(key, revision);
      deliveries.push({ atMs, shop, topic, entity, revision });
    }
  }
  return deliveries.sort((a, b) => a.atMs - b.atMs);
}

// ---------------------------------------------------------------------------------------------------------
// Statistics

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (the value below which p% of the observations fall). */
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] };
}

export interface BacklogSample {
  atMs: number;
  /** Deliveries recorded but not yet processed. */
  backlog: number;
}

/** Least-squares slope of the backlog (deliveries per second) over samples in [fromMs, toMs]. */
export function backlogSlope(samples: BacklogSample[], fromMs: number, toMs: number): number {
  const window = samples.filter((sample) => sample.atMs >= fromMs && sample.atMs <= toMs);
  if (window.length < 2) return 0;
  const meanT = window.reduce((sum, s) => sum + s.atMs, 0) / window.length;
  const meanB = window.reduce((sum, s) => sum + s.backlog, 0) / window.length;
  const covariance = window.reduce((sum, s) => sum + (s.atMs - meanT) * (s.backlog - meanB), 0);
  const variance = window.reduce((sum, s) => sum + (s.atMs - meanT) ** 2, 0);
  return variance === 0 ? 0 : (covariance / variance) * 1000;
}

/** Messages per second between the first and the last timestamp inside [fromMs, toMs). */
export function rateBetween(timestamps: number[], fromMs: number, toMs: number): { count: number; perSecond: number } {
  const inside = timestamps.filter((t) => t >= fromMs && t < toMs).sort((a, b) => a - b);
  if (inside.length < 2) return { count: inside.length, perSecond: 0 };
  const seconds = (inside[inside.length - 1] - inside[0]) / 1000;
  return { count: inside.length, perSecond: seconds > 0 ? (inside.length - 1) / seconds : 0 };
}

/** Counts per bucket of `bucketMs` from `startMs` (for "backlog / sends over time" rows). */
export function buckets(timestamps: number[], startMs: number, bucketMs: number): number[] {
  const counts: number[] = [];
  for (const t of timestamps) {
    const index = Math.floor((t - startMs) / bucketMs);
    if (index < 0) continue;
    while (counts.length <= index) counts.push(0);
    counts[index]++;
  }
  return counts;
}
