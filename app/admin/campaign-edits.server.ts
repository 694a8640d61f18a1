import type { Campaign } from "@prisma/client";
import { z } from "zod";
import type { Db } from "~/db.server";
import { checkDraft, hasBlocking, type Finding } from "~/copy/guardrails";
import { sanitizeDraft } from "~/copy/sanitize";
import { copyDraftSchema, type CampaignAngle, type CampaignKind, type CopyRequest, type ProductFact } from "~/copy/types";
import { addVersion, contentOf, type CampaignContent } from "~/campaigns/campaigns.server";
import { campaignPlanSchema } from "~/campaigns/sequence";
import { EDITABLE_STATES, type CampaignState } from "~/campaigns/state-machine";
import { loadShopSettings } from "~/shops/settings.server";

// A merchant's edit of one step's copy becomes a new immutable version, checked by the same
// guardrails as generated copy (against the facts the campaign was built on).

export const stepEditSchema = z.object({
  step: z.coerce.number().int().min(0).max(5),
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
});

export async function guardrailContext(db: Db, campaign: Campaign, step: number) {
  const plan = storedPlanSchema.parse(JSON.parse(campaign.plan));
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
  const edit = parsed.data;
  if (!content.steps[edit.step]) return { ok: false, error: { kind: "invalid", fieldErrors: { step: "no such step" } } };

  // Subjects below 3 are padded from the previous draft: every step keeps 3 variants to test.
  const previous = content.steps[edit.step].draft;
  const subjects = [...edit.subjects, ...previous.subjects.filter((s) => !edit.subjects.includes(s))].slice(0, Math.max(3, edit.subjects.length));
  const candidate = copyDraftSchema.safeParse(sanitizeDraft({ ...edit, subjects }));
  if (!candidate.success) {
    return { ok: false, error: { kind: "invalid", fieldErrors: Object.fromEntries(candidate.error.issues.map((issue) => [issue.path.join("."), issue.message])) } };
  }
  content.steps[edit.step] = { ...content.steps[edit.step], draft: candidate.data, source: "staff", subjectVariants: [0, 1, 2].slice(0, candidate.data.subjects.length) };

  // Findings are recomputed for every step of the new version, so the version's findings are complete.
  const findings: Finding[] = [];
  for (const [index, step] of content.steps.entries()) {
    const context = await guardrailContext(db, campaign, index);
    findings.push(...checkDraft(step.draft, context).map((finding) => ({ ...finding, field: `steps[${index}].${finding.field}` })));
    step.status = hasBlocking(findings.filter((f) => f.field.startsWith(`steps[${index}]`))) ? "blocked" : "ready";
  }
  const created = await addVersion(db, campaign, content, { kind: "staff", id: staff }, [], findings);
  return { ok: true, versionNumber: created.number, findings };
}
