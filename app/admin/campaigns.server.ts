import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "~/db.server";
import { blockingFindings, contentOf } from "~/campaigns/campaigns.server";
import { campaignPerformance } from "~/campaigns/performance.server";
import { segmentOf } from "~/campaigns/contact-memory.server";
import { prepareStep } from "~/campaigns/personalise.server";
import { storedSegmentationSchema } from "~/campaigns/segments";
import { allowedTransitions, AWAITING_APPROVAL, type CampaignState } from "~/campaigns/state-machine";
import type { Finding } from "~/copy/guardrails";
import { copyProvenance } from "~/copy/provenance";
import type { Attempt } from "~/copy/write-copy";
import { adapterForShop } from "~/delivery/connections.server";
import { describeDelivery } from "~/delivery/delivery-status";
import { campaignDeliveryFacts } from "~/delivery/delivery-status.server";
import { campaignLift } from "~/delivery/lift.server";
import { appLinkKey } from "~/delivery/link-key.server";
import { env } from "~/env.server";
import { loadShopSettings } from "~/shops/settings.server";

// What the campaign pages read: bounded queries, one page at a time.

export const TABS = {
  review: AWAITING_APPROVAL,
  scheduled: ["approved", "scheduled", "sending", "paused"],
  sent: ["sent"],
  closed: ["rejected", "expired", "failed"],
} as const satisfies Record<string, readonly CampaignState[]>;
export type Tab = keyof typeof TABS;

export const listQuerySchema = z.object({
  tab: z.enum(["review", "scheduled", "sent", "closed"]).default("review"),
  kind: z.enum(["all", "promotional", "winback", "cart_recovery"]).default("all"),
  page: z.coerce.number().int().min(1).max(1_000).default(1),
});
const PAGE_SIZE = 20;

export async function listCampaigns(db: Db, shop: string, query: z.infer<typeof listQuerySchema>) {
  const where = { shop, status: { in: [...TABS[query.tab]] }, ...(query.kind !== "all" && { kind: query.kind }) };
  const [rows, total, counts] = await Promise.all([
    db.campaign.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, title: true, kind: true, angle: true, status: true, reason: true, audienceSize: true, predictedRevenue: true, currency: true, createdAt: true },
    }),
    db.campaign.count({ where }),
    db.campaign.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
  ]);
  const byStatus = new Map(counts.map((row) => [row.status, row._count._all]));
  const tabCounts = Object.fromEntries(
    Object.entries(TABS).map(([tab, states]) => [tab, states.reduce((sum, state) => sum + (byStatus.get(state) ?? 0), 0)]),
  ) as Record<Tab, number>;
  return { rows, total, page: query.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), tabCounts };
}

export async function campaignReview(db: Db, shop: string, campaignId: string) {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop } });
  if (!campaign) return null;
  const [version, versions, transitions, reasons, recipients, sendCounts, attributed, heldOut] = await Promise.all([
    campaign.currentVersionId ? db.campaignVersion.findFirst({ where: { id: campaign.currentVersionId, shop } }) : null,
    db.campaignVersion.findMany({ where: { shop, campaignId }, orderBy: { number: "desc" }, take: 10, select: { number: true, author: true, createdAt: true } }),
    db.campaignTransition.findMany({ where: { shop, campaignId }, orderBy: { at: "asc" }, take: 50 }),
    db.campaignRecipient.groupBy({ by: ["reason"], where: { shop, campaignId }, _count: { _all: true } }),
    db.campaignRecipient.findMany({ where: { shop, campaignId }, orderBy: { score: "desc" }, take: 25, select: { id: true, email: true, firstName: true, reason: true, holdout: true, evidence: true } }),
    db.send.groupBy({ by: ["status"], where: { shop, campaignId }, _count: { _all: true } }),
    db.orderAttribution.aggregate({ where: { shop, campaignId }, _sum: { revenue: true }, _count: true }),
    db.campaignRecipient.count({ where: { shop, campaignId, holdout: true } }),
  ]);
  const plan = JSON.parse(campaign.plan) as {
    steps: Array<{ delayHours: number; offerPercent: number | null }>;
    excluded?: Record<string, number>;
    holdoutPercent?: number;
    /** Goal-driven campaigns and flow batches: the goal and the reasoning behind every step. */
    goal?: { summary: string; timingReasoning: string; steps: Array<{ purpose?: string; reasoning: string }> };
  };
  const findings = version ? (JSON.parse(version.findings) as Finding[]) : [];
  // Segments with their own copy (ADR 018); plans stored before segments have none.
  const segmentation = storedSegmentationSchema.catch({ note: "", segments: [] }).parse((JSON.parse(campaign.plan) as { segmentation?: unknown }).segmentation ?? {});
  const segmentNames = new Map(segmentation.segments.map((segment) => [segment.id, segment.interest]));
  // The generated version's attempts say whether the LLM failed and the built-in copywriter wrote.
  const generated = await db.campaignVersion.findFirst({ where: { shop, campaignId, number: 1 }, select: { generation: true } });
  return {
    campaign: { ...campaign, plan: undefined, results: JSON.parse(campaign.results) },
    plan,
    content: version ? contentOf(version) : { steps: [] },
    versionNumber: versions[0]?.number ?? 0,
    versions,
    findings,
    blocking: version ? blockingFindings(version).length : 1,
    transitions,
    allowed: allowedTransitions(campaign.status as CampaignState),
    holdout: { percent: plan.holdoutPercent ?? 0, heldOut, editable: ["suggested", "in_review", "approved"].includes(campaign.status) },
    audience: {
      reasons: reasons.map((row) => ({ reason: row.reason, count: row._count._all })),
      excluded: plan.excluded ?? {},
      sample: recipients.map(({ evidence, ...recipient }) => ({ ...recipient, segment: segmentNames.get(segmentOf(evidence) ?? "") ?? null })),
    },
    brandTone: (await loadShopSettings(db, shop)).brandVoice.tone.preset,
    segmentation: {
      note: segmentation.note,
      rest: campaign.audienceSize - segmentation.segments.reduce((sum, segment) => sum + segment.size, 0),
      segments: segmentation.segments.map(({ copyProducts, description: _description, audienceSummary: _summary, dimension: _dimension, ...segment }) => ({ ...segment, products: copyProducts.map((product) => product.title) })),
    },
    sends: Object.fromEntries(sendCounts.map((row) => [row.status, row._count._all])),
    attributed: { revenue: attributed._sum.revenue ?? 0, orders: attributed._count },
    delivery: describeDelivery(await campaignDeliveryFacts(db, shop, campaignId)),
    copyProvenance: copyProvenance(generated ? (JSON.parse(generated.generation) as Attempt[][]) : []),
    lift: await campaignLift(db, shop, campaignId),
    // Only once something was sent: the review of what it achieved, against the shop's history.
    performance: sendCounts.some((row) => row.status === "sent") ? await campaignPerformance(db, shop, campaignId) : null,
  };
}

