import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { saveConnection } from "~/delivery/connections.server";
import { dispatchShop } from "~/delivery/jobs.server";
import { scheduleCampaign } from "~/delivery/schedule.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink";

// From an approved campaign to messages in a real SMTP server: the ledger, the checks before each
// send, idempotency across repeated dispatches, and the headers a mailbox provider needs.

const shop = "delivery.myshopify.com";
let db: Db;
let sink: SmtpSink;

async function campaignFor(customerIds: number[]) {
  const now = new Date();
  const { created } = await recordOpportunities(
    db,
    shop,
    [{ type: "new_arrival", key: `new_arrival:test-${randomBytes(3).toString("hex")}`, title: "New in Ceramics", reason: "new mugs", evidence: {}, score: 1, expiresAt: new Date(now.getTime() + 7 * 86_400_000), productIds: ["1"], customerIds: [], checkoutTokens: [] }],
    now,
  );
  for (const id of customerIds) {
    await db.customerAffinity.upsert({
      where: { shop_customerId_dimension_key: { shop, customerId: String(id), dimension: "productType", key: "Ceramics" } },
      create: { shop, customerId: String(id), dimension: "productType", key: "Ceramics", score: 1 },
      update: {},
    });
  }
  const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
  if (built.status !== "built") throw new Error(built.status);
  expect((await transitionCampaign(db, shop, built.campaignId, "approved", { kind: "staff", id: "1" })).ok).toBe(true);
  expect((await scheduleCampaign(db, shop, built.campaignId, now, { kind: "staff", id: "1" }, new Date(), "as_planned")).ok).toBe(true);
  return built.campaignId;
}

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = `k1:${randomBytes(32).toString("base64")}`;
  db = await readyDb();
  sink = await startSmtpSink();
  await markInstalled(db, shop, { name: "Clay & Co", currencyCode: "GBP", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.sender = { name: "Clay & Co", email: "hello@clay.example" };
  settings.brandVoice.physicalAddress = "1 Pottery Lane, Stoke-on-Trent ST1 1AA";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 }; // none: the test runs at any hour
  settings.brandVoice.sending.frequencyCap = 5;
  settings.holdoutPercent = 0; // every recipient is mailed in these tests
  await saveShopSettings(db, shop, settings);
  await db.product.create({ data: { shop, id: "1", title: "Speckled Mug", handle: "speckled-mug", productType: "Ceramics", status: "active", publishedAt: new Date() } });
  await db.variant.create({ data: { shop, id: "10", productId: "1", price: 2400, currency: "GBP", availableQuantity: 20 } });
  for (let id = 1; id <= 4; id++) {
    await db.customer.create({ data: { shop, id: String(id), email: `buyer${id}@example.com`, firstName: `Buyer${id}`, emailConsentState: "SUBSCRIBED" } });
  }
  const saved = await saveConnection(db, shop, { provider: "smtp", host: "127.0.0.1", port: sink.port, secure: false, requireTls: false, user: "u", pass: "secret-password-123", maxPerSecond: 1000 });
  expect(saved).toMatchObject({ ok: true });
});

afterAll(async () => {
  await sink?.close();
  delete process.env.ENCRYPTION_KEYS;
});

describe("delivery through SMTP", () => {
  it("sends each scheduled message once, with both parts and one-click unsubscribe headers", async () => {
    const campaignId = await campaignFor([1, 2]);
    const queue = new DbJobQueue(db);
    const before = sink.messages.length;
    await dispatchShop(db, queue, shop);
    await dispatchShop(db, queue, shop); // a second dispatch (a retry, a double click) sends nothing new
    const received = sink.messages.slice(before);
    // Step 1 now for both recipients (step 2 is days away).
    const to = (message: (typeof received)[number]) => (message.to as { value: Array<{ address: string }> }).value[0].address;
    expect(received.map(to).sort()).toEqual(["buyer1@example.com", "buyer2@example.com"]);
    const message = received[0];
    expect(message.subject?.length).toBeGreaterThan(3);
    expect(message.text).toContain("Speckled Mug");
    expect(message.html).toContain("Speckled Mug");
    // Raw header lines, unfolded (long values wrap onto continuation lines).
    const header = (name: string) => (message.headerLines.find((line) => line.key === name)?.line ?? "").replace(/\r?\n\s+/g, " ");
    expect(header("list-unsubscribe")).toMatch(/^List-Unsubscribe: <https:\/\/app\.example\.test\/email\/unsubscribe\/[\w-]+\.[\w-]+>/);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(message.html).toContain("1 Pottery Lane");

    const sends = await db.send.findMany({ where: { campaignId }, orderBy: [{ step: "asc" }, { email: "asc" }] });
    expect(sends.filter((send) => send.step === 0).map((send) => [send.status, Boolean(send.providerMessageId)])).toEqual([
      ["sent", true],
      ["sent", true],
    ]);
    expect(sends.filter((send) => send.step === 1).every((send) => send.status === "scheduled")).toBe(true);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("sending");
  });

  it("does not send to someone who unsubscribed between scheduling and sending, and suppresses a bad address", async () => {
    const campaignId = await campaignFor([3, 4]);
    await db.suppression.create({ data: { shop, email: "buyer3@example.com", reason: "unsubscribed" } });
    sink.reject.add("buyer4@example.com");
    const before = sink.messages.length;
    await dispatchShop(db, new DbJobQueue(db), shop);
    const addresses = sink.messages.slice(before).map((message) => (message.to as { value: Array<{ address: string }> }).value[0].address);
    expect(addresses).not.toContain("buyer3@example.com");
    expect(addresses).not.toContain("buyer4@example.com");
    const sends = await db.send.findMany({ where: { campaignId, step: 0, email: { in: ["buyer3@example.com", "buyer4@example.com"] } }, orderBy: { email: "asc" } });
    expect(sends.map((send) => [send.email, send.status])).toEqual([
      ["buyer3@example.com", "skipped"],
      ["buyer4@example.com", "failed"],
    ]);
    expect(sends[0].skipReason).toMatch(/suppressed/);
    expect(await db.suppression.findUnique({ where: { shop_email: { shop, email: "buyer4@example.com" } } })).toMatchObject({ reason: "hard_bounce" });
  });
});
