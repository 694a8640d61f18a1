// `npm run demo`: a demo shop seeded from the UCI Online Retail data, served on http://localhost:3000
// in demo mode (loopback only, no Shopify). See README "Quick start" and ADR 013.
//
// 1. a local SMTP sink and a local stand-in of the shop's Admin API start;
// 2. a fresh SQLite database is migrated, the shop is "installed" (session, afterAuth → backfill
//    started, brand voice, SMTP connection verified against the sink);
// 3. the app starts (node server.mjs, in-process jobs) and backfills from the stand-in's bulk JSONL;
// 4. the last days arrive as signed webhooks: new products, orders, abandoned checkouts;
// 5. the app's own jobs recompute insights, detect opportunities and build campaigns; the launcher
//    waits for a suggestion of each kind and says where to look.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadSample } from "./data/load-sample";
import { ProgressDisplay } from "./progress";
import { startAdminApiStandIn } from "./services/admin-api";
import { startMailSink } from "./services/mail-sink";
import { createWebhookSender } from "./services/webhook-sender";
import { buildStore, DEMO_CURRENCY, DEMO_TIME_ZONE } from "./store/build-store";
import { bulkLineCounts, customerLines, orderLines, productLines } from "./store/payloads";
import { seedLiveWebhooks, waitForBackfill, waitForSuggestions } from "./seed";

const root = resolve(import.meta.dirname, "..");
const SHOP = "online-retail-demo.myshopify.com";
const SCOPES = "read_products,read_inventory,read_orders,read_customers,write_customers,read_checkouts,write_discounts";

const options = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    customers: z.coerce.number().int().min(20).max(800).default(200),
    "data-dir": z.string().default(join(root, ".demo")),
  })
  .parse(parseArgs({ options: { port: { type: "string" }, customers: { type: "string" }, "data-dir": { type: "string" } } }).values);

// Demo mode serves the admin without authentication: refuse where that could be a real deployment.
if (process.env.NODE_ENV === "production") fail("the demo refuses to run with NODE_ENV=production");
if (process.env.SHOPIFY_API_KEY && !process.env.SHOPIFY_API_KEY.startsWith("demo")) {
  fail("the demo refuses to run with real Shopify credentials in the environment (unset SHOPIFY_API_KEY and SHOPIFY_API_SECRET)");
}

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(1);
}

const startedAt = Date.now();
const dataDir = resolve(options["data-dir"]);
rmSync(dataDir, { recursive: true, force: true }); // every run starts from a fresh shop
mkdirSync(dataDir, { recursive: true });
const mailboxDir = join(dataDir, "mailbox");
const secret = randomBytes(24).toString("hex");
const appEnv: Record<string, string> = {
  NODE_ENV: "development",
  SHOPIFY_API_KEY: "demo-api-key",
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: `http://localhost:${options.port || 3000}`,
  SCOPES,
  DATABASE_URL: `file:${join(dataDir, "demo.sqlite")}`,
  DEMO_SHOP: SHOP,
  DEMO_MAILBOX_DIR: mailboxDir,
  // Generated per run: the SMTP connection's password is encrypted at rest like a real one.
  ENCRYPTION_KEYS: `demo:${randomBytes(32).toString("base64")}`,
  LOG_LEVEL: "warn",
};

const progress = new ProgressDisplay();
progress.log(`Campaign Pilot demo: ${SHOP}, seeded from UCI Online Retail (CC BY 4.0, see demo/data/SOURCES.md)`);

const children: ChildProcess[] = [];
const closers: Array<() => Promise<void>> = [];
async function shutdown(code: number): Promise<never> {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((done) => child.once("exit", done)) : null)));
  for (const close of closers) await close().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
// Whatever ends the launcher (an error included), the app it started must not outlive it.
process.on("exit", () => children.forEach((child) => child.exitCode === null && child.kill("SIGTERM")));

