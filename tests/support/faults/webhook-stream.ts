// Signed order webhooks delivered the way Shopify delivers them: each has its own webhook id, an
// answer other than 2xx (or none within the timeout) means "send it again later", and a delivery that
// was acknowledged may still arrive a second time. Checks of what the app made of them go with it.
import type { Db } from "~/db.server";
import { webhookFixture } from "../fixtures";
import { postWebhook } from "../webhooks";

export interface OrderDelivery {
  webhookId: string;
  shop: string;
  orderId: string;
  body: string;
}

export type Answer = number | "no answer";

const LINES_PER_ORDER = (webhookFixture("orders/create").line_items as unknown[]).length;

/** `count` distinct orders/create deliveries for `shop`, ids derived from `label`. */
export function orderDeliveries(count: number, shop: string, label: string, firstId = 1): OrderDelivery[] {
  const base = webhookFixture("orders/create");
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const orderId = String(7_000_000 + id);
    return {
      webhookId: `${label}-${id}`,
      shop,
      orderId,
      body: JSON.stringify({ ...base, id: Number(orderId), admin_graphql_api_id: `gid://shopify/Order/${orderId}`, name: `#${id}` }),
    };
  });
}

/** One delivery attempt; a connection error or no answer within `timeoutMs` is "no answer". */
export async function deliver(baseUrl: string, delivery: OrderDelivery, timeoutMs = 5_000): Promise<Answer> {
  try {
    const response = await Promise.race([
      postWebhook(baseUrl, "orders/create", delivery.body, { shop: delivery.shop, webhookId: delivery.webhookId }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), timeoutMs)),
    ]);
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  } catch {
    return "no answer";
  }
}

/** Redelivers (as Shopify would) until every delivery got a 2xx; returns the attempts made. */
export async function deliverUntilAcknowledged(baseUrl: string, deliveries: OrderDelivery[], options: { rounds?: number; pauseMs?: number } = {}): Promise<number> {
  let pending = deliveries;
  let attempts = 0;
  for (let round = 0; pending.length && round < (options.rounds ?? 20); round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 500));
    const answers = await Promise.all(pending.map((delivery) => deliver(baseUrl, delivery)));
    attempts += pending.length;
    pending = pending.filter((_, i) => answers[i] !== 200);
  }
  if (pending.length) throw new Error(`${pending.length} deliveries never acknowledged: ${pending.slice(0, 3).map((d) => d.webhookId).join(", ")}`);
  return attempts;
}

export interface InboxCheck {
  /** Webhook ids with other than exactly one inbox row. */
  notExactlyOnce: string[];
  /** Deliveries whose row is not `processed`, or was processed more than once (attempts ≠ 1). */
  notAppliedOnce: string[];
  /** Orders missing from the mirror, stored twice, or with their lines doubled. */
  badOrders: string[];
  /** Processing jobs per delivery other than one, or not succeeded. */
  badJobs: string[];
}

/** What the app made of the deliveries: each in the inbox once, applied once, in the mirror once. */
export async function checkDeliveries(db: Db, deliveries: OrderDelivery[]): Promise<InboxCheck> {
  const shops = [...new Set(deliveries.map((d) => d.shop))];
  const events = await db.webhookEvent.findMany({ where: { shop: { in: shops } }, select: { id: true, webhookId: true, status: true, attempts: true } });
  const byWebhook = Map.groupBy(events, (event) => event.webhookId);
  const orders = await db.order.findMany({ where: { shop: { in: shops } }, select: { shop: true, id: true } });
  const ordersByKey = Map.groupBy(orders, (order) => `${order.shop}/${order.id}`);
  const lines = await db.orderLine.groupBy({ by: ["shop", "orderId"], where: { shop: { in: shops } }, _count: { _all: true } });
  const linesByKey = new Map(lines.map((row) => [`${row.shop}/${row.orderId}`, row._count._all]));
  const jobs = await db.job.findMany({ where: { shop: { in: shops }, name: "webhook.process" }, select: { key: true, status: true } });
  const jobsByKey = Map.groupBy(jobs, (job) => job.key ?? "");
  const check: InboxCheck = { notExactlyOnce: [], notAppliedOnce: [], badOrders: [], badJobs: [] };
  for (const delivery of deliveries) {
    const rows = byWebhook.get(delivery.webhookId) ?? [];
    if (rows.length !== 1) {
      check.notExactlyOnce.push(`${delivery.webhookId} ×${rows.length}`);
      continue;
    }
    const [row] = rows;
    if (row.status !== "processed" || row.attempts !== 1) check.notAppliedOnce.push(`${delivery.webhookId} ${row.status} attempts=${row.attempts}`);
    const key = `${delivery.shop}/${delivery.orderId}`;
    const stored = ordersByKey.get(key)?.length ?? 0;
    if (stored !== 1 || linesByKey.get(key) !== LINES_PER_ORDER) check.badOrders.push(`${key} rows=${stored} lines=${linesByKey.get(key) ?? 0}`);
    const processing = jobsByKey.get(`webhook:${row.id}`) ?? [];
    // Scale mode keeps jobs in Redis, not in the Job table: nothing to count there.
    if (jobs.length && (processing.length !== 1 || processing[0].status !== "succeeded")) {
      check.badJobs.push(`${delivery.webhookId} jobs=${processing.map((job) => job.status).join(",") || "none"}`);
    }
  }
  return check;
}

export const CLEAN: InboxCheck = { notExactlyOnce: [], notAppliedOnce: [], badOrders: [], badJobs: [] };

/** Waits until every delivery's inbox row is settled (not `received`). */
export async function waitUntilProcessed(db: Db, deliveries: OrderDelivery[], timeoutMs = 30_000): Promise<void> {
  const shops = [...new Set(deliveries.map((d) => d.shop))];
  const ids = deliveries.map((d) => d.webhookId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const settled = await db.webhookEvent.count({ where: { shop: { in: shops }, webhookId: { in: ids }, status: { not: "received" } } });
    if (settled >= ids.length) return;
    if (Date.now() > deadline) throw new Error(`only ${settled} of ${ids.length} deliveries processed after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
