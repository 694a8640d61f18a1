import { describeAudience } from "./audience-reasons";
import type { Opportunity } from "@prisma/client";
import type { Db } from "~/db.server";
import type { Finding } from "~/copy/guardrails";
import { writeCopy, type Attempt } from "~/copy/write-copy";
import type { CampaignAngle, CampaignKind, CopyRequest, OfferFact, ProductFact } from "~/copy/types";
import type { Copywriters } from "~/copy/copywriters.server";
import { primaryUnavailable } from "~/copy/provenance";
import { evidenceOf } from "~/opportunities/store.server";
import { loadShopSettings } from "~/shops/settings.server";
import { ensureShop } from "~/shops/shops.server";
import { buildAudience, type Audience } from "./audience.server";
import { addVersion, transitionCampaign, type CampaignContent } from "./campaigns.server";
import { goalPlanFromEvidence } from "./goals";
import { generationHints } from "./performance.server";
import { defaultPlan, type CampaignPlan } from "./sequence";

// Opportunity → ready-to-review campaign: audience, sequence plan, copy for every step (checked by the
// guardrails, regenerated or replaced by the built-in copywriter when it fails), per-recipient product
// blocks, and an immutable first version. Auto-approval only when the merchant enabled it for the kind
// and nothing blocks.

export type BuildResult =
  | { status: "built"; campaignId: string; audienceSize: number; blocked: boolean; kind: CampaignKind; autoApproved: boolean }
  | { status: "no_audience"; excluded: Record<string, number> }
  | { status: "not_live" };

const SYSTEM = { kind: "system" as const, id: "campaign-builder" };
const PRODUCTS_IN_COPY = 3;
const OFFER_DAYS = 7;

export function kindAndAngle(type: string): { kind: CampaignKind; angle: CampaignAngle } {
  if (type === "winback") return { kind: "winback", angle: "winback" };
  if (type === "cart_recovery") return { kind: "cart_recovery", angle: "cart_recovery" };
  return { kind: "promotional", angle: type as CampaignAngle };
}

function stripHtml(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 400);
}

export async function productFacts(db: Db, shop: string, productIds: string[], currency: string): Promise<ProductFact[]> {
  if (!productIds.length) return [];
  const [products, variants] = await Promise.all([
    db.product.findMany({
      where: { shop, id: { in: productIds }, deletedAt: null },
      select: { id: true, title: true, handle: true, imageUrl: true, productType: true, vendor: true, descriptionHtml: true },
    }),
    db.variant.findMany({
      where: { shop, productId: { in: productIds }, deletedAt: null },
      select: { productId: true, price: true, compareAtPrice: true, availableQuantity: true, inventoryPolicy: true },
    }),
  ]);
  const variantsByProduct = Map.groupBy(variants, (variant) => variant.productId);
  const facts = products.flatMap((product): ProductFact[] => {
    const own = variantsByProduct.get(product.id) ?? [];
    const cheapest = own.reduce<(typeof own)[number] | undefined>((best, v) => (!best || v.price < best.price ? v : best), undefined);
    if (!cheapest) return [];
    return [
      {
        productId: product.id,
        title: product.title,
        url: `https://${shop}/products/${product.handle}`,
        imageUrl: product.imageUrl,
        productType: product.productType,
        vendor: product.vendor,
        price: cheapest.price,
        compareAtPrice: cheapest.compareAtPrice !== null && cheapest.compareAtPrice > cheapest.price ? cheapest.compareAtPrice : null,
        currency,
        description: stripHtml(product.descriptionHtml),
        inStock: own.some((v) => v.availableQuantity === null || v.availableQuantity > 0 || v.inventoryPolicy === "continue"),
      },
    ];
  });
  return productIds.flatMap((id) => facts.find((fact) => fact.productId === id) ?? []);
}

/** The products the copy talks about: the opportunity's, else the ones most often in recipients' blocks. */
function copyProductIds(opportunityProducts: string[], audience: Audience): string[] {
  if (opportunityProducts.length) return opportunityProducts.slice(0, PRODUCTS_IN_COPY);
  const counts = new Map<string, number>();
  for (const member of audience.members) for (const id of member.productIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, PRODUCTS_IN_COPY).map(([id]) => id);
}

function audienceSummary(audience: Audience, opportunity: Opportunity): string {
  const reasons = new Map<string, number>();
  for (const member of audience.members) reasons.set(member.reason, (reasons.get(member.reason) ?? 0) + 1);
  return `${describeAudience(reasons)}; ${opportunity.reason}`;
}