/** Searching the audience for "preview as": by email or first name, bounded. */
export async function searchRecipients(db: Db, shop: string, campaignId: string, term: string) {
  const needle = term.trim().toLowerCase();
  return db.campaignRecipient.findMany({
    where: { shop, campaignId, ...(needle && { OR: [{ email: { contains: needle } }, { firstName: { contains: term.trim() } }] }) },
    take: 20,
    select: { id: true, email: true, firstName: true },
  });
}

export const previewSchema = z.object({
  recipientId: z.string().min(1),
  step: z.coerce.number().int().min(0).max(5).default(0),
  variant: z.coerce.number().int().min(0).max(4).default(0),
});

export type PreviewResult = { ok: true; subject: string; previewText: string; html: string; text: string } | { ok: false; message: string };

/** The email exactly as this recipient would get it (a sample code where the step has an offer). */
export async function previewAs(db: Db, shop: string, campaignId: string, input: z.infer<typeof previewSchema>): Promise<PreviewResult> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop } });
  const recipient = await db.campaignRecipient.findFirst({ where: { id: input.recipientId, shop, campaignId } });
  if (!campaign?.currentVersionId || !recipient) return { ok: false, message: "No such recipient in this campaign" };
  const version = await db.campaignVersion.findFirstOrThrow({ where: { id: campaign.currentVersionId, shop } });
  const settings = await loadShopSettings(db, shop);
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { name: true } });
  const prepared = await prepareStep(db, campaign, contentOf(version), input.step, [recipient], {
    appUrl: env().SHOPIFY_APP_URL,
    linkKey: appLinkKey(),
    settings,
    shopName: shopRow?.name ?? shop,
    currency: campaign.currency,
  });
  if (!prepared.ok) return { ok: false, message: prepared.error.message };
  const rendered = prepared.step.render(recipient, input.variant, "PREVIEW-CODE");
  if (!rendered.ok) return { ok: false, message: rendered.error.message };
  return { ok: true, subject: rendered.email.subject, previewText: rendered.email.previewText, html: rendered.email.html, text: rendered.email.text };
}

export const testSendSchema = z.object({ email: z.email("Enter an email address"), step: z.coerce.number().int().min(0).max(5).default(0) });

/** Sends one step, rendered for the top recipient, to the merchant's own address through their ESP. */
export async function sendTest(db: Db, shop: string, campaignId: string, input: z.infer<typeof testSendSchema>) {
  const recipient = await db.campaignRecipient.findFirst({ where: { shop, campaignId }, orderBy: { score: "desc" } });
  if (!recipient) return { ok: false as const, message: "The campaign has no recipients" };
  const preview = await previewAs(db, shop, campaignId, { recipientId: recipient.id, step: input.step, variant: 0 });
  if (!preview.ok) return { ok: false as const, message: preview.message };
  const adapter = await adapterForShop(db, shop);
  if (!adapter) return { ok: false as const, message: "Connect an email provider first (Integrations)" };
  const voice = (await loadShopSettings(db, shop)).brandVoice;
  if (!voice.sender.email) return { ok: false as const, message: "Set a sender address in Brand voice first" };
  try {
    const result = await adapter.send({
      idempotencyKey: `test.${randomUUID()}`,
      to: { email: input.email },
      from: { email: voice.sender.email, name: voice.sender.name },
      subject: `[Test] ${preview.subject}`,
      html: preview.html,
      text: preview.text,
      headers: {},
      tags: ["test"],
    });
    return result.ok ? { ok: true as const, message: `Test sent to ${input.email}` } : { ok: false as const, message: `The provider refused: ${result.error.type}` };
  } finally {
    await adapter.close?.();
  }
}
