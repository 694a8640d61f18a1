import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "~/campaigns/controls.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { dispatchDueSends } from "~/delivery/dispatch.server";
import { linkSigningKey } from "~/delivery/links";
import { scheduleCampaign } from "~/delivery/schedule.server";
import type { EspAdapter, OutgoingEmail } from "~/integrations/esp/types";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";

// Faults and invariants of delivery: provider errors in a row, a crash between the provider's accept
// and the ledger write, and (property) random schedules where nobody without consent is ever mailed
// and no idempotency key is sent twice.

let db: Db;
const linkKey = linkSigningKey("faults");

/** An ESP that answers from a script and, like providers with idempotency keys, accepts a key once. */
function scriptedEsp(script: Array<"ok" | "429" | "500" | "crash"> = []) {
  const accepted = new Map<string, OutgoingEmail>();
  const deliveries: string[] = [];
  const adapter: EspAdapter = {
    id: "smtp",
    rateLimit: { perSecond: 1000, burst: 1000 },
    validateCredentials: async () => ({ ok: true }),
    async send(message) {
      const next = script.shift() ?? "ok";
      if (next === "429") return { ok: false, error: { type: "rate_limited", retryable: true, retryAfterMs: 1_000 } };
      if (next === "500") return { ok: false, error: { type: "provider_down", retryable: true, status: 500 } };
      if (!accepted.has(message.idempotencyKey)) deliveries.push(message.to.email);
      accepted.set(message.idempotencyKey, message);
      if (next === "crash") throw new Error("process killed after the provider accepted the message");
      return { ok: true, providerMessageId: `pm-${message.idempotencyKey}` };
    },
  };
  return { adapter, deliveries, accepted };
}

async function setupShop(shop: string, customers: Array<{ id: string; consent: string }>) {
  await markInstalled(db, shop, { name: "Faults", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.sender = { name: "Faults", email: "hello@faults.example" };
  settings.brandVoice.physicalAddress = "1 Test Street, Testville";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
  settings.brandVoice.sending.frequencyCap = 20;
  settings.holdoutPercent = 0;
  await saveShopSettings(db, shop, settings);
  await db.product.create({ data: { shop, id: "1", title: "Mug", handle: "mug", productType: "Ceramics", status: "active", publishedAt: new Date() } });
  await db.variant.create({ data: { shop, id: "10", productId: "1", price: 1000, currency: "USD", availableQuantity: 5 } });
  for (const customer of customers) {
    await db.customer.create({ data: { shop, id: customer.id, email: `${customer.id}@example.com`, emailConsentState: customer.consent } });
    await db.customerAffinity.create({ data: { shop, customerId: customer.id, dimension: "productType", key: "Ceramics", score: 1 } });
  }
}

async function scheduledCampaign(shop: string, startsAt = new Date()) {
  const { created } = await recordOpportunities(db, shop, [
    { type: "new_arrival", key: `new_arrival:${randomBytes(4).toString("hex")}`, title: "New", reason: "new", evidence: {}, score: 1, expiresAt: new Date(Date.now() + 86_400_000), productIds: ["1"], customerIds: [], checkoutTokens: [] },
  ], new Date());
  const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() });
  if (built.status !== "built") return null;
  await transitionCampaign(db, shop, built.campaignId, "approved", { kind: "staff", id: "t" });
  await scheduleCampaign(db, shop, built.campaignId, startsAt, { kind: "staff", id: "t" }, new Date(), "as_planned");
  return built.campaignId;
}

const dispatch = (shop: string, adapter: EspAdapter, now: Date) => dispatchDueSends(db, shop, { adapter, appUrl: "https://app.example", linkKey, now: () => now });

beforeAll(async () => {
  db = await readyDb();
});

