import { randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import type { Copywriters } from "~/copy/copywriters.server";
import { loadShopSettings } from "~/shops/settings.server";
import { buildCampaignFromOpportunity } from "./builder.server";
import { goalAudienceLabel, goalInputSchema, planGoalCampaign, type GoalInput } from "./goals";

// A merchant's goal → a normal suggested campaign. The goal becomes an opportunity of type "goal"
// (evidence: the segment, the products and the planned sequence), and the same builder as every
// suggestion writes the audience, the copy per step and the first version. Every id the merchant
// sends is checked against the shop: a product or collection of another shop is a field error.

export type GoalCampaignResult =
  | { ok: true; campaignId: string; audienceSize: number; blocked: boolean }
  | { ok: false; fieldErrors: Record<string, string> };

const PRODUCTS_IN_GOAL = 4;
const GOAL_DAYS = 14;
const DAY = 86_400_000;

function issuesToFieldErrors(issues: Array<{ path: PropertyKey[]; message: string }>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

/** The shop's best sellers (by units, last order lines first), optionally within a set of products. */
async function bestSellers(db: Db, shop: string, within: { productIds?: string[]; productType?: string; vendor?: string }): Promise<string[]> {
  const candidates = await db.product.findMany({
    where: {
      shop,
      deletedAt: null,
      status: "active",
      ...(within.productIds && { id: { in: within.productIds } }),
      ...(within.productType && { productType: within.productType }),
      ...(within.vendor && { vendor: within.vendor }),
    },
    select: { id: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  if (candidates.length === 0) return [];
  const sales = await db.orderLine.groupBy({
    by: ["productId"],
    where: { shop, productId: { in: candidates.map((product) => product.id) } },
    _sum: { quantity: true },
  });
  const units = new Map(sales.map((row) => [row.productId, row._sum.quantity ?? 0]));
  // Stable: more units first, then newer products.
  return candidates.map((product, index) => ({ id: product.id, units: units.get(product.id) ?? 0, index }))
    .sort((a, b) => b.units - a.units || a.index - b.index)
    .map((product) => product.id);
}

/** The products the campaign is about: the merchant's, else a collection's best sellers, else the segment's. */
async function resolveProducts(db: Db, shop: string, goal: GoalInput): Promise<{ productIds: string[] } | { fieldErrors: Record<string, string> }> {
  if (goal.productIds.length) {
    const found = await db.product.findMany({ where: { shop, id: { in: goal.productIds }, deletedAt: null }, select: { id: true } });
    const known = new Set(found.map((product) => product.id));
    const unknown = goal.productIds.filter((id) => !known.has(id));
    if (unknown.length) return { fieldErrors: { productIds: `Not a product of this shop: ${unknown.slice(0, 3).join(", ")}` } };
    return { productIds: [...new Set(goal.productIds)].slice(0, PRODUCTS_IN_GOAL) };
  }
  if (goal.collectionId) {
    const collection = await db.collection.findFirst({ where: { shop, id: goal.collectionId }, select: { id: true } });
    if (!collection) return { fieldErrors: { collectionId: "Not a collection of this shop" } };
    const members = await db.collectionMembership.findMany({ where: { shop, collectionId: collection.id }, select: { productId: true } });
    const ranked = await bestSellers(db, shop, { productIds: members.map((member) => member.productId) });
    if (!ranked.length) return { fieldErrors: { collectionId: "This collection has no active products" } };
    return { productIds: ranked.slice(0, PRODUCTS_IN_GOAL) };
  }
  const filter = goal.audience === "affinity" && goal.affinityKey
    ? goal.affinityDimension === "vendor" ? { vendor: goal.affinityKey } : { productType: goal.affinityKey }
    : {};
  const ranked = await bestSellers(db, shop, filter);
  return { productIds: (ranked.length ? ranked : await bestSellers(db, shop, {})).slice(0, PRODUCTS_IN_GOAL) };
}

export async function createGoalCampaign(
  db: Db,
  shop: string,
  input: unknown,
  copywriters: Copywriters,
  now = new Date(),
): Promise<GoalCampaignResult> {
  const parsed = goalInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  const goal = parsed.data;
  const settings = await loadShopSettings(db, shop);
  const resolved = await resolveProducts(db, shop, goal);
  if ("fieldErrors" in resolved) return { ok: false, fieldErrors: resolved.fieldErrors };
  const products = await db.product.findMany({ where: { shop, id: { in: resolved.productIds } }, select: { id: true, title: true } });
  const titles = resolved.productIds.flatMap((id) => products.find((product) => product.id === id)?.title ?? []).slice(0, 3);
  const planned = planGoalCampaign(goal, {
    productTitles: titles,
    policy: settings.brandVoice.discountPolicy,
    holdoutPercent: settings.holdoutPercent,
    startsAt: now,
  });
  if (!planned.ok) return { ok: false, fieldErrors: planned.fieldErrors };
  const { goalPlan } = planned;

  const key = `goal:${randomUUID()}`;
  const opportunity = await db.opportunity.create({
    data: {
      shop,
      type: "goal",
      key,
      liveKey: key,
      title: goalPlan.title,
      reason: goalPlan.summary,
      evidence: JSON.stringify({
        productIds: resolved.productIds,
        customerIds: [],
        checkoutTokens: [],
        segment: { audience: goal.audience, affinityDimension: goal.affinityDimension, affinityKey: goal.affinityKey },
        goal,
        goalPlan,
      }),
      score: 1,
      detectedAt: now,
      expiresAt: new Date(now.getTime() + GOAL_DAYS * DAY),
    },
  });
  const built = await buildCampaignFromOpportunity(db, opportunity.id, copywriters, now);
  if (built.status === "built") return { ok: true, campaignId: built.campaignId, audienceSize: built.audienceSize, blocked: built.blocked };
  // Nothing to send to: the goal is not kept as a live suggestion.
  await db.opportunity.update({ where: { id: opportunity.id }, data: { status: "dismissed", liveKey: null } });
  const excluded = built.status === "no_audience" ? Object.entries(built.excluded).map(([why, count]) => `${count} ${why}`).join(", ") : "";
  return {
    ok: false,
    fieldErrors: { audience: `No ${goalAudienceLabel(goal)} can receive marketing email${excluded ? ` (${excluded})` : ""}` },
  };
}
