import { beforeAll, describe, expect, it } from "vitest";
import { flowAction, flowsOverview } from "~/admin/flows.server";
import { runFlow, type FlowBatchResult, type FlowRun } from "~/campaigns/flows/run.server";
import type { FlowId } from "~/campaigns/flows/flow-ids";
import { ORDERED_ELSEWHERE } from "~/campaigns/recovery.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { dispatchDueSends } from "~/delivery/dispatch.server";
import { linkSigningKey } from "~/delivery/links";
import type { EspAdapter } from "~/integrations/esp/types";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { detectOpportunitiesJob } from "~/opportunities/jobs.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";

// The always-on flows end to end on the database: each trigger enrols the right people once, the batch
// is built like any campaign (consent, suppressions, identity), sends go through the dispatcher with
// the caps shared with campaigns, a sequence ends when the customer orders, a stock alert reaches the
// shoppers who asked even without marketing consent, a stop cancels what is scheduled, and the page
// reports each flow's results.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = new Date("2026-11-16T12:00:00Z");
const at = (days: number) => new Date(T.getTime() + days * DAY);
const copywriters = { fallback: new BuiltinCopywriter() };
const linkKey = linkSigningKey("flows");
let db: Db;
let queue: DbJobQueue;

function recordingEsp() {
  const delivered: Array<{ to: string; key: string; subject: string }> = [];
  const adapter: EspAdapter = {
    id: "smtp",
    rateLimit: { perSecond: 1000, burst: 1000 },
    validateCredentials: async () => ({ ok: true }),
    async send(message) {
      delivered.push({ to: message.to.email, key: message.idempotencyKey, subject: message.subject });
      return { ok: true, providerMessageId: `pm-${message.idempotencyKey}` };
    },
  };
  return { adapter, delivered };
}

async function dispatchUntil(shop: string, adapter: EspAdapter, from: Date, to: Date) {
  for (let now = from; now <= to; now = new Date(now.getTime() + HOUR)) {
    if (await db.send.count({ where: { shop, status: "scheduled", scheduledAt: { lte: now } } })) {
      await dispatchDueSends(db, shop, { adapter, appUrl: "https://app.example", linkKey, now: () => now });
    }
  }
}

const PRODUCTS = [
  { id: "1", title: "House Coffee Beans", productType: "Pantry" },
  { id: "2", title: "Hand Grinder", productType: "Tools" },
  { id: "3", title: "Paper Filters", productType: "Pantry" },
  { id: "4", title: "Glazed Teapot", productType: "Ceramics" },
  { id: "5", title: "Bud Vase", productType: "Ceramics" },
];

