import { beforeAll, describe, expect, it } from "vitest";
import { editStep } from "~/admin/campaign-edits.server";
import { previewAs } from "~/admin/campaigns.server";
import { addVersion, contentOf, draftFor, type CampaignContent } from "~/campaigns/campaigns.server";
import { createGoalCampaign } from "~/campaigns/goal-campaign.server";
import { prepareStep } from "~/campaigns/personalise.server";
import { storedSegmentationSchema, TONE_NEIGHBOURS } from "~/campaigns/segments";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import type { CopyDraft } from "~/copy/types";
import { readyDb, type Db } from "~/db.server";
import { linkSigningKey } from "~/delivery/links";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";
import { ingest } from "../support/ingest";
import { customerPayload, orderPayload, productPayload } from "../support/shopify-payloads";

// Angles and tone per segment (ADR 018), end to end on the database: a fashion shop whose customers
// fall into minimalist, luxury and casual tastes gets, from one goal, a three-email launch whose every
// email has a draft per segment with its own angle and tone, inside the brand voice, grounded in the
// catalogue and within the discount policy; each recipient renders their segment's draft, edits make
// new versions checked by the guardrails, and content stored before segments keeps rendering.

const shop = "atelier.myshopify.com";
const other = "atelier-other.myshopify.com";
const DAY = 86_400_000;
const t0 = new Date("2026-11-20T10:00:00Z").getTime();
const now = new Date(t0);
const at = (days: number) => new Date(t0 + days * DAY).toISOString();
const copywriters = { fallback: new BuiltinCopywriter() };
const STYLES = { Minimalist: { price: 70, first: 1 }, Luxury: { price: 280, first: 11 }, Casual: { price: 35, first: 21 }, Boho: { price: 50, first: 31 } } as const;
const LAUNCH = { Minimalist: 41, Luxury: 42, Casual: 43 } as const;
let db: Db;
let campaignId: string;

const product = (id: number, title: string, tag: string, price: number, publishedDaysAgo = 300) => ({
  ...productPayload(id, title, { productType: "Apparel", publishedAt: at(-publishedDaysAgo), price: `${price}.00`, vendor: "Maison" }),
  tags: tag,
});
const text = (draft: CopyDraft) => [...draft.subjects, draft.previewText, draft.headline, ...draft.body, draft.callToAction].join("\n");

