import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { DbJobQueue, DbJobRunner } from "~/jobs/db-queue.server";
import { jobDefinitions } from "~/jobs/registry.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";
import { type SmtpSink, startSmtpSink } from "../../tests/support/smtp-sink";
import { saveConnection } from "./connections.server";
import { DISPATCH, scheduleDispatch } from "./jobs.server";
import { scheduleCampaign } from "./schedule.server";

// The dispatch chain: one job sends a batch and schedules the next. Found by bench:flash-sale: the
// follow-up took the running job's slot key and was dropped, so a campaign larger than one batch
// stopped after 200 messages until the shop's 15-minute tick.

const shop = "chain.myshopify.com";
const RECIPIENTS = 450; // three batches of the dispatcher's 200
let db: Db;
let sink: SmtpSink;

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = `k1:${randomBytes(32).toString("base64")}`;
  db = await readyDb();
  sink = await startSmtpSink();
  await markInstalled(db, shop, { name: "Chain Ceramics", currencyCode: "GBP", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.sender = { name: "Chain Ceramics", email: "hello@chain.example" };
  settings.brandVoice.physicalAddress = "1 Pottery Lane, Stoke-on-Trent ST1 1AA";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
  settings.holdoutPercent = 0;
  await saveShopSettings(db, shop, settings);
  await db.product.create({ data: { shop, id: "1", title: "Speckled Mug", handle: "speckled-mug", productType: "Ceramics", status: "active", publishedAt: new Date() } });
  await db.variant.create({ data: { shop, id: "10", productId: "1", price: 2400, currency: "GBP", availableQuantity: 20 } });
  const ids = Array.from({ length: RECIPIENTS }, (_, i) => String(i + 1));
  await db.customer.createMany({ data: ids.map((id) => ({ shop, id, email: `buyer${id}@example.com`, firstName: `Buyer${id}`, emailConsentState: "SUBSCRIBED" })) });
  await db.customerAffinity.createMany({ data: ids.map((id) => ({ shop, customerId: id, dimension: "productType", key: "Ceramics", score: 1 })) });
  const saved = await saveConnection(db, shop, { provider: "smtp", host: "127.0.0.1", port: sink.port, secure: false, requireTls: false, user: "u", pass: "secret-password-123", maxPerSecond: 1000 });
  expect(saved).toMatchObject({ ok: true });
});

afterAll(async () => {
  await sink?.close();
  delete process.env.ENCRYPTION_KEYS;
});

describe("the dispatch chain", () => {
  it("sends a campaign larger than one batch to the end, within one 5-second slot", async () => {
    // The clock stands still, so every batch falls in the same slot however fast this machine is.
    const now = new Date();
    vi.useFakeTimers({ toFake: ["Date"], now });
    const { created } = await recordOpportunities(db, shop, [
      { type: "new_arrival", key: "new_arrival:chain", title: "New in Ceramics", reason: "new mugs", evidence: {}, score: 1, expiresAt: new Date(now.getTime() + 7 * 86_400_000), productIds: ["1"], customerIds: [], checkoutTokens: [] },
    ], now);
    const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
    if (built.status !== "built") throw new Error(built.status);
    await transitionCampaign(db, shop, built.campaignId, "approved", { kind: "staff", id: "1" });
    expect((await scheduleCampaign(db, shop, built.campaignId, now, { kind: "staff", id: "1" }, now, "as_planned")).ok).toBe(true);

    const queue = new DbJobQueue(db);
    await scheduleDispatch(queue, shop, now); // what "Send now" does
    const runner = new DbJobRunner(db, queue, jobDefinitions(), { concurrency: 1, perShopConcurrency: 1 });
    await runner.drain();
    vi.useRealTimers();

    const sends = await db.send.groupBy({ by: ["status"], where: { campaignId: built.campaignId, step: 0 }, _count: { _all: true } });
    expect(sends.map((row) => [row.status, row._count._all])).toEqual([["sent", RECIPIENTS]]);
    expect(sink.messages.length).toBe(RECIPIENTS);
    const dispatches = await db.job.findMany({ where: { shop, name: DISPATCH }, select: { status: true, key: true } });
    // The first run, one continuation per further batch, and the one that found step 1 done (step 2 waits days).
    expect(dispatches.filter((job) => job.status === "succeeded").length).toBeGreaterThanOrEqual(3);
    expect(dispatches.filter((job) => job.key?.includes(":next-")).length).toBeGreaterThanOrEqual(2);
  });

  it("a second \"Send now\" in the same 5-second slot still gets a dispatch, after one that ran or is running", async () => {
    const queue = new DbJobQueue(db);
    const other = "same-slot.myshopify.com";
    const at = new Date(Math.floor(Date.now() / 5_000) * 5_000 + 1_000);
    const dispatches = () => db.job.findMany({ where: { shop: other, name: DISPATCH }, orderBy: { runAt: "asc" }, select: { status: true, runAt: true } });

    await scheduleDispatch(queue, other, at);
    // That dispatch ran (another campaign's send, a test send's chain): the slot's key is taken.
    await db.job.updateMany({ where: { shop: other, name: DISPATCH }, data: { status: "succeeded", finishedAt: new Date() } });
    await scheduleDispatch(queue, other, new Date(at.getTime() + 1_000));
    expect((await dispatches()).map((job) => job.status)).toEqual(["queued"]);

    // Now it is running, and may have read the due sends before the new ones existed: one follows it.
    await db.job.updateMany({ where: { shop: other, name: DISPATCH }, data: { status: "running", lockedAt: new Date(), lockedBy: "elsewhere" } });
    await scheduleDispatch(queue, other, new Date(at.getTime() + 2_000));
    const after = await dispatches();
    expect(after.map((job) => job.status)).toEqual(["running", "queued"]);
    expect(after[1].runAt.getTime()).toBeGreaterThan(at.getTime());
  });
});
