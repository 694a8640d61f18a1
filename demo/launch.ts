// The demo's seeding, as a function: `npm run demo` (demo/main.ts) and `npm run bench:scale`
// (bench/scale-run.ts) both call it. See demo/main.ts for the steps and ADR 013 for the why.
//
// Modes: SQLite + the web process's in-process job runner (the demo), or, with `redisUrl`, any
// DATABASE_URL (PostgreSQL for scale mode) with BullMQ on Redis worked by `workers` worker.mjs processes.
// The app's modules read the environment once, so one process launches one demo.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Db } from "~/db.server";
import { loadSample } from "./data/load-sample";
import type { ProgressDisplay } from "./progress";
import { startAdminApiStandIn } from "./services/admin-api";
import { startMailSink } from "./services/mail-sink";
import { createWebhookSender } from "./services/webhook-sender";
import { buildStore, DEMO_CURRENCY, DEMO_TIME_ZONE } from "./store/build-store";
import { bulkLineCounts, customerLines, orderLines, productLines } from "./store/payloads";
import { seedLiveWebhooks, waitForBackfill, waitForSuggestions } from "./seed";
import type { Suggestion } from "./watch";

const root = resolve(import.meta.dirname, "..");
export const DEMO_SHOP = "online-retail-demo.myshopify.com";
const SCOPES = "read_products,read_inventory,read_orders,read_customers,write_customers,read_checkouts,write_discounts";

export interface LaunchOptions {
  port: number;
  customers: number;
  dataDir: string;
  progress: ProgressDisplay;
  /** Default: a fresh SQLite file in dataDir, migrated here. Another database must exist, migrated and empty. */
  databaseUrl?: string;
  /** Set: scale mode (BullMQ on Redis, jobs in worker processes, none in the web process). */
  redis?: { url: string; prefix: string; workers: number };
  /** Receives `stop` at once, so a Ctrl-C during the launch can stop what has started so far. */
  onStop?: (stop: () => Promise<void>) => void;
  /** Called when a started process exits on its own (the demo shuts down then). */
  onChildExit?: (what: string, code: number | null) => void;
}

/** Milliseconds since the launch started, at each step's end (the bench reports them). */
export interface LaunchMarks {
  prepared: number; // sample loaded, store built, database migrated
  installed: number;
  appStarted: number; // web process listening (and workers ready)
  backfilled: number;
  webhooksProcessed: number;
  suggested: number;
}

export interface LaunchedDemo {
  appUrl: string;
  ready: Suggestion[];
  marks: LaunchMarks;
  /** The launcher's own database client (reads only). */
  db: Db;
  /** Stops the app, the workers and the local services; does not exit. */
  stop(): Promise<void>;
}

