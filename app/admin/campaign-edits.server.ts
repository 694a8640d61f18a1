import type { Campaign } from "@prisma/client";
import { z } from "zod";
import type { Db } from "~/db.server";
import { checkDraft, hasBlocking, type Finding } from "~/copy/guardrails";
import { sanitizeDraft } from "~/copy/sanitize";
import { copyDraftSchema, type CampaignAngle, type CampaignKind, type CopyRequest, type ProductFact } from "~/copy/types";
import { addVersion, contentOf, draftFor, type CampaignContent } from "~/campaigns/campaigns.server";
import { storedSegmentationSchema } from "~/campaigns/segments";
import { campaignPlanSchema } from "~/campaigns/sequence";
import { EDITABLE_STATES, type CampaignState } from "~/campaigns/state-machine";
import { loadShopSettings } from "~/shops/settings.server";

// A merchant's edit of one step's copy (the general draft, or one segment's, ADR 018) becomes a new
// immutable version, checked by the same guardrails as generated copy (against the facts that draft
// was built on).

export const stepEditSchema = z.object({
  step: z.coerce.number().int().min(0).max(5),
  /** The segment whose draft is edited; empty for the step's general draft. */
  segment: z.string().trim().max(20).optional().transform((value) => value || null),
  subjects: z.array(z.string().trim().min(3, "at least 3 characters").max(150)).min(1, "at least one subject").max(5),
  previewText: z.string().trim().min(10, "at least 10 characters").max(200),
  headline: z.string().trim().min(3).max(120),
  body: z.array(z.string().trim().min(1)).min(1).max(6),
  callToAction: z.string().trim().min(2).max(40),
});
export type StepEdit = z.infer<typeof stepEditSchema>;

const storedPlanSchema = campaignPlanSchema.extend({
  copyProducts: z.array(z.custom<ProductFact>()).default([]),
  audienceSummary: z.string().default(""),
  segmentation: storedSegmentationSchema.optional(),
});

export async function guardrailContext(db: Db, campaign: Campaign, step: number, segmentId: string | null = null) {
  const stored = storedPlanSchema.parse(JSON.parse(campaign.plan));
  // A segment's draft is checked against that segment's own products and summary.
  const segment = segmentId ? stored.segmentation?.segments.find((s) => s.id === segmentId) : undefined;
  const plan = segment ? { ...stored, copyProducts: segment.copyProducts, audienceSummary: segment.audienceSummary } : stored;
  const settings = await loadShopSettings(db, campaign.shop);
  const shopRow = await db.shop.findUnique({ where: { shop: campaign.shop }, select: { name: true } });
  const offerPercent = plan.steps[step]?.offerPercent ?? null;
  const request: CopyRequest = {
    shop: campaign.shop,
    shopName: shopRow?.name ?? campaign.shop,
    kind: campaign.kind as CampaignKind,
    angle: campaign.angle as CampaignAngle,
    step,
    steps: plan.steps.length,
    audienceSummary: plan.audienceSummary,
    products: plan.copyProducts,
    offer: offerPercent ? { kind: "percent", percent: offerPercent, code: "{{ discount_code }}", expiresInDays: 7 } : null,
    voice: settings.brandVoice,
    language: settings.brandVoice.languages[0],
    styleHints: [],
    avoidSubjects: [],
    seed: 0,
    ...(segment && { segment: { interest: segment.interest, description: segment.description, tone: segment.tone } }),
  };
  const otherProductTitles = (
    await db.product.findMany({ where: { shop: campaign.shop, deletedAt: null, id: { notIn: plan.copyProducts.map((p) => p.productId) } }, select: { title: true }, take: 2_000 })
  ).map((product) => product.title);
  return { request, allowedHosts: [campaign.shop], otherProductTitles };
}

export type EditResult =
  | { ok: true; versionNumber: number; findings: Finding[] }
  | { ok: false; error: { kind: "not_found" } | { kind: "not_editable"; status: string } | { kind: "invalid"; fieldErrors: Record<string, string> } };

export async function editStep(db: Db, shop: string, campaignId: string, input: unknown, staff: string): Promise<EditResult> {
  const parsed = stepEditSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: { kind: "invalid", fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message])) } };
  }
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop } });
  if (!campaign?.currentVersionId) return { ok: false, error: { kind: "not_found" } };
  if (!EDITABLE_STATES.includes(campaign.status as CampaignState)) return { ok: false, error: { kind: "not_editable", status: campaign.status } };
  const version = await db.campaignVersion.findFirstOrThrow({ where: { id: campaign.currentVersionId, shop } });
  const content: CampaignContent = contentOf(version);
  const { segment, ...edit } = parsed.data;
  const stepContent = content.steps[edit.step];
  if (!stepContent) return { ok: false, error: { kind: "invalid", fieldErrors: { step: "no such step" } } };
  if (segment && !stepContent.segments?.[segment]) return { ok: false, error: { kind: "invalid", fieldErrors: { segment: "no such segment" } } };

  // Subjects below 3 are padded from the previous draft: every step keeps 3 variants to test.
  const previous = draftFor(stepContent, segment).draft;
  const subjects = [...edit.subjects, ...previous.subjects.filter((s) => !edit.subjects.includes(s))].slice(0, Math.max(3, edit.subjects.length));
  const candidate = copyDraftSchema.safeParse(sanitizeDraft({ ...edit, subjects }));
  if (!candidate.success) {
    return { ok: false, error: { kind: "invalid", fieldErrors: Object.fromEntries(candidate.error.issues.map((issue) => [issue.path.join("."), issue.message])) } };
  }
  const edited = { draft: candidate.data, source: "staff" as const, status: "ready" as const, subjectVariants: [0, 1, 2].slice(0, candidate.data.subjects.length) };
  if (segment) stepContent.segments![segment] = edited;
  else content.steps[edit.step] = { ...stepContent, ...edited };

  // Findings are recomputed for every draft of the new version, so the version's findings are complete.
  const findings: Finding[] = [];
  for (const [index, step] of content.steps.entries()) {
    const drafts = [[null, step] as const, ...Object.entries(step.segments ?? {})];
    for (const [segmentId, own] of drafts) {
      const field = segmentId ? `steps[${index}].segments.${segmentId}` : `steps[${index}]`;
      const found = checkDraft(own.draft, await guardrailContext(db, campaign, index, segmentId)).map((finding) => ({ ...finding, field: `${field}.${finding.field}` }));
      findings.push(...found);
      own.status = hasBlocking(found) ? "blocked" : "ready";
    }
  }
  const created = await addVersion(db, campaign, content, { kind: "staff", id: staff }, [], findings);
  return { ok: true, versionNumber: created.number, findings };
}