async function setupShop(shop: string, flow: FlowId, { frequencyCap = 20, enabledAt = at(-20) } = {}) {
  await markInstalled(db, shop, { name: "Flows & Co", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.sender = { name: "Flows & Co", email: "hello@flows.example" };
  settings.brandVoice.physicalAddress = "1 Test Street, Testville";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
  settings.brandVoice.sending.frequencyCap = frequencyCap;
  settings.holdoutPercent = 0;
  settings.flows[flow] = { enabled: true, autoApprove: true, offerPercent: 10, enabledAt: enabledAt.toISOString() };
  await saveShopSettings(db, shop, settings);
  for (const product of PRODUCTS) {
    await db.product.create({ data: { shop, ...product, handle: product.title.toLowerCase().replaceAll(" ", "-"), status: "active", publishedAt: at(-400), vendor: "Flows" } });
    await db.variant.create({ data: { shop, id: `${product.id}0`, productId: product.id, price: 1800, currency: "USD", availableQuantity: 10 } });
  }
  for (let id = 1; id <= 8; id++) {
    await db.customer.create({
      data: { shop, id: String(id), email: `c${id}@example.com`, firstName: `C${id}`, emailConsentState: id === 7 ? "NOT_SUBSCRIBED" : "SUBSCRIBED", createdAt: at(-400), emailConsentUpdatedAt: at(-400) },
    });
  }
}

let orderSeq = 1000;
async function order(shop: string, customerId: string, productIds: string[], when: Date) {
  const id = String(orderSeq++);
  await db.order.create({ data: { shop, id, customerId, email: `c${customerId}@example.com`, currency: "USD", totalPrice: 1800 * productIds.length, processedAt: when } });
  for (const [i, productId] of productIds.entries()) {
    await db.orderLine.create({ data: { shop, orderId: id, id: `${id}-${i}`, productId, variantId: `${productId}0`, title: productId, quantity: 1, price: 1800 } });
  }
  return id;
}

function builtBatch(run: FlowRun): Extract<FlowBatchResult, { status: "built" }> {
  expect(run.status).toBe("ran");
  const batch = run.status === "ran" ? run.batches[0] : undefined;
  expect(batch?.status).toBe("built");
  return batch as Extract<FlowBatchResult, { status: "built" }>;
}

beforeAll(async () => {
  db = await readyDb();
  queue = new DbJobQueue(db);
});

describe("post-purchase cross-sell", () => {
  const shop = "flow-post-purchase.myshopify.com";

  it("follows up an order with companions (not what they bought) and ends when they order again", async () => {
    await setupShop(shop, "post_purchase");
    // What customers buy together: coffee with filters, many times.
    for (const customer of ["2", "3", "4", "5"]) await order(shop, customer, ["1", "3"], at(-60));
    await order(shop, "6", ["1", "3", "2"], at(-50));
    const bought = await order(shop, "1", ["1", "2"], at(-3.5));
    await recomputeShopInsights(db, shop, at(-3));

    const batch = builtBatch(await runFlow(db, queue, shop, "post_purchase", copywriters, T));
    expect(batch).toMatchObject({ enrolled: 1, audience: 1, approved: true, scheduled: true });
    const recipient = await db.campaignRecipient.findFirstOrThrow({ where: { campaignId: batch.campaignId } });
    expect(recipient.email).toBe("c1@example.com");
    const products = JSON.parse(recipient.products) as string[];
    expect(products).toContain("3"); // the filters other coffee buyers bought with it
    expect(products).not.toContain("1");
    expect(products).not.toContain("2");
    expect(JSON.parse(recipient.evidence)).toMatchObject({ flow: "post_purchase", enrolments: [{ orderId: bought }] });
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: batch.campaignId } });
    expect(JSON.parse(campaign.plan).goal.steps.map((s: { purpose?: string }) => s.purpose)).toEqual(["order_follow_up", "recommendation"]);

    // The same order never enrols them twice.
    expect(await runFlow(db, queue, shop, "post_purchase", copywriters, new Date(T.getTime() + HOUR))).toEqual({ status: "nobody" });

    const esp = recordingEsp();
    await dispatchUntil(shop, esp.adapter, T, at(2));
    expect(esp.delivered.map((d) => d.to)).toEqual(["c1@example.com"]);
    await order(shop, "1", ["5"], at(2.5));
    await dispatchUntil(shop, esp.adapter, at(2.5), at(9));
    expect(esp.delivered).toHaveLength(1);
    const second = await db.send.findFirstOrThrow({ where: { campaignId: batch.campaignId, step: 1 } });
    expect(second).toMatchObject({ status: "skipped", skipReason: "ordered since the sequence started" });
  });

  it("reports the flow's results on the flows page", async () => {
    const sent = await db.send.findFirstOrThrow({ where: { shop, status: "sent" } });
    await db.emailEvent.create({ data: { shop, sendId: sent.id, campaignId: sent.campaignId, email: sent.email, type: "click", source: "link", eventKey: "click-1", occurredAt: at(1) } });
    await db.orderAttribution.create({ data: { shop, orderId: "attributed-1", campaignId: sent.campaignId, sendId: sent.id, method: "click", revenue: 1800, currency: "USD", orderedAt: at(2.5) } });
    const { flows } = await flowsOverview(db, shop, at(3));
    const flow = flows.find((f) => f.id === "post_purchase")!;
    expect(flow.performance).toMatchObject({ enrolled: 1, recipients: 1, sent: 1, clicked: 1, orders: 1, revenue: 1800, clickRate: 1, conversionRate: 1, revenuePerRecipient: 1800 });
    expect(flow.batches.map((b) => b.id)).toEqual([sent.campaignId]);
    expect(flow.messages.map((m) => m.id)).toEqual([sent.id]);
    expect(flows.find((f) => f.id === "welcome")!.performance.sent).toBe(0);
  });
});

