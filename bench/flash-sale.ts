// npm run bench:flash-sale — a flash sale against the built server (node server.mjs, a real process):
// 1,000 orders a minute for one shop (checkout, orders/create, inventory, orders/paid, orders/updated, as
// Shopify sends them) plus everyday traffic for 50 other installed shops, sustained for several minutes,
// while the flash-sale shop's merchant presses "Send now" on a campaign of several thousand recipients
// that goes out through a local SMTP server in another process. A second scenario sends the same
// campaign with no traffic, for the send rate without the burst. Results in BENCHMARKS.md.
//
//   --config sqlite (default: SQLite, in-process jobs) | postgres (PostgreSQL + Redis, --workers N)
//   --seconds 300  --recipients 5000  --orders-per-minute 1000  --background-per-minute 12 (per shop)
//   --send-after 60 (s into the burst)  --only flash|send
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { z } from "zod";
import { startAppServer, startWorker, type AppServer } from "../tests/support/app-server";
import { buildTemplate, createTestDatabase } from "../tests/support/databases";
import { testEnv } from "../tests/support/env";
import { sessionToken } from "../tests/support/session-token";
import { webhookHeaders } from "../tests/support/webhooks";
import { migratePostgres } from "../scripts/pg-migrate.mjs";
import {
  backlogSlope,
  buckets,
  distribution,
  FLASH_SHOP,
  planTraffic,
  rateBetween,
  type BacklogSample,
  type Distribution,
  type PlannedDelivery,
} from "./flash-sale-plan";
import { BACKGROUND_CUSTOMERS as CUSTOMERS, BACKGROUND_PRODUCTS as PRODUCTS, payloadFor } from "./flash-sale-payloads";

const root = join(import.meta.dirname, "..");
const args = parseArgs({
  options: Object.fromEntries(
    ["config", "workers", "seconds", "recipients", "orders-per-minute", "background-per-minute", "send-after", "only"].map((name) => [name, { type: "string" as const }]),
  ),
}).values;
const options = z
  .object({
    config: z.enum(["sqlite", "postgres"]).default("sqlite"),
    workers: z.coerce.number().int().min(1).max(8).default(2),
    seconds: z.coerce.number().int().min(10).default(300),
    recipients: z.coerce.number().int().min(100).default(5_000),
    ordersPerMinute: z.coerce.number().min(0).default(1_000),
    backgroundPerMinute: z.coerce.number().min(0).default(12),
    sendAfter: z.coerce.number().min(0).default(60),
    only: z.enum(["flash", "send"]).optional(),
  })
  .parse({ ...args, ordersPerMinute: args["orders-per-minute"], backgroundPerMinute: args["background-per-minute"], sendAfter: args["send-after"] });

const POSTGRES = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432";
const REDIS = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const BACKGROUND_SHOPS = 50;
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

// ---------------------------------------------------------------------------------------------------------
// Reading the app's database (the inbox and the ledger) while it runs

interface Probe {
  backlog(): Promise<number>;
  /** Every delivery of the run: shop, when it was acknowledged and when it was applied. */
  deliveries(): Promise<Array<{ shop: string; status: string; receivedAt: number; processedAt: number | null }>>;
  openSends(campaignId: string): Promise<number>;
  /** Ledger rows of the campaign's first step by status (for a run that does not settle). */
  sendStatuses(campaignId: string): Promise<Record<string, number>>;
  failedJobs(): Promise<number>;
  close(): Promise<void>;
}

const time = (value: unknown): number => (value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(String(value)));