beforeAll(async () => {
  db = await readyDb();
  await markInstalled(db, shop, { name: "Maison", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  await markInstalled(db, other, { name: "Elsewhere", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.tone.preset = "friendly";
  settings.brandVoice.bannedWords = ["cheap", "bargain"];
  settings.brandVoice.discountPolicy.maxPercent = 15;
  settings.brandVoice.physicalAddress = "3 Rue du Test, Paris";
  settings.personalisation.segments.minSize = 4;
  await saveShopSettings(db, shop, settings);
  await ingest(other, "products/create", product(900, "Foreign Coat", "Luxury", 500));
  // Three products per style, and one launch product per style (new this week).
  for (const [style, { price, first }] of Object.entries(STYLES)) {
    for (let i = 0; i < 3; i++) await ingest(shop, "products/create", product(first + i, `${style} Piece ${i + 1}`, style, price + i * 5));
  }
  await ingest(shop, "products/create", product(LAUNCH.Minimalist, "Column Dress", "Minimalist", 90, 1));
  await ingest(shop, "products/create", product(LAUNCH.Luxury, "Silk Evening Gown", "Luxury", 340, 1));
  await ingest(shop, "products/create", product(LAUNCH.Casual, "Weekend Tee", "Casual", 30, 1));
  // Five customers per main style buy from it three times; two buy boho (too few for a segment).
  let customer = 100;
  let orderId = 1_000;
  for (const [style, count] of [["Minimalist", 5], ["Luxury", 5], ["Casual", 5], ["Boho", 2]] as const) {
    for (let n = 0; n < count; n++) {
      customer += 1;
      await ingest(shop, "customers/create", customerPayload(customer, "subscribed", at(-400), { first: `${style}${n}`, last: "Shopper" }));
      const { first } = STYLES[style];
      for (const [k, daysAgo] of [80, 50, 20].entries()) await ingest(shop, "orders/create", orderPayload(orderId++, customer, [first + ((n + k) % 3)], at(-daysAgo)));
    }
  }
  await recomputeShopInsights(db, shop, now);
  const result = await createGoalCampaign(
    db,
    shop,
    { objective: "launch", productIds: Object.values(LAUNCH).map(String), offerPercent: "10", audience: "affinity", affinityDimension: "productType", affinityKey: "Apparel" },
    copywriters,
    now,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  campaignId = result.campaignId;
}, 120_000);

async function loaded() {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const version = await db.campaignVersion.findUniqueOrThrow({ where: { id: campaign.currentVersionId! } });
  const plan = JSON.parse(campaign.plan);
  return { campaign, version, plan, content: contentOf(version), segmentation: storedSegmentationSchema.parse(plan.segmentation) };
}

describe("a goal in, a segmented multi-step campaign out", () => {
  it("splits the audience into minimalist, luxury and casual segments, each with its own angle and tone inside the brand voice", async () => {
    const { campaign, segmentation } = await loaded();
    expect(campaign).toMatchObject({ status: "suggested", kind: "promotional", audienceSize: 17 });
    const byInterest = Object.fromEntries(segmentation.segments.map((s) => [s.interest, s]));
    expect(Object.keys(byInterest).sort()).toEqual(["Casual", "Luxury", "Minimalist"]);
    expect(segmentation.segments.map((s) => [s.dimension, s.size])).toEqual([["tag", 5], ["tag", 5], ["tag", 5]]);
    expect(segmentation.note).toBe("Split by tag into 3 segments of at least 4; 2 others get the general copy.");
    expect(byInterest.Minimalist.tone).toBe("minimal");
    expect(byInterest.Luxury.tone).toBe("premium");
    expect(byInterest.Casual.tone).toBeNull(); // "casual" reads friendly: the brand's own
    for (const segment of segmentation.segments) if (segment.tone) expect(TONE_NEIGHBOURS.friendly).toContain(segment.tone);
    // Each segment's copy leads with its own style's launch product.
    expect(byInterest.Luxury.copyProducts[0].title).toBe("Silk Evening Gown");
    expect(byInterest.Minimalist.copyProducts[0].title).toBe("Column Dress");
    expect(byInterest.Casual.copyProducts[0].title).toBe("Weekend Tee");
  });

  it("writes every email for every segment: different drafts, grounded in the catalogue, within the policy, no blocking finding", async () => {
    const { plan, content, version, segmentation } = await loaded();
    expect(plan.goal.steps.map((s: { purpose: string }) => s.purpose)).toEqual(["teaser", "education", "last_call"]);
    expect(plan.steps.map((s: { offerPercent: number | null }) => s.offerPercent)).toEqual([null, null, 10]);
    expect(JSON.parse(version.findings).filter((f: { severity: string }) => f.severity === "block")).toEqual([]);
    const catalogue = new Set((await db.product.findMany({ where: { shop }, select: { title: true } })).map((p) => p.title));
    const othersTitles = ["Foreign Coat"];
    expect(content.steps).toHaveLength(3);
    for (const [index, step] of content.steps.entries()) {
      expect(Object.keys(step.segments ?? {}).sort()).toEqual(["s1", "s2", "s3"]);
      const drafts = segmentation.segments.map((segment) => ({ segment, draft: draftFor(step, segment.id).draft }));
      for (const { segment, draft } of drafts) {
        const body = text(draft);
        expect(body, `${segment.interest} step ${index}`).toContain(segment.interest);
        expect(body).not.toMatch(/cheap|bargain/i);
        for (const title of othersTitles) expect(body).not.toContain(title);
        const percents = [...body.matchAll(/(\d+)%/g)].map((m) => Number(m[1]));
        expect(percents.every((p) => p === 10)).toBe(true);
        if (index < 2) expect(percents).toEqual([]);
        else expect(percents.length).toBeGreaterThan(0);
        for (const fact of segment.copyProducts) expect(catalogue).toContain(fact.title);
      }
      // Three different angles: no two segments share an opening paragraph, and each tests a subject in its own.
      expect(new Set(drafts.map(({ draft }) => draft.body[0])).size).toBe(3);
      for (const { segment, draft } of drafts) expect(draft.subjects.some((subject) => subject.includes(segment.interest))).toBe(true);
      expect(JSON.parse(version.findings).filter((f: { field: string; message: string }) => /paragraphs/.test(f.message))).toEqual([]);
      // The general draft (for the two boho customers) names no segment's interest.
      expect(text(step.draft)).not.toMatch(/Minimalist|Luxury|Casual/);
    }
    // The premium segment writes premium: its greeting is the premium one.
    const luxury = segmentation.segments.find((s) => s.interest === "Luxury")!;
    expect(draftFor(content.steps[1], luxury.id).draft.body[0]).toMatch(/^Dear /);
  });

  it("each recipient renders their segment's draft; those in no segment get the general one", async () => {
    const { campaign, content, segmentation } = await loaded();
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId } });
    const segmentOfName = (firstName: string | null) => segmentation.segments.find((s) => firstName?.startsWith(s.interest));
    for (const recipient of recipients) {
      const evidence = JSON.parse(recipient.evidence);
      const expected = segmentOfName(recipient.firstName);
      expect(evidence.segment?.interest, recipient.firstName!).toBe(expected?.interest);
    }
    const prepared = await prepareStep(db, campaign, content, 0, recipients, {
      appUrl: "https://app.example",
      linkKey: linkSigningKey("segments"),
      settings: await loadShopSettings(db, shop),
      shopName: "Maison",
      currency: "USD",
    });
    if (!prepared.ok) throw new Error(prepared.error.message);
    for (const recipient of recipients) {
      const rendered = prepared.step.render(recipient, 0, null);
      if (!rendered.ok) throw new Error(rendered.error.message);
      const segment = segmentOfName(recipient.firstName);
      const own = draftFor(content.steps[0], segment?.id ?? null);
      expect(rendered.email.subject).toBe(own.draft.subjects[own.subjectVariants[0]].replace("{{ shop_name }}", "Maison"));
      expect(rendered.email.text).toContain(own.draft.headline.replace("{{ shop_name }}", "Maison"));
      if (segment) expect(rendered.email.text).toContain(segment.interest);
    }
  });

  it("an edit of one segment's draft is a new version, checked by the guardrails against that segment", async () => {
    const before = await loaded();
    const luxury = before.segmentation.segments.find((s) => s.interest === "Luxury")!;
    const draft = draftFor(before.content.steps[0], luxury.id).draft;
    const edited = await editStep(db, shop, campaignId, { ...draft, step: 0, segment: luxury.id, headline: "A cheap thrill for Luxury lovers" }, "staff-1");
    expect(edited.ok).toBe(true);
    if (!edited.ok) return;
    const after = await loaded();
    expect(after.version.number).toBe(before.version.number + 1);
    expect(after.content.steps[0].segments?.[luxury.id]).toMatchObject({ source: "staff", status: "blocked" });
    // Other drafts are unchanged and still ready.
    expect(after.content.steps[0].draft).toEqual(before.content.steps[0].draft);
    for (const segment of before.segmentation.segments.filter((s) => s.id !== luxury.id)) {
      expect(after.content.steps[0].segments?.[segment.id]).toEqual(before.content.steps[0].segments?.[segment.id]);
    }
    expect(edited.findings.filter((f) => f.severity === "block").map((f) => f.field)).toEqual([`steps[0].segments.${luxury.id}.headline`]);
    // An unknown segment is a field error, not a new version.
    const unknown = await editStep(db, shop, campaignId, { ...draft, step: 0, segment: "s9" }, "staff-1");
    expect(unknown).toEqual({ ok: false, error: { kind: "invalid", fieldErrors: { segment: "no such segment" } } });
    // Fixing it makes the version clean again.
    const fixed = await editStep(db, shop, campaignId, { ...draft, step: 0, segment: luxury.id }, "staff-1");
    expect(fixed.ok && fixed.findings.filter((f) => f.severity === "block")).toEqual([]);
  });

  it("content stored before segments (and recipients without one) still renders and previews", async () => {
    const { campaign, content } = await loaded();
    // The shape every version had before segments: no `segments` anywhere.
    const old: CampaignContent = { steps: content.steps.map(({ draft, subjectVariants, source, status }) => ({ draft, subjectVariants, source, status })) };
    await addVersion(db, campaign, old, { kind: "system", id: "old-builder" }, [], []);
    const current = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId } });
    const legacy = { ...recipients[0], evidence: JSON.stringify({ rule: "loves Apparel" }) };
    const prepared = await prepareStep(db, current, old, 1, [...recipients, legacy], {
      appUrl: "https://app.example",
      linkKey: linkSigningKey("segments"),
      settings: await loadShopSettings(db, shop),
      shopName: "Maison",
      currency: "USD",
    });
    if (!prepared.ok) throw new Error(prepared.error.message);
    const subjects = new Set(old.steps[1].subjectVariants.map((i) => old.steps[1].draft.subjects[i]));
    for (const recipient of [...recipients, legacy]) {
      const rendered = prepared.step.render(recipient, 1, null);
      expect(rendered.ok).toBe(true);
      if (rendered.ok) expect(subjects).toContain(rendered.email.subject);
    }
    const preview = await previewAs(db, shop, campaignId, { recipientId: recipients[0].id, step: 2, variant: 0 });
    expect(preview).toMatchObject({ ok: true });
  });
});
