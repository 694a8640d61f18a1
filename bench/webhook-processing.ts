// Where a flash sale's processing time goes, without HTTP: the bench:flash-sale seed, then the
// flash-sale shop's deliveries (BENCH_DELIVERIES, default 2,000, as the traffic plan sends them)
// written to the inbox, then worked by the database job runner in this process until none is left.
// Prints deliveries per second and the SQL statements per delivery (by table and kind).
//   npx tsx --no-experimental-require-module bench/webhook-processing.ts [--cpu-prof]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { buildTemplate, createTestDatabase } from "../tests/support/databases";
import { testEnv } from "../tests/support/env";
import { startSmtpSink } from "../tests/support/smtp-sink";
import { FLASH_SHOP, planTraffic } from "./flash-sale-plan";
import { payloadFor } from "./flash-sale-payloads";

const count = Number(process.env.BENCH_DELIVERIES ?? 2_000);
await buildTemplate("sqlite");
const database = await createTestDatabase("bench_processing", "sqlite");
Object.assign(process.env, testEnv({ DATABASE_URL: database.url, ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`, LOG_LEVEL: "warn" }));
const sink = await startSmtpSink(); // the seed checks the shop's SMTP connection
const seed = spawn(process.execPath, ["--import", "tsx", "--no-experimental-require-module", join(import.meta.dirname, "flash-sale-seed.ts")], {
  env: { ...process.env, SMTP_PORT: String(sink.port), BENCH_RECIPIENTS: "2000", BENCH_BACKGROUND_SHOPS: "0" },
  stdio: ["ignore", "ignore", "inherit"],
});
if ((await new Promise((resolve) => seed.once("exit", resolve))) !== 0) throw new Error("seeding failed");

const { readyDb, rawDriver, disconnectDb } = await import("~/db.server");
const { DbJobQueue, DbJobRunner } = await import("~/jobs/db-queue.server");
const { jobDefinitions } = await import("~/jobs/registry.server");
const { recordDelivery } = await import("~/ingest/inbox.server");
const db = await readyDb();
const driver = await rawDriver();
if (driver.kind !== "sqlite") throw new Error("SQLite only");

// Count statements by their first words and table, as they run (Prisma's and the inbox's share the
// connection; the statements are reused, so running is counted, not preparing).
const statements = new Map<string, number>();
const statementClass = Object.getPrototypeOf(driver.connection().prepare("SELECT 1")) as Record<"run" | "all" | "get", (...args: unknown[]) => unknown>;
for (const method of ["run", "all", "get"] as const) {
  const original = statementClass[method];
  statementClass[method] = function (this: { source: string }, ...args: unknown[]) {
    const kind = /^\s*(\w+)/.exec(this.source)?.[1]?.toUpperCase() ?? "?";
    const table = /(?:FROM|INTO|UPDATE)\s+[`"]?(?:main[`"]?\.[`"]?)?(\w+)/i.exec(this.source)?.[1] ?? "";
    statements.set(`${kind} ${table}`, (statements.get(`${kind} ${table}`) ?? 0) + 1);
    return original.apply(this, args);
  };
}

const queue = new DbJobQueue(db);
const plan = planTraffic({ seconds: 3600, ordersPerMinute: 1000, backgroundShops: 0, backgroundPerShopPerMinute: 0, productsPerShop: 20, customersPerShop: 50 }).slice(0, count);
for (const delivery of plan) {
  const body = JSON.stringify(payloadFor(delivery, delivery.atMs / 1000));
  await recordDelivery(driver, queue, { shop: FLASH_SHOP, topic: delivery.topic, webhookId: randomBytes(8).toString("hex"), eventId: null, triggeredAt: new Date(), apiVersion: "2026-04", payload: body });
}
statements.clear();
const runner = new DbJobRunner(db, queue, jobDefinitions(), { concurrency: 4, perShopConcurrency: 1 });
const started = performance.now();
await runner.drain();
const seconds = (performance.now() - started) / 1000;
const jobs = await db.job.groupBy({ by: ["name", "status"], _count: { _all: true } });
console.log(`${plan.length} deliveries in ${seconds.toFixed(1)} s = ${(plan.length / seconds).toFixed(0)}/s`);
console.log(jobs.map((job) => `${job.name} ${job.status}: ${job._count._all}`).join("\n"));
console.log("statements per delivery:");
for (const [statement, n] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${(n / plan.length).toFixed(2)}  ${statement}`);
await disconnectDb();
await database.drop();
await sink.close();