describe("replenishment", () => {
  const shop = "flow-replenishment.myshopify.com";

  it("reminds each customer at their own reorder time, never one who already reordered", async () => {
    await setupShop(shop, "replenishment");
    for (const customer of ["3", "4", "5"]) for (const days of [-90, -60, -30]) await order(shop, customer, ["1"], at(days + 0.01 * Number(customer)));
    for (const days of [-60, -30, -2]) await order(shop, "6", ["1"], at(days)); // reordered two days ago
    await order(shop, "8", ["5"], at(-30)); // a vase is not a habit

    const batch = builtBatch(await runFlow(db, queue, shop, "replenishment", copywriters, T));
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: batch.campaignId }, orderBy: { email: "asc" } });
    expect(recipients.map((r) => r.email)).toEqual(["c3@example.com", "c4@example.com", "c5@example.com"]);
    for (const recipient of recipients) {
      expect(JSON.parse(recipient.products)[0]).toBe("1");
      expect(JSON.parse(recipient.evidence).enrolments[0]).toMatchObject({ productId: "1", basis: "blended", intervalDays: 30 });
    }
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: batch.campaignId } });
    const plan = JSON.parse(campaign.plan);
    expect(plan.goal.steps.map((s: { purpose?: string }) => s.purpose)).toEqual(["replenish", "last_call"]);
    expect(plan.steps.map((s: { offerPercent: number | null }) => s.offerPercent)).toEqual([null, 10]);
    // The copy names no product: each reader's own item is in their block.
    const version = await db.campaignVersion.findUniqueOrThrow({ where: { id: campaign.currentVersionId! } });
    expect(version.content).not.toContain("House Coffee Beans");
  });
});

describe("browse abandonment", () => {
  const shop = "flow-browse.myshopify.com";
  const view = (customerId: string, productId: string, hoursAgo: number) =>
    db.browseEvent.create({ data: { shop, visitorId: `v${customerId}`, customerId, type: "product_view", productId, occurredAt: new Date(T.getTime() - hoursAgo * HOUR), attributedVia: "session" } });

  it("follows up repeated views, leaves out shoppers who bought since, and takes over the daily suggestion", async () => {
    await setupShop(shop, "browse_abandonment");
    for (const customer of ["1", "2"]) for (const hoursAgo of [10, 8, 6]) await view(customer, "5", hoursAgo);
    await order(shop, "2", ["4"], new Date(T.getTime() - 2 * HOUR)); // bought something else after looking

    const run = await runFlow(db, queue, shop, "browse_abandonment", copywriters, T);
    const batch = builtBatch(run);
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: batch.campaignId } });
    expect(recipients.map((r) => [r.email, JSON.parse(r.products)[0]])).toEqual([["c1@example.com", "5"]]);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: batch.campaignId } });
    expect(campaign.angle).toBe("browse_abandonment");
    expect(JSON.parse(campaign.plan).excluded).toEqual({ [ORDERED_ELSEWHERE]: 1 });

    await detectOpportunitiesJob.perform({}, { db, queue, shop, attempt: 1, maxAttempts: 1, heartbeat: async () => {} });
    expect(await db.opportunity.count({ where: { shop, type: "browse_abandonment" } })).toBe(0);
  });
});

describe("back-in-stock alerts", () => {
  const shop = "flow-back-in-stock.myshopify.com";

  it("alerts the shoppers who asked (their request is the consent) and the customers who looked while it was gone", async () => {
    await setupShop(shop, "back_in_stock");
    await db.productSignal.create({ data: { shop, productId: "4", variantId: "40", kind: "sold_out", at: at(-10) } });
    await db.productSignal.create({ data: { shop, productId: "4", variantId: "40", kind: "restocked", at: new Date(T.getTime() - HOUR) } });
    const request = (email: string, customerId: string | null) =>
      db.stockAlertRequest.create({ data: { shop, productId: "4", variantId: "40", email, customerId, requestedAt: at(-5) } });
    const asker = await request("asker@example.com", null);
    await request("c7@example.com", "7"); // no marketing consent, but asked
    await request("gone@example.com", null);
    await db.suppression.create({ data: { shop, email: "gone@example.com", reason: "unsubscribed", source: "test" } });
    await db.browseEvent.create({ data: { shop, visitorId: "v1", customerId: "1", type: "product_view", productId: "4", occurredAt: at(-4), attributedVia: "session" } });
    await db.browseEvent.create({ data: { shop, visitorId: "v2", customerId: "2", type: "product_view", productId: "4", occurredAt: at(-20) } }); // before it sold out

    const batch = builtBatch(await runFlow(db, queue, shop, "back_in_stock", copywriters, T));
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: batch.campaignId }, orderBy: { email: "asc" } });
    expect(recipients.map((r) => r.email)).toEqual(["asker@example.com", "c1@example.com", "c7@example.com"]);
    expect(JSON.parse(recipients[0].evidence)).toMatchObject({ consentBasis: "asked to be told when it is back", stockAlertRequestId: asker.id });
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: batch.campaignId } });
    expect(campaign.title).toContain("Glazed Teapot");
    expect(JSON.parse(campaign.plan).excluded).toEqual({ "unsubscribed, bounced or complained": 1 });
    const requests = await db.stockAlertRequest.findMany({ where: { shop }, orderBy: { email: "asc" } });
    expect(requests.filter((r) => r.email !== "gone@example.com").every((r) => r.notifiedAt && r.campaignId === batch.campaignId)).toBe(true);

    // A request deleted before the send (customers/redact) no longer counts as consent.
    await db.stockAlertRequest.delete({ where: { id: asker.id } });
    const esp = recordingEsp();
    await dispatchUntil(shop, esp.adapter, T, at(1));
    expect(esp.delivered.map((d) => d.to).sort()).toEqual(["c1@example.com", "c7@example.com"]);
    expect(await db.send.findFirstOrThrow({ where: { campaignId: batch.campaignId, email: "asker@example.com" } })).toMatchObject({ status: "skipped" });
    // The same restock never alerts anyone twice.
    expect(await runFlow(db, queue, shop, "back_in_stock", copywriters, new Date(T.getTime() + HOUR))).toEqual({ status: "nobody" });
  });
});

