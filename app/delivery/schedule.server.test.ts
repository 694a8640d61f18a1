import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { makeDraft } from "~/copy/testing";
import { scheduleCampaign } from "./schedule.server";

describe("scheduling into the send ledger", () => {
  it("writes one row per step and recipient, at each recipient's best hour, holdouts kept apart, idempotently", async () => {
    const db = await readyDb();
    const shop = "schedule.myshopify.com";
    await db.shop.create({ data: { shop, ianaTimezone: "UTC" } });
    const plan = { steps: [{ delayHours: 0, offerPercent: null }, { delayHours: 72, offerPercent: null }], exitOn: ["ordered"], acceptsMarketingCountsAsConsent: true, window: null, holdoutPercent: 5 };
    const campaign = await db.campaign.create({ data: { shop, kind: "promotional", angle: "new_arrival", title: "New", status: "approved", plan: JSON.stringify(plan) } });
    const draft = makeDraft();
    const version = await db.campaignVersion.create({
      data: { shop, campaignId: campaign.id, number: 1, author: "system:test", content: JSON.stringify({ steps: [0, 1].map(() => ({ draft, subjectVariants: [0, 1, 2], source: "builtin", status: "ready" })) }) },
    });
    await db.campaign.update({ where: { id: campaign.id }, data: { currentVersionId: version.id } });
    await db.campaignRecipient.createMany({
      data: [
        { shop, campaignId: campaign.id, email: "evening@example.com" },
        { shop, campaignId: campaign.id, email: "unknown@example.com" },
        { shop, campaignId: campaign.id, email: "control@example.com", holdout: true },
      ],
    });
    for (const day of [1, 2, 3]) {
      await db.emailEvent.create({ data: { shop, email: "evening@example.com", type: "click", source: "link", eventKey: `c${day}`, occurredAt: new Date(`2026-11-0${day}T19:20:00Z`) } });
    }
    const now = new Date("2026-11-23T12:00:00Z");
    const actor = { kind: "staff" as const, id: "1" };
    expect((await scheduleCampaign(db, shop, campaign.id, now, actor, now)).ok).toBe(true);
    const rows = await db.send.findMany({ where: { campaignId: campaign.id }, orderBy: [{ email: "asc" }, { step: "asc" }] });
    expect(rows.map((row) => [row.email, row.step, row.status, row.scheduledAt.toISOString()])).toEqual([
      ["control@example.com", 0, "holdout", "2026-11-24T10:00:00.000Z"],
      ["control@example.com", 1, "holdout", "2026-11-27T10:00:00.000Z"],
      ["evening@example.com", 0, "scheduled", "2026-11-23T19:00:00.000Z"],
      ["evening@example.com", 1, "scheduled", "2026-11-26T19:00:00.000Z"],
      ["unknown@example.com", 0, "scheduled", "2026-11-24T10:00:00.000Z"],
      ["unknown@example.com", 1, "scheduled", "2026-11-27T10:00:00.000Z"],
    ]);
    expect(new Set(rows.map((row) => row.idempotencyKey)).size).toBe(6);
    // A second schedule (double click) is refused and adds nothing.
    expect((await scheduleCampaign(db, shop, campaign.id, now, actor, now)).ok).toBe(false);
    expect(await db.send.count({ where: { campaignId: campaign.id } })).toBe(6);
  });
});