function sqliteProbe(url: string): Probe {
  const sqlite = new Database(url.replace(/^file:/, ""), { readonly: true });
  sqlite.pragma("busy_timeout = 5000");
  const count = (sql: string, ...args: unknown[]) => (sqlite.prepare(sql).get(...args) as { n: number }).n;
  return {
    backlog: async () => count(`SELECT count(*) AS n FROM "WebhookEvent" WHERE status = 'received'`),
    deliveries: async () =>
      (sqlite.prepare(`SELECT shop, status, receivedAt, processedAt FROM "WebhookEvent"`).all() as Array<Record<string, unknown>>).map((row) => ({
        shop: String(row.shop),
        status: String(row.status),
        receivedAt: time(row.receivedAt),
        processedAt: row.processedAt === null ? null : time(row.processedAt),
      })),
    openSends: async (campaignId) => count(`SELECT count(*) AS n FROM "Send" WHERE campaignId = ? AND step = 0 AND status IN ('scheduled','sending')`, campaignId),
    sendStatuses: async (campaignId) =>
      Object.fromEntries((sqlite.prepare(`SELECT status, count(*) AS n FROM "Send" WHERE campaignId = ? AND step = 0 GROUP BY status`).all(campaignId) as Array<{ status: string; n: number }>).map((row) => [row.status, row.n])),
    failedJobs: async () => count(`SELECT count(*) AS n FROM "Job" WHERE status = 'failed'`),
    close: async () => {
      sqlite.close();
    },
  };
}

function postgresProbe(url: string): Probe {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const count = async (sql: string, args: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, args)).rows[0].n);
  return {
    backlog: () => count(`SELECT count(*) AS n FROM "WebhookEvent" WHERE status = 'received'`),
    deliveries: async () =>
      (await pool.query(`SELECT shop, status, "receivedAt", "processedAt" FROM "WebhookEvent"`)).rows.map((row) => ({
        shop: row.shop,
        status: row.status,
        // timestamp(3) without time zone holds UTC; pg parses it as local time, so read the wall clock as UTC.
        receivedAt: asUtc(row.receivedAt),
        processedAt: row.processedAt === null ? null : asUtc(row.processedAt),
      })),
    openSends: (campaignId) => count(`SELECT count(*) AS n FROM "Send" WHERE "campaignId" = $1 AND step = 0 AND status IN ('scheduled','sending')`, [campaignId]),
    sendStatuses: async (campaignId) =>
      Object.fromEntries((await pool.query(`SELECT status, count(*) AS n FROM "Send" WHERE "campaignId" = $1 AND step = 0 GROUP BY status`, [campaignId])).rows.map((row) => [row.status, Number(row.n)])),
    failedJobs: () => count(`SELECT count(*) AS n FROM "Job" WHERE status = 'failed'`),
    close: () => pool.end(),
  };
}
const asUtc = (date: Date) => Date.UTC(date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds(), date.getMilliseconds());

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------
// One scenario: a fresh database, seed, sink, server; traffic (or none); wait until all is applied and sent

interface ScenarioResult {
  scenario: "flash" | "send";
  config: string;
  deliveriesPlanned: number;
  ack: Distribution & { non2xx: number; errors: number };
  lagFlash: Distribution;
  lagBackground: Distribution;
  failedDeliveries: number;
  failedJobs: number;
  backlog: BacklogSample[];
  backlogSlopePerSecond: number;
  backlogAtEnd: number;
  drainedAfterMs: number;
  sendNowMs: number;
  sendNowAttempts: number;
  sent: number;
  sendRate: number;
  sendRateDuringBurst: { count: number; perSecond: number };
  sendSpanMs: number;
  sendsPer10s: number[];
  rssPeakMb: number;
  rssEndMb: number;
  loadBefore: number;
  loadAfter: number;
  serverWarnings: number;
  startedAt: string;
}

