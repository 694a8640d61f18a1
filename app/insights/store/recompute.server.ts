import type { Db } from "~/db.server";
import { defaultAffinityConfig } from "../affinity/affinity-config";
import { createShopInsights, ingestEvent } from "../engine";
import { fitShopLifecycle, scoreCustomer } from "../lifecycle/lifecycle";
import { PurchaseHistories } from "../lifecycle/purchase-summary";
import { rfmScores } from "../lifecycle/rfm";
import { serialiseIndex } from "../recommend/recommender-index";
import type { InsightEvent } from "../schemas";
import { catalogLookup, loadCatalog } from "./catalog.server";
import { historyEvents, lifecycleOrders } from "./customer-events.server";
import { affinityRows, saveCustomerInsight } from "./customer-insights.server";

// The full recompute (after the backfill, and nightly): replays the shop's orders and storefront
// events in time order through the engine, fits the lifecycle models, and rewrites every customer's
// insights and the shop's recommender index. Orders and events are read page by page, so memory grows
// with the number of customers and products (their states), not with the length of the history.

// Orders per page; their lines and refunds are fetched with one `IN` of this many ids (under the
// driver's parameter cap, see lib/chunks).
const PAGE = 400;
const DAY = 86_400_000;

export interface RecomputeResult {
  customers: number;
  events: number;
  durationMs: number;
  note: string | null;
}

async function* orderEventPages(db: Db, shop: string, histories: PurchaseHistories): AsyncGenerator<InsightEvent[]> {
  let cursor: { processedAt: Date; id: string } | undefined;
  for (;;) {
    const orders = await db.order.findMany({
      where: {
        shop,
        customerId: { not: null },
        ...(cursor && { OR: [{ processedAt: { gt: cursor.processedAt } }, { processedAt: cursor.processedAt, id: { gt: cursor.id } }] }),
      },
      orderBy: [{ processedAt: "asc" }, { id: "asc" }],
      take: PAGE,
      select: { id: true, customerId: true, processedAt: true, cancelledAt: true, totalPrice: true, totalRefunded: true },
    });
    if (!orders.length) return;
    const last = orders[orders.length - 1];
    cursor = { processedAt: last.processedAt, id: last.id };
    const [lines, refunds] = await Promise.all([
      db.orderLine.findMany({
        where: { shop, orderId: { in: orders.map((order) => order.id) } },
        select: { orderId: true, id: true, productId: true, quantity: true, refundedQuantity: true, price: true },
        orderBy: [{ orderId: "asc" }, { id: "asc" }],
      }),
      db.refund.findMany({ where: { shop, orderId: { in: orders.map((order) => order.id) } }, select: { orderId: true, createdAt: true } }),
    ]);
    const linesByOrder = Map.groupBy(lines, (line) => line.orderId);
    const events: InsightEvent[] = [];
    for (const order of orders) {
      const customerId = order.customerId!;
      for (const lifecycleOrder of lifecycleOrders(customerId, [order])) histories.add(lifecycleOrder);
      events.push(...historyEvents(customerId, [order], linesByOrder.get(order.id) ?? [], refunds, [], []));
    }
    yield events;
  }
}

async function* browseEventPages(db: Db, shop: string): AsyncGenerator<InsightEvent[]> {
  let cursor: { occurredAt: Date; id: string } | undefined;
  for (;;) {
    const rows = await db.browseEvent.findMany({
      where: {
        shop,
        customerId: { not: null },
        productId: { not: null },
        type: { in: ["product_view", "add_to_cart"] },
        ...(cursor && { OR: [{ occurredAt: { gt: cursor.occurredAt } }, { occurredAt: cursor.occurredAt, id: { gt: cursor.id } }] }),
      },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      take: PAGE,
      select: { id: true, customerId: true, type: true, productId: true, visitorId: true, occurredAt: true },
    });
    if (!rows.length) return;
    const last = rows[rows.length - 1];
    cursor = { occurredAt: last.occurredAt, id: last.id };
    yield rows.map((row) => ({
      type: row.type === "add_to_cart" ? "add_to_cart" : "view",
      customerId: row.customerId!,
      productId: row.productId!,
      at: row.occurredAt.getTime(),
      sessionId: `${row.visitorId}:${Math.floor(row.occurredAt.getTime() / DAY)}`,
    }));
  }
}

/** Merges two time-ordered streams of pages into one time-ordered stream of events. */
async function* mergeByTime(a: AsyncGenerator<InsightEvent[]>, b: AsyncGenerator<InsightEvent[]>): AsyncGenerator<InsightEvent> {
  const sources = [a, b].map((pages) => ({ pages, buffer: [] as InsightEvent[], done: false }));
  const fill = async (source: (typeof sources)[number]) => {
    while (!source.done && source.buffer.length === 0) {
      const next = await source.pages.next();
      if (next.done) source.done = true;
      else source.buffer = next.value;
    }
  };
  for (;;) {
    await Promise.all(sources.map(fill));
    const live = sources.filter((source) => source.buffer.length > 0);
    if (!live.length) return;
    const earliest = live.reduce((best, source) => (source.buffer[0].at < best.buffer[0].at ? source : best));
    yield earliest.buffer.shift()!;
  }
}

export async function recomputeShopInsights(db: Db, shop: string, now = new Date()): Promise<RecomputeResult> {
  const started = Date.now();
  const catalog = await loadCatalog(db, shop);
  const lookup = catalogLookup(catalog);
  const insights = createShopInsights();
  const histories = new PurchaseHistories();
  let events = 0;
  for await (const event of mergeByTime(orderEventPages(db, shop, histories), browseEventPages(db, shop))) {
    ingestEvent(insights, event, lookup);
    events++;
  }

  const summaries = histories.summarise(now.getTime());
  const model = await fitShopLifecycle(summaries, now.getTime());
  const rfm = rfmScores(summaries);
  const summaryById = new Map(summaries.map((summary) => [summary.customerId, summary]));
  const labels = new Map([...catalog].map(([id, item]) => [id, item.title ?? id]));
  for (const [customerId, state] of insights.customers) {
    const summary = summaryById.get(customerId);
    await saveCustomerInsight(
      db,
      shop,
      customerId,
      {
        state,
        affinities: affinityRows(state, now.getTime(), defaultAffinityConfig, labels),
        lifecycle: summary ? scoreCustomer(summary, model, rfm.get(customerId)) : null,
      },
      now,
    );
  }

  const notes = [model.bgNbd, model.gammaGamma].flatMap((fit) =>
    fit.kind === "not_fitted" ? [`${fit.reason.replaceAll("_", " ")}: ${fit.detail}`] : fit.note ? [fit.note] : [],
  );
  const note = notes.length ? `${notes.join("; ")} (scores use heuristics where the models could not be fitted)` : null;
  const durationMs = Date.now() - started;
  const values = {
    lifecycle: JSON.stringify(model),
    recommenderIndex: JSON.stringify(serialiseIndex(insights.index)),
    status: "ready",
    note,
    customers: insights.customers.size,
    events,
    rebuiltAt: now,
    durationMs,
  };
  await db.shopInsightModel.upsert({ where: { shop }, create: { shop, ...values }, update: values });
  return { customers: insights.customers.size, events, durationMs, note };
}