describe("delivery under faults", () => {
  it("gets through a 429, then a 500, then sends once", async () => {
    const shop = "flaky.myshopify.com";
    await setupShop(shop, [{ id: "a", consent: "SUBSCRIBED" }]);
    const campaignId = (await scheduledCampaign(shop))!;
    const esp = scriptedEsp(["429", "500", "ok"]);
    let now = new Date();
    for (let round = 0; round < 4; round++) {
      await dispatch(shop, esp.adapter, now);
      now = new Date(now.getTime() + 10 * 60_000); // time passes between runs
      await db.send.updateMany({ where: { campaignId, status: "scheduled", step: 0 }, data: { scheduledAt: now } });
    }
    const [send] = await db.send.findMany({ where: { campaignId, step: 0 } });
    expect(send).toMatchObject({ status: "sent", providerMessageId: `pm-${send.idempotencyKey}` });
    expect(esp.deliveries).toEqual(["a@example.com"]);
  });

  it("after a crash between the provider's accept and the ledger write, the retry reuses the key: one delivery", async () => {
    const shop = "crashy.myshopify.com";
    await setupShop(shop, [{ id: "b", consent: "SUBSCRIBED" }, { id: "c", consent: "SUBSCRIBED" }]);
    const campaignId = (await scheduledCampaign(shop))!;
    const esp = scriptedEsp(["crash"]);
    const now = new Date();
    await dispatch(shop, esp.adapter, now); // the row goes back to scheduled (the process "died" mid-send)
    // Or the process really died with the row still "sending": the lease recovery takes it back.
    await db.send.updateMany({ where: { campaignId, step: 0, status: "scheduled" }, data: { status: "sending", lockedAt: new Date(0) } });
    await dispatch(shop, esp.adapter, new Date(now.getTime() + 60_000));
    await dispatch(shop, esp.adapter, new Date(now.getTime() + 120_000));
    const sends = await db.send.findMany({ where: { campaignId, step: 0 } });
    expect(sends.map((send) => send.status)).toEqual(["sent", "sent"]);
    expect(esp.deliveries.sort()).toEqual(["b@example.com", "c@example.com"]);
  });

  it("never mails anyone without consent and never sends a key twice, across random schedules", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ consent: fc.constantFrom("SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"), unsubscribesLater: fc.boolean(), suppressed: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        async (people, dispatchers) => {
          const shop = `prop-${run++}.myshopify.com`;
          const customers = people.map((person, i) => ({ id: `p${i}`, consent: person.consent }));
          await setupShop(shop, customers);
          for (const [i, person] of people.entries()) {
            if (person.suppressed) await db.suppression.create({ data: { shop, email: `p${i}@example.com`, reason: "complaint" } });
          }
          const campaignId = await scheduledCampaign(shop);
          if (!campaignId) return; // nobody eligible: nothing to send
          // Between scheduling and sending, some people unsubscribe.
          for (const [i, person] of people.entries()) {
            if (person.unsubscribesLater) await db.customer.update({ where: { shop_id: { shop, id: `p${i}` } }, data: { emailConsentState: "UNSUBSCRIBED" } });
          }
          const esp = scriptedEsp();
          const keys: string[] = [];
          const counting: EspAdapter = {
            ...esp.adapter,
            send: async (message) => {
              keys.push(message.idempotencyKey);
              return esp.adapter.send(message);
            },
          };
          await Promise.all(Array.from({ length: dispatchers }, () => dispatch(shop, counting, new Date())));
          expect(new Set(keys).size).toBe(keys.length);
          for (const email of esp.deliveries) {
            const i = Number(email.slice(1, email.indexOf("@")));
            expect(people[i].consent).toBe("SUBSCRIBED");
            expect(people[i].unsubscribesLater).toBe(false);
            expect(people[i].suppressed).toBe(false);
          }
          const eligible = people.filter((p) => p.consent === "SUBSCRIBED" && !p.unsubscribesLater && !p.suppressed).length;
          expect(esp.deliveries.length).toBe(eligible);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("merchant controls", () => {
  it("pauses, resumes and cancels: nothing goes out while paused, nothing after cancelling", async () => {
    const shop = "controls.myshopify.com";
    await setupShop(shop, [{ id: "d", consent: "SUBSCRIBED" }, { id: "e", consent: "SUBSCRIBED" }]);
    const campaignId = (await scheduledCampaign(shop))!;
    const staff = { kind: "staff" as const, id: "m" };
    const esp = scriptedEsp();
    expect((await pauseCampaign(db, shop, campaignId, staff)).ok).toBe(true);
    await dispatch(shop, esp.adapter, new Date());
    expect(esp.deliveries).toEqual([]);
    expect((await resumeCampaign(db, shop, campaignId, staff)).ok).toBe(true);
    await dispatch(shop, esp.adapter, new Date());
    expect(esp.deliveries.sort()).toEqual(["d@example.com", "e@example.com"]);
    expect((await cancelCampaign(db, shop, campaignId, staff, "sold out")).ok).toBe(true);
    const later = await db.send.findMany({ where: { campaignId, step: 1 } });
    expect(later.map((send) => send.status)).toEqual(["skipped", "skipped"]);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("rejected");
  });
});
