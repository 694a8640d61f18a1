// Child process of bench:insights, so its peak RSS is this workload's alone: parse the UCI file, then
// (1) recompute affinity + co-occurrence + lifecycle for the whole store from scratch, timed; (2) replay
// the last month onto a store built from the earlier events, timing every incremental update.
// Prints one JSON line.
import { createShopInsights, ingestEvent, permissiveCatalog } from "../app/insights/engine";
import { analyseLifecycle } from "../app/insights/lifecycle/lifecycle";
import { PurchaseHistories } from "../app/insights/lifecycle/purchase-summary";
import type { InsightEvent, LifecycleOrder } from "../app/insights/schemas";
import { parseInstant } from "../app/insights/time";
import { isProductCode, readUciRows, rowToEvent } from "./insights-uci";

const INCREMENTAL_FROM = parseInstant("2011-11-09")!;
const AS_OF = parseInstant("2011-12-10")!;

const parseStart = performance.now();
const events: InsightEvent[] = [];
for await (const row of readUciRows()) if (isProductCode(row.stockCode)) events.push(rowToEvent(row));
const parseMs = performance.now() - parseStart;
const rssAfterParseMb = process.memoryUsage().rss / 2 ** 20;

// (1) Full recompute, as a nightly job would: every event through the production ingest, then lifecycle
// from per-order totals (registered customers only: guests have no history to model).
const catalog = permissiveCatalog();
const cpuStart = process.cpuUsage();
const start = performance.now();
let shop: ReturnType<typeof createShopInsights> | null = createShopInsights();
for (const event of events) ingestEvent(shop, event, catalog);
const ingestMs = performance.now() - start;
const lifecycleStart = performance.now();
const invoices = new Map<string, LifecycleOrder>();
for (const event of events) {
  if (event.customerId.startsWith("guest:") || event.orderId === undefined) continue;
  let invoice = invoices.get(event.orderId);
  if (!invoice) {
    invoice = { customerId: event.customerId, orderId: event.orderId, at: event.at, total: 0 };
    invoices.set(event.orderId, invoice);
  }
  invoice.total += (event.quantity ?? 1) * (event.price ?? 0);
}
const histories = new PurchaseHistories();
for (const invoice of invoices.values()) histories.add(invoice);
const lifecycle = await analyseLifecycle(histories.summarise(AS_OF), AS_OF);
const lifecycleMs = performance.now() - lifecycleStart;
const cpu = process.cpuUsage(cpuStart);
const rssAfterRecomputeMb = process.memoryUsage().rss / 2 ** 20;
const peakRssRecomputeMb = process.resourceUsage().maxRSS / 1024;
const built = { customers: shop.customers.size, products: shop.index.productIds.length };
shop = null; // released before the incremental run builds its own store: one store in memory at a time

// (2) Incremental: the store as of the split, then each later event applied and timed on its own.
const incremental = createShopInsights();
const later: InsightEvent[] = [];
for (const event of events) {
  if (event.at < INCREMENTAL_FROM) ingestEvent(incremental, event, catalog);
  else later.push(event);
}
const timings = new Float64Array(later.length);
for (let i = 0; i < later.length; i += 1) {
  const t = performance.now();
  ingestEvent(incremental, later[i], catalog);
  timings[i] = performance.now() - t;
}
const sorted = Float64Array.from(timings).sort();
const mean = timings.reduce((sum, t) => sum + t, 0) / Math.max(1, timings.length);

console.log(
  JSON.stringify({
    events: events.length,
    ...built,
    lifecycleCustomers: lifecycle.customers.length,
    bgNbd: lifecycle.shop.bgNbd,
    parseMs,
    ingestMs,
    lifecycleMs,
    recomputeMs: ingestMs + lifecycleMs,
    recomputeCpuMs: (cpu.user + cpu.system) / 1000,
    rssAfterParseMb,
    rssAfterRecomputeMb,
    peakRssRecomputeMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    incremental: {
      events: later.length,
      meanMs: mean,
      p50Ms: sorted[Math.floor(sorted.length * 0.5)],
      p99Ms: sorted[Math.floor(sorted.length * 0.99)],
      maxMs: sorted[sorted.length - 1],
    },
  }),
);