describe("caps shared with campaigns, review, and the stop", () => {
  const shop = "flow-caps.myshopify.com";

  it("moves a flow message when the customer's campaigns used up their cap", async () => {
    await setupShop(shop, "post_purchase", { frequencyCap: 2 });
    // Two campaign emails in the 7-day window: the cap is full until the first ages out, on day 1.5.
    for (const when of [at(-5.5), at(-5)]) {
      await db.send.create({ data: { shop, campaignId: "earlier-campaign", step: 0, recipientId: `r-${when.getTime()}`, customerId: "1", email: "c1@example.com", idempotencyKey: `earlier.${when.getTime()}`, status: "sent", scheduledAt: when, sentAt: when } });
    }
    await order(shop, "1", ["1"], at(-3.2));
    const batch = builtBatch(await runFlow(db, queue, shop, "post_purchase", copywriters, T));
    const esp = recordingEsp();
    await dispatchUntil(shop, esp.adapter, T, at(1.4));
    expect(esp.delivered).toEqual([]);
    const moved = await db.send.findFirstOrThrow({ where: { campaignId: batch.campaignId, step: 0 } });
    expect(moved.status).toBe("scheduled");
    expect(moved.moves).toBeGreaterThan(0);
    expect(moved.moveReason).toMatch(/frequency cap|budget/);
    // Once the oldest campaign email ages out of the 7-day window, the flow's email goes.
    await dispatchUntil(shop, esp.adapter, at(1.4), at(2.5));
    expect(esp.delivered.map((d) => d.to)).toEqual(["c1@example.com"]);
  });

  it("switching a flow off and stopping cancels what it has scheduled", async () => {
    await order(shop, "2", ["1"], at(-3.1));
    const batch = builtBatch(await runFlow(db, queue, shop, "post_purchase", copywriters, new Date(T.getTime() + 2 * HOUR)));
    expect(await db.send.count({ where: { campaignId: batch.campaignId, status: "scheduled" } })).toBeGreaterThan(0);
    const stopped = await flowAction(db, shop, { intent: "stop", flow: "post_purchase" }, "staff-1");
    expect(stopped).toMatchObject({ ok: true, flow: "post_purchase" });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: batch.campaignId } })).toMatchObject({ status: "rejected" });
    expect(await db.send.count({ where: { campaignId: batch.campaignId, status: "scheduled" } })).toBe(0);
    expect((await loadShopSettings(db, shop)).flows.post_purchase.enabled).toBe(false);
    expect(await runFlow(db, queue, shop, "post_purchase", copywriters, at(1))).toEqual({ status: "off" });
  });

  it("refuses bad form input with field errors and changes nothing", async () => {
    expect(await flowAction(db, shop, { intent: "save", flow: "nope", enabled: "on" }, "staff-1")).toMatchObject({ ok: false, flow: null, fieldErrors: { flow: "Unknown flow" } });
    expect(await flowAction(db, shop, { intent: "save", flow: "replenishment", enabled: "on", offerPercent: "abc" }, "staff-1")).toMatchObject({ ok: false, flow: "replenishment", fieldErrors: { offerPercent: "Enter a whole percentage" } });
    expect(await flowAction(db, shop, { intent: "delete", flow: "replenishment" }, "staff-1")).toMatchObject({ ok: false });
    expect((await loadShopSettings(db, shop)).flows.replenishment.enabled).toBe(false);
  });
});