export async function launchDemo(options: LaunchOptions): Promise<LaunchedDemo> {
  const { progress } = options;
  const startedAt = Date.now();
  const since = () => Date.now() - startedAt;
  const dataDir = resolve(options.dataDir);
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
    DATABASE_URL: options.databaseUrl ?? `file:${join(dataDir, "demo.sqlite")}`,
    DEMO_SHOP,
    DEMO_MAILBOX_DIR: mailboxDir,
    // Generated per run: the SMTP connection's password is encrypted at rest like a real one.
    ENCRYPTION_KEYS: `demo:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "warn",
    ...(options.redis && { REDIS_URL: options.redis.url, REDIS_PREFIX: options.redis.prefix }),
  };

  const children: ChildProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((done) => child.once("exit", done)) : null)));
    for (const close of closers) await close().catch(() => undefined);
  };
  options.onStop?.(stop);
  // Whatever ends the launcher (an error included), the processes it started must not outlive it.
  process.on("exit", () => children.forEach((child) => child.exitCode === null && child.kill("SIGTERM")));

  // The database is migrated while the data loads (both take seconds).
  const [store] = await Promise.all([
    loadSample().then((rows) => buildStore(rows, { now: new Date(), customers: options.customers })),
    options.databaseUrl ? null : run(process.execPath, ["scripts/db.mjs", "deploy"], "database migration", { ...process.env, ...appEnv }),
  ]);
  progress.log(
    `Store: ${store.products.length + store.newArrivals.length} products (${store.newArrivals.length} new arrivals), ${store.customers.length} customers, ` +
      `${store.historyOrders.length + store.liveOrders.length} orders (${store.liveOrders.length} in the last 2 days), ${store.checkouts.length} abandoned checkouts; ` +
      `dates shifted by ${store.shiftedDays} days so the latest sale is yesterday`,
  );
  const prepared = since();

  const sink = await startMailSink(mailboxDir, (message) => progress.log(`mail: "${message.subject}" → ${message.to.join(", ")}`));
  closers.push(sink.close);
  let appUrl = "";
  const webhooks = createWebhookSender({ appUrl: () => appUrl, shop: DEMO_SHOP, secret });
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
  if (!options.redis) delete process.env.REDIS_URL;
  const { readyDb, disconnectDb } = await import("~/db.server");
  const { installDemoShop } = await import("./install");
  const queue = await installQueue(await readyDb(), options.redis);
  await installDemoShop(await readyDb(), queue, { shop: DEMO_SHOP, scopes: SCOPES, accessToken: `demo-token-${randomBytes(8).toString("hex")}`, smtpPort: sink.port });
  await queue.close();
  await disconnectDb();
  progress.log(`Installed: shop details from the Admin API stand-in, SMTP connection verified against the sink (127.0.0.1:${sink.port})`);
  const installed = since();

  const exited = (what: string) => (code: number | null) => {
    if (stopping) return;
    progress.log(`${what} exited with code ${code}`);
    options.onChildExit?.(what, code);
  };
  const workers = Array.from({ length: options.redis?.workers ?? 0 }, (_, index) =>
    startProcess(children, "worker.mjs", {}, /worker ready/, exited(`worker ${index + 1}`), progress, `[worker ${index + 1}]`),
  );
  [appUrl] = await Promise.all([startProcess(children, "server.mjs", { PORT: String(options.port) }, /listening on (http:\/\/\S+)/, exited("the app"), progress, "[app]"), ...workers]);
  const appStarted = since();
  const db = await readyDb();
  closers.push(disconnectDb);

  // The recent days go out as webhooks once the history is in. (Sent during the backfill, new products
  // and checkouts would be detected before any customer has insights, and the engine retries an
  // opportunity without an audience only hourly.)
  await waitForBackfill(db, DEMO_SHOP, bulkLineCounts(store), progress);
  const backfilled = since();
  await seedLiveWebhooks(db, DEMO_SHOP, store, webhooks, progress);
  const webhooksProcessed = since();
  const ready = await waitForSuggestions(db, DEMO_SHOP, progress);
  const marks = { prepared, installed, appStarted, backfilled, webhooksProcessed, suggested: since() };
  return { appUrl, ready, marks, db, stop };
}

/** The queue `afterAuth` enqueues the backfill on: the one the app's job runners will work. */
async function installQueue(db: Db, redis: LaunchOptions["redis"]) {
  if (!redis) {
    const { DbJobQueue } = await import("~/jobs/db-queue.server");
    return new DbJobQueue(db);
  }
  const { BullJobQueue, redisConnection } = await import("~/jobs/bullmq-queue.server");
  return new BullJobQueue(redisConnection(redis.url), redis.prefix);
}

/** Starts `node <script>` with the app's environment; resolves with the first match of `ready` in its output. */
function startProcess(
  children: ChildProcess[],
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  onExit: (code: number | null) => void,
  progress: ProgressDisplay,
  label: string,
): Promise<string> {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  return new Promise((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      const match = ready.exec((output += chunk.toString()));
      if (!match) return;
      resolveReady(match[1] ?? match[0]);
      // After start, the process's warnings and errors go to the terminal.
      child.stdout!.off("data", onData);
      child.stdout!.on("data", (more: Buffer) => progress.log(`${label} ${more.toString().trimEnd()}`));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      progress.log(`${label} ${chunk.toString().trimEnd()}`);
    });
    child.once("exit", (code) => {
      reject(new Error(`${script} exited (${code}):\n${output}`));
      onExit(code);
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
