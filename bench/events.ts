// npm run bench:events — sustained signed app-proxy batches (storefront browse events) against the
// running built server over loopback, then a count of what landed in the database.
//
//   BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 50), BENCH_BATCH (events per request,
//   default 10), BENCH_LOGGED_IN (share of requests with a signed customer, default 0.1),
//   BENCH_CART (share of requests carrying an add-to-cart with a cart token, default 0.2),
//   BENCH_DATABASE (sqlite | postgres, default sqlite)
import autocannon from "autocannon";
import { randomUUID } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { createDb, disconnectDb } from "../app/db.server";
import { BROWSER_UA, browseBatch, seedStorefrontShop, signedProxyQuery } from "../tests/support/app-proxy";
import { startAppServer } from "../tests/support/app-server";
import { type DatabaseKind, buildTemplate, createTestDatabase } from "../tests/support/databases";

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const batchSize = Number(process.env.BENCH_BATCH ?? 10);
const loggedInShare = Number(process.env.BENCH_LOGGED_IN ?? 0.1);
const cartShare = Number(process.env.BENCH_CART ?? 0.2);
const kind: DatabaseKind = process.env.BENCH_DATABASE === "postgres" ? "postgres" : "sqlite";

const SHOPS = Array.from({ length: 10 }, (_, index) => `bench-events-${index}.myshopify.com`);
const PRODUCTS = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [String(7000 + index), [String(8000 + index)]]));
const productIds = Object.keys(PRODUCTS);
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)];

function request() {
  const shop = pick(SHOPS);
  const withCart = Math.random() < cartShare;
  const events = Array.from({ length: batchSize }, (_, index) => {
    const productId = pick(productIds);
    return withCart && index === batchSize - 1
      ? { type: "add_to_cart", productId, variantId: PRODUCTS[productId][0], cartToken: `c1-${randomUUID().replaceAll("-", "")}`, ago: 1_000 }
      : { type: "product_view", productId, variantId: PRODUCTS[productId][0], ago: 2_000 + index };
  });
  const customerId = Math.random() < loggedInShare ? String(1_000 + Math.floor(Math.random() * 5_000)) : "";
  return {
    path: `/proxy/events?${signedProxyQuery({ shop, customerId })}`,
    body: JSON.stringify(browseBatch(randomUUID(), events)),
  };
}

async function main() {
  await buildTemplate(kind);
  const database = await createTestDatabase("bench_events", kind);
  const { db } = createDb(database.url);
  for (const shop of SHOPS) await seedStorefrontShop(db, shop, PRODUCTS);

  const server = await startAppServer({
    DATABASE_URL: database.url,
    // The limits protect a real shop; the benchmark measures the path, not the limiter.
    STOREFRONT_SHOP_BURST: "1000000000",
    STOREFRONT_SHOP_PER_SECOND: "1000000000",
  });
  const setupRequest = (req: autocannon.Request) => {
    const next = request();
    return {
      ...req,
      method: "POST" as const,
      path: next.path,
      body: next.body,
      headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": BROWSER_UA },
    };
  };
  // Warm up (JIT, caches) before measuring.
  await autocannon({ url: server.url, connections: 4, amount: 300, requests: [{ setupRequest }] });
  const before = await db.browseEvent.count();
  const result = await autocannon({ url: server.url, connections, duration: seconds, requests: [{ setupRequest }] });
  const stored = (await db.browseEvent.count()) - before;
  await server.stop();
  await db.$disconnect();
  await disconnectDb();
  await database.drop();

  const requestsPerSecond = Math.round(result.requests.total / seconds);
  const summary = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    database: kind,
    seconds,
    connections,
    batchSize,
    loggedInShare,
    cartShare,
    requests: result.requests.total,
    requestsPerSecond,
    eventsStored: stored,
    eventsPerSecond: Math.round(stored / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  console.log(JSON.stringify(summary, null, 2));
  console.log(`
| database | batches/s | events/s stored | p50 ms | p99 ms | non-2xx | errors |
|---|---|---|---|---|---|---|
| ${kind} | ${requestsPerSecond} | ${summary.eventsPerSecond} | ${summary.p50} | ${summary.p99} | ${summary.non2xx} | ${summary.errors} |`);
}

await main();
