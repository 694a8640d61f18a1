import { beforeAll, describe, expect, it } from "vitest";
import { contentOf } from "~/campaigns/campaigns.server";
import { flowAction } from "~/admin/flows.server";
import { runFlow, type FlowRun } from "~/campaigns/flows/run.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { loadShopSettings } from "~/shops/settings.server";
import { ingest } from "../support/ingest";
import { customerPayload } from "../support/shopify-payloads";
import { seedStoreWithSuggestion } from "../support/seed-store";

// The welcome flow, end to end on the database: off, nothing happens; switched on, each person who
// subscribes afterwards is enrolled once into the 3-email welcome series, approved by the rule and
// scheduled when the merchant lets it send without review, waiting for review otherwise; people who
// subscribed before the switch, or without consent, are not.

const shop = "welcome-flow.myshopify.com";
const copywriters = { fallback: new BuiltinCopywriter() };
const HOUR = 3_600_000;
let db: Db;
let queue: DbJobQueue;
const t0 = Date.now();

beforeAll(async () => {
  await seedStoreWithSuggestion(shop, "Welcome Pottery", { idBase: 7000, now: new Date(t0) });
  db = await readyDb();
  queue = new DbJobQueue(db);
}, 60_000);

const runWelcomeFlow = (at: Date) => runFlow(db, queue, shop, "welcome", copywriters, at);
const saveWelcome = (form: Record<string, string>, at = new Date()) => flowAction(db, shop, { intent: "save", flow: "welcome", ...form }, "test", at);
const onlyBatch = (run: FlowRun) => (run.status === "ran" && run.batches.length === 1 ? run.batches[0] : null);
const subscribe = (id: number, at: number, consent: "subscribed" | "not_subscribed" = "subscribed") =>
  ingest(shop, "customers/create", customerPayload(id, consent, new Date(at)));

describe("the welcome flow", () => {
  it("does nothing while it is off", async () => {
    await subscribe(7101, t0 - HOUR);
    expect(await runWelcomeFlow(new Date(t0))).toEqual({ status: "off" });
  });

  it("refuses an offer above the discount policy when switched on", async () => {
    expect(await saveWelcome({ enabled: "on", offerPercent: "40" })).toEqual({
      ok: false,
      flow: "welcome",
      fieldErrors: { offerPercent: "Your discount policy allows at most 15%" },
    });
    expect((await loadShopSettings(db, shop)).flows.welcome.enabled).toBe(false);
  });

  it("welcomes each new subscriber once, with a scheduled 3-email series", async () => {
    const saved = await saveWelcome({ enabled: "on", autoApprove: "on", offerPercent: "10" }, new Date(t0));
    expect(saved.ok).toBe(true);
    await subscribe(7102, t0 + HOUR);
    await subscribe(7103, t0 + HOUR, "not_subscribed");
    const first = onlyBatch(await runWelcomeFlow(new Date(t0 + 2 * HOUR)));
    expect(first).toMatchObject({ status: "built", enrolled: 1, audience: 1, approved: true, scheduled: true });
    if (first?.status !== "built") return;
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: first.campaignId } });
    expect(campaign).toMatchObject({ status: "scheduled", title: "Welcome series: 1 new subscriber" });
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: campaign.id } });
    expect(recipients.map((r) => r.email)).toEqual(["shopper7102@example.com"]);
    const plan = JSON.parse(campaign.plan);
    expect(plan.goal.steps.map((s: { purpose: string }) => s.purpose)).toEqual(["welcome", "brand_story", "first_order"]);
    expect(plan.steps.map((s: { offerPercent: number | null }) => s.offerPercent)).toEqual([null, null, 10]);
    const version = await db.campaignVersion.findFirstOrThrow({ where: { id: campaign.currentVersionId! } });
    expect(contentOf(version).steps).toHaveLength(3);
    const sends = await db.send.findMany({ where: { campaignId: campaign.id }, orderBy: { step: "asc" } });
    expect(sends.map((s) => s.step)).toEqual([0, 1, 2]);
    expect(sends[2].scheduledAt.getTime() - sends[0].scheduledAt.getTime()).toBeLessThanOrEqual(7 * 24 * HOUR);
    const transitions = await db.campaignTransition.findMany({ where: { campaignId: campaign.id }, orderBy: { at: "asc" } });
    expect(transitions.map((t) => `${t.to}:${t.actor}`)).toEqual(["suggested:system:campaign-builder", "approved:rule:flow:welcome", "scheduled:rule:flow:welcome"]);
    expect(await db.job.count({ where: { shop, name: "delivery.dispatch" } })).toBeGreaterThan(0);
  });

  it("never welcomes anyone twice, and picks up the next subscriber in a later batch", async () => {
    expect(await runWelcomeFlow(new Date(t0 + 3 * HOUR))).toEqual({ status: "nobody" });
    await subscribe(7104, t0 + 4 * HOUR);
    const next = onlyBatch(await runWelcomeFlow(new Date(t0 + 5 * HOUR)));
    expect(next).toMatchObject({ status: "built", enrolled: 1 });
    if (next?.status !== "built") return;
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: next.campaignId } });
    expect(recipients.map((r) => r.email)).toEqual(["shopper7104@example.com"]);
    // 7101 subscribed before the switch was turned on: never welcomed.
    expect(await db.campaignRecipient.count({ where: { shop, email: "shopper7101@example.com" } })).toBe(0);
  });

  it("lets a batch wait for the merchant's review unless the flow sends without review", async () => {
    expect((await saveWelcome({ enabled: "on", offerPercent: "10" })).ok).toBe(true);
    await subscribe(7106, t0 + 5.5 * HOUR);
    const batch = onlyBatch(await runWelcomeFlow(new Date(t0 + 6 * HOUR)));
    expect(batch).toMatchObject({ status: "built", approved: false, scheduled: false });
    if (batch?.status !== "built") return;
    expect(await db.campaign.findUniqueOrThrow({ where: { id: batch.campaignId } })).toMatchObject({ status: "suggested" });
    expect(await db.send.count({ where: { campaignId: batch.campaignId } })).toBe(0);
  });

  it("stops when switched off", async () => {
    expect((await saveWelcome({ offerPercent: "0" })).ok).toBe(true);
    await subscribe(7105, t0 + 6 * HOUR);
    expect(await runWelcomeFlow(new Date(t0 + 7 * HOUR))).toEqual({ status: "off" });
  });
});