// The database is migrated while the data loads (both take seconds).
const [store] = await Promise.all([
  loadSample().then((rows) => buildStore(rows, { now: new Date(), customers: options.customers })),
  run(process.execPath, ["scripts/db.mjs", "deploy"], "database migration", { ...process.env, ...appEnv }),
]);
progress.log(
  `Store: ${store.products.length + store.newArrivals.length} products (${store.newArrivals.length} new arrivals), ${store.customers.length} customers, ` +
    `${store.historyOrders.length + store.liveOrders.length} orders (${store.liveOrders.length} in the last 2 days), ${store.checkouts.length} abandoned checkouts; ` +
    `dates shifted by ${store.shiftedDays} days so the latest sale is yesterday`,
);

const sink = await startMailSink(mailboxDir, (message) => progress.log(`mail: "${message.subject}" → ${message.to.join(", ")}`));
closers.push(sink.close);
let appUrl = "";
const webhooks = createWebhookSender({ appUrl: () => appUrl, shop: SHOP, secret });
const adminApi = await startAdminApiStandIn({
  shop: { name: store.shopName, email: "owner@online-retail-gifts.example.com", currencyCode: DEMO_CURRENCY, ianaTimezone: DEMO_TIME_ZONE },
  bulkLines: {
    products: () => productLines(store.products),
    customers: () => customerLines(store.customers),
    orders: () => orderLines(store.historyOrders),
  },
  onBulkOperationFinished: (id) =>
    void webhooks.send("bulk_operations/finish", { admin_graphql_api_id: id, completed_at: new Date().toISOString(), created_at: new Date().toISOString(), error_code: null, status: "completed", type: "query" }).catch(
      (error: unknown) => progress.log(`bulk_operations/finish not delivered: ${String(error)}`),
    ),
  onUnexpected: (operation) => progress.log(`Admin API stand-in: no answer for ${operation}`),
});
closers.push(adminApi.close);
appEnv.SHOPIFY_ADMIN_API_ORIGIN = adminApi.origin;

// The app's modules read the environment when first used: set it before loading them.
Object.assign(process.env, appEnv);
delete process.env.REDIS_URL;
const { readyDb, disconnectDb } = await import("~/db.server");
const { installDemoShop } = await import("./install");
await installDemoShop(await readyDb(), { shop: SHOP, scopes: SCOPES, accessToken: `demo-token-${randomBytes(8).toString("hex")}`, smtpPort: sink.port });
await disconnectDb();
progress.log(`Installed: shop details from the Admin API stand-in, SMTP connection verified against the sink (127.0.0.1:${sink.port})`);

appUrl = await startApp();
const db = await readyDb();
closers.push(disconnectDb);

// The recent days go out as webhooks once the history is in. (Sent during the backfill, new products
// and checkouts would be detected before any customer has insights, and the engine retries an
// opportunity without an audience only hourly.)
await waitForBackfill(db, SHOP, bulkLineCounts(store), progress);
await seedLiveWebhooks(db, SHOP, store, webhooks, progress);
const ready = await waitForSuggestions(db, SHOP, progress);
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
progress.log("");
progress.log(`Ready after ${seconds} s: ${ready.map((s) => `${s.kind} "${s.title}" (${s.audienceSize} recipients)`).join("; ")}`);
progress.log(`Open ${appUrl.replace("127.0.0.1", "localhost")}/app (campaigns waiting for approval: /app/campaigns; received mail: /app/demo-inbox)`);
progress.log("Ctrl-C stops the demo; every run starts from a fresh shop.");

async function startApp(): Promise<string> {
  const child = spawn(process.execPath, ["server.mjs"], { cwd: root, env: { ...process.env, PORT: String(options.port) }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  return new Promise((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec((output += text));
      if (match) resolveUrl(match[1]);
      else return;
      // After start, the app's warnings and errors go to the terminal.
      child.stdout!.off("data", onData);
      child.stdout!.on("data", (more: Buffer) => progress.log(`[app] ${more.toString().trimEnd()}`));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      progress.log(`[app] ${chunk.toString().trimEnd()}`);
    });
    child.once("exit", (code) => {
      reject(new Error(`the app exited (${code}):\n${output}`));
      progress.log(`the app exited with code ${code}`);
      void shutdown(1);
    });
  });
}

function run(command: string, args: string[], what: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => (code === 0 ? done() : reject(new Error(`${what} failed (${code}):\n${output}`))));
  });
}
