// npm run bench:send — 10,000 messages of a campaign step through the real dispatcher (ledger,
// pre-send checks, rendering, SMTP adapter) to a local SMTP server in another process.
// Target: at least 200 messages/s. BENCH_RECIPIENTS (default 10000).
import { fork, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { buildTemplate, createTestDatabase } from "../tests/support/databases";
import { testEnv } from "../tests/support/env";

const recipients = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
await buildTemplate("sqlite");
const database = await createTestDatabase("bench_send", "sqlite");
Object.assign(process.env, testEnv({ DATABASE_URL: database.url, ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` }));
const seeded = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "campaign-seed.ts")], {
  env: { ...process.env, BENCH_RECIPIENTS: String(recipients) },
  stdio: "inherit",
});
if (seeded.status !== 0) throw new Error("seeding failed");

const sink = fork(join(import.meta.dirname, "smtp-sink-process.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const port = await new Promise<number>((resolve) => sink.once("message", (message: { port: number }) => resolve(message.port)));
const sinkCount = () => new Promise<number>((resolve) => { sink.once("message", (message: { received: number }) => resolve(message.received)); sink.send("count"); });

const { readyDb, disconnectDb } = await import("~/db.server");
const { BuiltinCopywriter } = await import("~/copy/builtin-copywriter");
const { buildCampaignFromOpportunity } = await import("~/campaigns/builder.server");
const { transitionCampaign } = await import("~/campaigns/campaigns.server");
const { recordOpportunities } = await import("~/opportunities/store.server");
const { loadShopSettings, saveShopSettings } = await import("~/shops/settings.server");
const { saveConnection, adapterForShop } = await import("~/delivery/connections.server");
const { scheduleCampaign } = await import("~/delivery/schedule.server");
const { dispatchDueSends } = await import("~/delivery/dispatch.server");
const { linkSigningKey } = await import("~/delivery/links");

const shop = "bench.myshopify.com";
const db = await readyDb();
const settings = await loadShopSettings(db, shop);
settings.brandVoice.sender = { name: "Bench Ceramics", email: "hello@bench.example" };
settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
settings.holdoutPercent = 0;
await saveShopSettings(db, shop, settings);
const saved = await saveConnection(db, shop, { provider: "smtp", host: "127.0.0.1", port, secure: false, requireTls: false, user: "bench", pass: "bench-password-123", maxPerSecond: 1000 });
if (!saved.ok) throw new Error(`SMTP connection: ${JSON.stringify(saved.error)}`);
const now = new Date();
const { created } = await recordOpportunities(db, shop, [
  { type: "new_arrival", key: "new_arrival:ceramics", title: "New in Ceramics", reason: "new mugs", evidence: {}, score: 1, expiresAt: new Date(now.getTime() + 7 * 86_400_000), productIds: ["1", "2", "3"], customerIds: [], checkoutTokens: [] },
], now);
const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
if (built.status !== "built") throw new Error(built.status);
await transitionCampaign(db, shop, built.campaignId, "approved", { kind: "staff", id: "bench" });
await scheduleCampaign(db, shop, built.campaignId, now, { kind: "staff", id: "bench" }, new Date(), "as_planned");

const realAdapter = (await adapterForShop(db, shop))!;
const adapter = process.env.BENCH_FAKE_ESP ? { ...realAdapter, send: async () => ({ ok: true as const, providerMessageId: "fake" }) } : realAdapter;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const started = performance.now();
let sent = 0;
let other = 0;
for (;;) {
  const result = await dispatchDueSends(db, shop, { adapter, appUrl: "https://app.example.com", linkKey: linkSigningKey("bench") });
  sent += result.sent;
  other += result.skipped + result.failed + result.deferred;
  if (result.sent + result.skipped + result.failed + result.deferred === 0) break;
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const memory = process.memoryUsage();
const received = await sinkCount();
await realAdapter.close?.();
sink.kill();
await disconnectDb();
await database.drop();

console.log(`bench:send ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, SQLite, SMTP on loopback`);
console.log(`
| what | measured | target |
|---|---|---|
| messages sent (ledger) / received by the SMTP server | ${sent} / ${received} | ${recipients} |
| skipped, failed or deferred | ${other} | 0 |
| time | ${seconds.toFixed(2)} s | |
| throughput | ${Math.round(sent / seconds)} messages/s | ≥ 200 |
| peak RSS of the dispatching process (at the end: heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB, external ${(memory.external / 2 ** 20).toFixed(0)} MB, array buffers ${(memory.arrayBuffers / 2 ** 20).toFixed(0)} MB) | ${(peakRss / 2 ** 20).toFixed(0)} MB | |
`);