async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (options.config === "sqlite") {
    await buildTemplate("sqlite");
    return createTestDatabase("bench_flash", "sqlite");
  }
  const name = `bench_flash_${randomBytes(3).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  await migratePostgres(`${POSTGRES}/${name}`, join(root, "prisma", "postgres", "migrations"), () => undefined);
  return { url: `${POSTGRES}/${name}`, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function obliterateRedis(prefix: string): Promise<void> {
  const { Queue } = await import("bullmq");
  const { QUEUE_NAME, redisConnection } = await import("~/jobs/bullmq-queue.server");
  const queue = new Queue(QUEUE_NAME, { connection: redisConnection(REDIS), prefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  // The per-shop slots live beside the queue's keys (bullmq-queue.server.ts).
  const redis = (await queue.client) as unknown as { keys(pattern: string): Promise<string[]>; del(...keys: string[]): Promise<number> };
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await queue.close();
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (reply: Record<string, T>) => {
      if (!(key in reply)) return;
      child.off("message", listener);
      resolve(reply[key]);
    };
    child.on("message", listener);
    child.send(message);
  });
}

async function runScenario(scenario: "flash" | "send"): Promise<ScenarioResult> {
  const database = await freshDatabase();
  const prefix = `benchflash-${randomBytes(3).toString("hex")}`;
  const environment = testEnv({
    DATABASE_URL: database.url,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    ...(options.config === "postgres" ? { REDIS_URL: REDIS, REDIS_PREFIX: prefix } : {}),
    // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the server's time goes
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
  });
  // Whatever happens, the run removes what it started (children, database, Redis keys).
  const cleanups: Array<() => Promise<unknown>> = [() => database.drop()];
  if (options.config === "postgres") cleanups.push(() => obliterateRedis(prefix));
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => process.stderr.write(`  clean-up: ${String(error)}\n`));
  };
  try {
    return await measure(scenario, database.url, environment, cleanups);
  } finally {
    await cleanUp();
  }
}

async function measure(scenario: "flash" | "send", databaseUrl: string, environment: Record<string, string>, cleanups: Array<() => Promise<unknown>>): Promise<ScenarioResult> {
  const sink = fork(join(import.meta.dirname, "smtp-sink-process.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  cleanups.push(async () => sink.kill());
  const smtpPort = await new Promise<number>((resolve) => sink.once("message", (message: { port: number }) => resolve(message.port)));
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "--no-experimental-require-module", join(import.meta.dirname, "flash-sale-seed.ts")], {
    cwd: root,
    env: { ...process.env, ...environment, SMTP_PORT: String(smtpPort), BENCH_RECIPIENTS: String(options.recipients), BENCH_BACKGROUND_SHOPS: String(BACKGROUND_SHOPS), BENCH_PRODUCTS: String(PRODUCTS), BENCH_CUSTOMERS: String(CUSTOMERS) },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (seeded.status !== 0) throw new Error(`seeding failed (${seeded.status})`);
  const { campaignId } = JSON.parse(seeded.stdout.trim().split("\n").at(-1)!) as { campaignId: string };

  const server = await startAppServer(environment);
  cleanups.push(() => server.stop());
  const workers: AppServer[] = [];
  if (options.config === "postgres") {
    for (let i = 0; i < options.workers; i++) {
      const worker = await startWorker(environment);
      workers.push(worker);
      cleanups.push(() => worker.stop());
    }
  }
  const probe = options.config === "sqlite" ? sqliteProbe(databaseUrl) : postgresProbe(databaseUrl);
  cleanups.push(() => probe.close());

  const plan = scenario === "flash"
    ? planTraffic({ seconds: options.seconds, ordersPerMinute: options.ordersPerMinute, backgroundShops: BACKGROUND_SHOPS, backgroundPerShopPerMinute: options.backgroundPerMinute, productsPerShop: PRODUCTS, customersPerShop: CUSTOMERS })
    : [];
  const sendAfterMs = scenario === "flash" ? options.sendAfter * 1000 : 2_000;
  const loadBefore = loadavg()[0];
  const startedAt = Date.now();
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();

  // Open loop: each delivery goes at its planned time whatever the server's answers, so a slow server
  // shows as latency instead of slowing the generator down.
  async function deliver(delivery: PlannedDelivery): Promise<void> {
    const body = JSON.stringify(payloadFor(delivery, (Date.now() - startedAt) / 1000));
    const headers = webhookHeaders(delivery.topic, body, { shop: delivery.shop });
    const sentAt = performance.now();
    try {
      const response = await fetch(`${server.url}/webhooks/${delivery.topic}`, { method: "POST", headers, body });
      await response.arrayBuffer();
      latencies.push(performance.now() - sentAt);
      if (response.status !== 200) non2xx++;
    } catch {
      errors++;
    }
  }

  let sendNowMs = 0;
  const pressSendNow = async () => {
    const started = performance.now();
    const url = new URL(`/app/campaigns/${campaignId}`, server.url);
    url.searchParams.set("_data", "routes/app.campaigns.$id");
    const response = await fetch(url, {
      method: "POST",
      headers: { "user-agent": BROWSER, authorization: `Bearer ${sessionToken(FLASH_SHOP)}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "send_now" }),
    });
    const reply = await response.text();
    sendNowMs = performance.now() - started;
    if (response.status !== 200 || !reply.includes('"ok":true')) throw new Error(`Send now answered ${response.status}: ${reply.slice(0, 300)}`);
  };
  // A merchant whose click times out clicks again; the action is idempotent (scheduling writes nothing twice).
  let sendNowAttempts = 0;
  const pressSendNowUntilAccepted = async (): Promise<void> => {
    for (;;) {
      sendNowAttempts++;
      try {
        return await pressSendNow();
      } catch (error) {
        process.stderr.write(`  Send now failed (attempt ${sendNowAttempts}): ${String(error)}\n`);
        if (sendNowAttempts >= 5) throw error;
      }
    }
  };

  const samples: BacklogSample[] = [];
  let rssPeak = 0;
  const sampler = setInterval(() => {
    const pids = [server.pid, ...workers.map((worker) => worker.pid)];
    rssPeak = Math.max(rssPeak, ...pids.map(rssMb));
    void probe.backlog().then((backlog) => samples.push({ atMs: Date.now() - startedAt, backlog }));
  }, 2_000);

  let sendPressed: Promise<void> | undefined;
  const progress = setInterval(() => {
    const last = samples.at(-1);
    void ask<number>(sink, "count", "received").then((received) =>
      process.stderr.write(`  ${scenario} ${Math.round((Date.now() - startedAt) / 1000)} s: ${latencies.length} acknowledged, backlog ${last?.backlog ?? "?"}, ${received} mailed, rss ${rssMb(server.pid).toFixed(0)} MB\n`),
    );
  }, 15_000);
  for (const delivery of plan) {
    if (!sendPressed && Date.now() - startedAt >= sendAfterMs) sendPressed = pressSendNowUntilAccepted();
    const wait = delivery.atMs - (Date.now() - startedAt);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const request = deliver(delivery).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  if (!sendPressed) {
    const wait = sendAfterMs - (Date.now() - startedAt);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sendPressed = pressSendNowUntilAccepted();
  }
  await Promise.all(inFlight);
  await sendPressed;
  const burstEndMs = scenario === "flash" ? Date.now() - startedAt : 0;
  const backlogAtEnd = await probe.backlog();

  // Until every delivery is applied and every first-step send is settled (at most 15 minutes).
  let settled = false;
  for (const deadline = Date.now() + Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 15 * 60_000); Date.now() < deadline; ) {
    if ((await probe.backlog()) === 0 && (await probe.openSends(campaignId)) === 0) {
      settled = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!settled) {
    process.stderr.write(`  ${scenario}: did not settle; sends by status ${JSON.stringify(await probe.sendStatuses(campaignId))}, backlog ${await probe.backlog()}\n${server.output().slice(-3_000)}\n`);
  }
  const drainedAfterMs = Date.now() - startedAt - burstEndMs;
  clearInterval(sampler);
  clearInterval(progress);
  const rssEnd = rssMb(server.pid);

  const deliveries = await probe.deliveries();
  const lag = (flash: boolean) =>
    distribution(deliveries.filter((d) => (d.shop === FLASH_SHOP) === flash && d.processedAt !== null).map((d) => d.processedAt! - d.receivedAt));
  const arrivals = (await ask<number[]>(sink, "arrivals", "arrivals")).map((t) => t - startedAt).sort((a, b) => a - b);
  const failedJobs = await probe.failedJobs();
  const warnings = server.output().split("\n").filter((line) => line.includes('"level":"warn"') || line.includes('"level":"error"')).length;

  const sendRate = rateBetween(arrivals, 0, Number.MAX_SAFE_INTEGER);
  return {
    scenario,
    config: options.config === "sqlite" ? "SQLite, in-process jobs" : `PostgreSQL + Redis, ${options.workers} workers`,
    deliveriesPlanned: plan.length,
    ack: { ...distribution(latencies), non2xx, errors },
    lagFlash: lag(true),
    lagBackground: lag(false),
    failedDeliveries: deliveries.filter((d) => d.status === "failed").length,
    failedJobs,
    backlog: samples,
    backlogSlopePerSecond: backlogSlope(samples, 60_000, burstEndMs),
    backlogAtEnd,
    drainedAfterMs,
    sendNowMs,
    sendNowAttempts,
    sent: arrivals.length,
    sendRate: sendRate.perSecond,
    sendRateDuringBurst: scenario === "flash" ? rateBetween(arrivals, 0, burstEndMs) : sendRate,
    sendSpanMs: arrivals.length ? arrivals[arrivals.length - 1] - arrivals[0] : 0,
    sendsPer10s: buckets(arrivals, 0, 10_000),
    rssPeakMb: Math.round(rssPeak),
    rssEndMb: Math.round(rssEnd),
    loadBefore,
    loadAfter: loadavg()[0],
    serverWarnings: warnings,
    startedAt: new Date(startedAt).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------------

const scenarios = (["send", "flash"] as const).filter((scenario) => !options.only || options.only === scenario);
const results: ScenarioResult[] = [];
for (const scenario of scenarios) {
  process.stderr.write(`bench:flash-sale: ${scenario} (${options.config}), load ${loadavg().map((v) => v.toFixed(2)).join(" ")}\n`);
  results.push(await runScenario(scenario));
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en-GB")} ms`;
const s = (value: number) => `${(value / 1000).toFixed(1)} s`;
const dist = (d: Distribution, unit: (v: number) => string) => `${unit(d.p50)} / ${unit(d.p95)} / ${unit(d.p99)} / ${unit(d.max)}`;
console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`, options, results }));
console.log(`\nbench:flash-sale ${new Date().toISOString()}, ${cpus().length} CPUs, Node ${process.version}, ${options.seconds} s burst, ${options.ordersPerMinute} orders/min + ${BACKGROUND_SHOPS} shops × ${options.backgroundPerMinute}/min, ${options.recipients} recipients\n`);
console.log("| scenario | configuration | deliveries | ack p50 / p95 / p99 / max | non-2xx, errors | lag flash shop p50 / p95 / p99 / max | lag other shops p50 / p95 / p99 / max | backlog slope (/s), at end | drained after | failed deliveries, jobs | sent | send rate (during burst) | Send now took | RSS peak / end | load before → after |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${r.scenario === "flash" ? "flash sale + campaign" : "campaign alone"} | ${r.config} | ${r.ack.count.toLocaleString("en-GB")} | ${r.ack.count ? dist(r.ack, ms) : "–"} | ${r.ack.non2xx}, ${r.ack.errors} | ${r.lagFlash.count ? dist(r.lagFlash, s) : "–"} | ${r.lagBackground.count ? dist(r.lagBackground, s) : "–"} | ${r.backlogSlopePerSecond.toFixed(2)}, ${r.backlogAtEnd} | ${s(r.drainedAfterMs)} | ${r.failedDeliveries}, ${r.failedJobs} | ${r.sent} | ${r.sendRate.toFixed(0)}/s (${r.sendRateDuringBurst.count} at ${r.sendRateDuringBurst.perSecond.toFixed(0)}/s) | ${ms(r.sendNowMs)}${r.sendNowAttempts > 1 ? ` (attempt ${r.sendNowAttempts})` : ""} | ${r.rssPeakMb} / ${r.rssEndMb} MB | ${r.loadBefore.toFixed(2)} → ${r.loadAfter.toFixed(2)} |`,
  );
}
for (const r of results) {
  console.log(`\n${r.scenario}: backlog every 30 s: ${r.backlog.filter((_, i) => i % 15 === 0).map((sample) => `${Math.round(sample.atMs / 1000)} s: ${sample.backlog}`).join(", ")}`);
  console.log(`${r.scenario}: messages per 10 s: ${r.sendsPer10s.join(", ")}`);
}
process.exit(0);