export async function buildCampaignFromOpportunity(
  db: Db,
  opportunityId: string,
  copywriters: Copywriters,
  now = new Date(),
): Promise<BuildResult> {
  const opportunity = await db.opportunity.findUnique({ where: { id: opportunityId } });
  if (!opportunity || opportunity.status !== "live" || opportunity.campaignId) return { status: "not_live" };
  const { shop } = opportunity;
  const [shopRow, settings] = await Promise.all([ensureShop(db, shop), loadShopSettings(db, shop)]);
  const voice = settings.brandVoice;
  const evidence = evidenceOf(opportunity);
  // A merchant's goal brings its own planned sequence (what each step is for, and why).
  const goal = goalPlanFromEvidence(evidence);
  const { kind, angle } = goal ? { kind: "promotional" as const, angle: goal.angle } : kindAndAngle(opportunity.type);
  const plan: CampaignPlan = { ...(goal ? goal.plan : defaultPlan(kind, angle, voice, now)), holdoutPercent: settings.holdoutPercent };
  const audience = await buildAudience(db, opportunity, plan, now);
  if (!audience.members.length) return { status: "no_audience", excluded: audience.excluded };

  const products = await productFacts(db, shop, copyProductIds(evidence.productIds, audience), shopRow.currencyCode);
  const otherTitles = (
    await db.product.findMany({
      where: { shop, deletedAt: null, id: { notIn: products.map((product) => product.productId) } },
      select: { title: true },
      take: 2_000,
    })
  ).map((product) => product.title);
  const shopName = shopRow.name ?? shop.replace(".myshopify.com", "");
  // What worked in this shop's earlier campaigns, as the shop's memory holds it (the learning loop).
  const hints = await generationHints(db, shop);

  // Once the LLM has proved unavailable in this build, the later steps do not wait on it again.
  let writers = copywriters;
  const content: CampaignContent = { steps: [] };
  const generation: Attempt[][] = [];
  const findings: Finding[] = [];
  for (const [step, stepPlan] of plan.steps.entries()) {
    const offer: OfferFact | null = stepPlan.offerPercent
      ? { kind: "percent", percent: stepPlan.offerPercent, code: "{{ discount_code }}", expiresInDays: OFFER_DAYS }
      : null;
    const request: CopyRequest = {
      shop,
      shopName,
      kind,
      angle,
      step,
      steps: plan.steps.length,
      audienceSummary: audienceSummary(audience, opportunity),
      products,
      offer,
      voice,
      language: voice.languages[0],
      styleHints: hints,
      avoidSubjects: content.steps.flatMap((previous) => previous.draft.subjects),
      seed: hashSeed(`${opportunity.id}:${step}`),
      ...(goal?.steps[step] && { purpose: goal.steps[step].purpose }),
    };
    const written = await writeCopy(request, { ...writers, context: { allowedHosts: [shop], otherProductTitles: otherTitles } });
    generation.push(written.attempts);
    if (writers.primary && primaryUnavailable(written.attempts)) writers = { fallback: copywriters.fallback };
    findings.push(...written.findings.map((finding) => ({ ...finding, field: `steps[${step}].${finding.field}` })));
    if (!written.draft) {
      findings.push({ rule: "no_draft", severity: "block", message: written.status === "blocked" ? written.reason : "no draft", evidence: "", field: `steps[${step}]` });
      continue;
    }
    content.steps.push({
      draft: written.draft,
      subjectVariants: written.draft.subjects.map((_, i) => i).slice(0, 3),
      source: written.source,
      status: written.status,
    });
  }

  const blocked = findings.some((finding) => finding.severity === "block");
  const campaign = await db.campaign.create({
    data: {
      shop,
      kind,
      angle,
      opportunityId: opportunity.id,
      title: opportunity.title,
      reason: audienceSummary(audience, opportunity),
      status: "suggested",
      audienceSize: audience.members.length,
      predictedRevenue: audience.predictedRevenue,
      currency: shopRow.currencyCode,
      // The plan, plus what the copy was grounded in, so a merchant's edits are checked against the same facts.
      plan: JSON.stringify({
        ...plan,
        excluded: audience.excluded,
        copyProducts: products,
        audienceSummary: audienceSummary(audience, opportunity),
        ...(goal && { goal: { objective: goal.objective, summary: goal.summary, timingReasoning: goal.timingReasoning, steps: goal.steps } }),
      }),
    },
  });
  await db.campaignTransition.create({
    data: { shop, campaignId: campaign.id, from: "none", to: "suggested", actor: "system:campaign-builder", reason: opportunity.reason, at: now },
  });
  await addVersion(db, campaign, content, SYSTEM, generation, findings);
  const holdoutShare = plan.holdoutPercent / 100;
  for (let start = 0; start < audience.members.length; start += 1_000) {
    await db.campaignRecipient.createMany({
      data: audience.members.slice(start, start + 1_000).map((member) => ({
        shop,
        campaignId: campaign.id,
        customerId: member.customerId,
        email: member.email,
        firstName: member.firstName,
        score: member.score,
        anchorAt: member.anchorAt,
        checkoutToken: member.checkoutToken,
        products: JSON.stringify(member.productIds),
        reason: member.reason,
        expectedValue: member.expectedRevenue,
        evidence: JSON.stringify(member.evidence),
        holdout: hashSeed(`${campaign.id}:${member.email}`) / 2 ** 32 < holdoutShare,
      })),
    });
  }
  // The opportunity stays live (holding its key) while its campaign runs, so it is not suggested twice.
  await db.opportunity.update({ where: { id: opportunity.id }, data: { campaignId: campaign.id } });
  const autoApproved =
    !blocked && settings.autoApprove[kind] && (await transitionCampaign(db, shop, campaign.id, "approved", { kind: "rule", id: `auto-approve:${kind}` }, "auto-approved by the shop's rule", now)).ok;
  return { status: "built", campaignId: campaign.id, audienceSize: audience.members.length, blocked, kind, autoApproved };
}

/** A stable 32-bit hash (FNV-1a): seeds copy variation and assigns holdouts reproducibly. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
