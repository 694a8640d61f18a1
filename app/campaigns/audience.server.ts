import type { Opportunity } from "@prisma/client";
import type { Db } from "~/db.server";
import { defaultAffinityConfig } from "~/insights/affinity/affinity-config";
import { restoreAffinityState } from "~/insights/affinity/affinity-state";
import { recommendProducts } from "~/insights/recommend/recommend";
import { defaultScoringConfig } from "~/insights/recommend/recommender-config";
import { restoreIndex, type RecommenderIndex } from "~/insights/recommend/recommender-index";
import { catalogLookup, loadCatalog } from "~/insights/store/catalog.server";
import { inChunks } from "~/lib/chunks";
import { evidenceOf } from "~/opportunities/store.server";
import { applyContactMemory } from "./audience-memory.server";
import { DEFAULT_MEMORY_SETTINGS, heldBecause, type HeldProduct, type MemorySettings } from "./contact-memory";
import { browsersWhoBought, ORDERED_ELSEWHERE, recoveryShoppers } from "./recovery.server";
import { flowCandidates } from "./flows/audience.server";
import { goalSegmentSchema, segmentCandidates } from "./goal-audience.server";
import type { CampaignPlan } from "./sequence";
import { suppressedAmong } from "~/delivery/suppression.server";

// Who receives a campaign, why, and what each recipient's product block shows. Only customers with
// email consent SUBSCRIBED are kept (cart recovery may also count the checkout's "accepts marketing",
// per the plan), minus suppressed addresses, deleted and redacted customers.

export interface AudienceMember {
  customerId: string | null;
  email: string;
  firstName: string | null;
  score: number;
  reason: string;
  anchorAt: Date | null;
  checkoutToken: string | null;
  productIds: string[];
  /** Products that seed their recommendations without being shown (what they just bought). */
  contextProductIds: string[];
  expectedRevenue: number;
  /** Why this recipient, kept with every message sent to them. */
  evidence: Record<string, unknown>;
}

export interface Audience {
  members: AudienceMember[];
  predictedRevenue: number;
  /** How many candidates were left out, and why (shown to the merchant). */
  excluded: Record<string, number>;
}

// Conversion rates per email by kind: conservative industry medians; the learning loop replaces them
// with the shop's own once it has sent campaigns.
const BASE_CONVERSION = { promotional: 0.01, winback: 0.02, cart_recovery: 0.08 } as const;
const PRODUCTS_PER_RECIPIENT = 4;
/** The held-back products named in a recipient's evidence (newest first). */
const HELD_IN_EVIDENCE = 8;
const DAY = 86_400_000;

export interface Candidate {
  customerId: string | null;
  email?: string | null;
  score: number;
  reason: string;
  anchorAt?: Date | null;
  checkoutToken?: string | null;
  productIds?: string[];
  contextProductIds?: string[];
  acceptsMarketing?: boolean;
  /** A shopper who asked for this very email (a back-in-stock request): that request is the consent. */
  requestedIt?: boolean;
  value?: number;
  /** Left out for this reason (counted in `excluded`, shown to the merchant). */
  excludedBecause?: string;
  evidence?: Record<string, unknown>;
}

export interface AudienceOptions {
  /** The campaign's angle, for the contact memory's angle fatigue (defaults to the opportunity type). */
  angle?: string;
  memory?: MemorySettings;
}

export async function buildAudience(
  db: Db,
  opportunity: Opportunity,
  plan: CampaignPlan,
  now: Date,
  options: AudienceOptions = {},
): Promise<Audience> {
  const { shop } = opportunity;
  const evidence = evidenceOf(opportunity);
  const candidates = await candidatesFor(db, opportunity, evidence.productIds, evidence.customerIds, evidence.checkoutTokens, now);
  const kind = opportunity.type === "winback" ? "winback" : opportunity.type === "cart_recovery" ? "cart_recovery" : "promotional";
  const consented = await eligible(db, shop, candidates, plan);
  // What each customer already received and how they responded (ADR 017).
  const remembered = await applyContactMemory(db, shop, consented.members, options.angle ?? opportunity.type, now, options.memory ?? DEFAULT_MEMORY_SETTINGS);
  const { members } = remembered;
  const excluded = { ...consented.excluded };
  for (const [why, n] of Object.entries(remembered.excluded)) excluded[why] = (excluded[why] ?? 0) + n;
  await attachProducts(db, shop, members, evidence.productIds, now, remembered.heldBack);
  const insights = await inChunks(
    members.flatMap((member) => (member.customerId ? [member.customerId] : [])),
    (chunk) => db.customerInsight.findMany({ where: { shop, customerId: { in: chunk } }, select: { customerId: true, expectedOrderValue: true } }),
  );
  const orderValue = new Map(insights.map((insight) => [insight.customerId, insight.expectedOrderValue ?? 0]));
  const shopMean = insights.length ? insights.reduce((sum, i) => sum + (i.expectedOrderValue ?? 0), 0) / insights.length : 0;
  for (const member of members) {
    const value = member.expectedRevenue || (member.customerId ? orderValue.get(member.customerId) : undefined) || shopMean;
    member.expectedRevenue = Math.round(value * BASE_CONVERSION[kind] * Math.min(2, 0.5 + member.score));
  }
  members.sort((a, b) => b.score - a.score);
  return { members, predictedRevenue: members.reduce((sum, member) => sum + member.expectedRevenue, 0), excluded };
}

async function candidatesFor(
  db: Db,
  opportunity: Opportunity,
  productIds: string[],
  customerIds: string[],
  checkoutTokens: string[],
  now: Date,
): Promise<Candidate[]> {
  const { shop } = opportunity;
  switch (opportunity.type) {
    case "winback": {
      const insights = await inChunks(customerIds, (chunk) =>
        db.customerInsight.findMany({ where: { shop, customerId: { in: chunk } }, select: { customerId: true, stage: true, pAlive: true, clv: true } }),
      );
      return insights.map((insight) => ({
        customerId: insight.customerId,
        score: insight.pAlive ?? 0.5,
        reason: `${(insight.stage ?? "lapsing").replace("_", " ")} customer`,
      }));
    }
    case "cart_recovery": {
      const checkouts = await inChunks(checkoutTokens, (chunk) =>
        db.checkout.findMany({
          where: { shop, token: { in: chunk } },
          select: { token: true, cartToken: true, email: true, phone: true, customerId: true, buyerAcceptsMarketing: true, lineItems: true, shopifyUpdatedAt: true, syncedAt: true, totalPrice: true },
        }),
      );
      // One sequence per shopper, whatever identities their checkouts carry (identity before recovery).
      const shoppers = await recoveryShoppers(
        db,
        shop,
        checkouts.map((checkout) => ({
          ...checkout,
          abandonedAt: checkout.shopifyUpdatedAt ?? checkout.syncedAt,
          productIds: (JSON.parse(checkout.lineItems) as Array<{ productId: string | null }>).flatMap((line) => (line.productId ? [line.productId] : [])),
        })),
      );
      return shoppers.map(({ checkout, productIds, excludedBecause, evidence }) => ({
        customerId: checkout.customerId,
        email: checkout.email,
        score: 1,
        reason: "left items in their checkout",
        anchorAt: checkout.abandonedAt,
        checkoutToken: checkout.token,
        acceptsMarketing: checkout.buyerAcceptsMarketing,
        productIds,
        value: checkout.totalPrice,
        excludedBecause,
        evidence,
      }));
    }
    case "browse_abandonment": {
      const productByCustomer = (evidenceOf(opportunity).productByCustomer ?? {}) as Record<string, string>;
      const lastViews = (evidenceOf(opportunity).lastViewByCustomer ?? {}) as Record<string, string>;
      const sinceFor = new Map(customerIds.map((id) => [id, lastViews[id] ? new Date(lastViews[id]) : opportunity.detectedAt]));
      const bought = await browsersWhoBought(db, shop, sinceFor);
      return customerIds.map((customerId) => ({
        customerId,
        score: 1,
        reason: "viewed it recently",
        productIds: productByCustomer[customerId] ? [productByCustomer[customerId]] : [],
        excludedBecause: bought.has(customerId) ? ORDERED_ELSEWHERE : undefined,
      }));
    }
    case "flow":
      return flowCandidates(db, shop, opportunity.id);
    case "goal": {
      // A merchant's goal names its segment; an unreadable one reaches no one.
      const segment = goalSegmentSchema.safeParse(evidenceOf(opportunity).segment);
      return segment.success ? segmentCandidates(db, shop, segment.data) : [];
    }
    default:
      return productAudience(db, shop, opportunity.type, productIds, now);
  }
}

/** Promotions: shoppers who looked at the products, then customers with an affinity for their kind. */
async function productAudience(db: Db, shop: string, type: string, productIds: string[], now: Date): Promise<Candidate[]> {
  const products = await db.product.findMany({ where: { shop, id: { in: productIds } }, select: { id: true, productType: true, vendor: true } });
  const scores = new Map<string, { score: number; reason: string }>();
  // Signals add up; the reason shown is the first (strongest kind of) signal found.
  const add = (customerId: string, score: number, reason: string) => {
    const current = scores.get(customerId);
    scores.set(customerId, { score: (current?.score ?? 0) + score, reason: current?.reason ?? reason });
  };
  const viewers = await db.browseEvent.groupBy({
    by: ["customerId"],
    where: { shop, customerId: { not: null }, productId: { in: productIds }, occurredAt: { gte: new Date(now.getTime() - 30 * DAY) } },
    _count: true,
  });
  for (const viewer of viewers) add(viewer.customerId!, 1 + Math.log(viewer._count), "viewed it recently");
  const interestOnly = type === "back_in_stock" || type === "price_drop" || type === "low_stock";
  const productAffinity = await db.customerAffinity.findMany({
    where: { shop, dimension: "product", key: { in: productIds } },
    select: { customerId: true, score: true },
  });
  for (const row of productAffinity) add(row.customerId, row.score, "showed interest in it");
  if (!interestOnly) {
    const types = [...new Set(products.map((product) => product.productType).filter(Boolean))];
    const vendors = await distinctiveVendors(db, shop, [...new Set(products.map((product) => product.vendor).filter(Boolean))]);
    const affinity = await db.customerAffinity.findMany({
      where: {
        shop,
        OR: [
          ...(types.length ? [{ dimension: "productType", key: { in: types } }] : []),
          ...(vendors.length ? [{ dimension: "vendor", key: { in: vendors } }] : []),
        ],
      },
      select: { customerId: true, dimension: true, key: true, score: true },
    });
    for (const row of affinity) add(row.customerId, row.score * (row.dimension === "productType" ? 1 : 0.6), `loves ${row.key}`);
  }
  // Someone who already bought these products is not told about them as news.
  const buyers = await db.orderLine.findMany({ where: { shop, productId: { in: productIds } }, select: { orderId: true } });
  const buyerOrders = await inChunks(
    buyers.map((line) => line.orderId),
    (chunk) => db.order.findMany({ where: { shop, id: { in: chunk } }, select: { customerId: true } }),
  );
  const buyerIds = new Set(buyerOrders.flatMap((order) => (order.customerId ? [order.customerId] : [])));
  return [...scores].filter(([customerId]) => type !== "new_arrival" || !buyerIds.has(customerId)).map(([customerId, { score, reason }]) => ({ customerId, score, reason }));
}

async function eligible(
  db: Db,
  shop: string,
  candidates: Candidate[],
  plan: CampaignPlan,
): Promise<{ members: AudienceMember[]; excluded: Record<string, number> }> {
  const excluded: Record<string, number> = {};
  const skip = (why: string) => void (excluded[why] = (excluded[why] ?? 0) + 1);
  const customers = new Map(
    (
      await inChunks(
        candidates.flatMap((candidate) => (candidate.customerId ? [candidate.customerId] : [])),
        (chunk) =>
          db.customer.findMany({
            where: { shop, id: { in: chunk } },
            select: { id: true, email: true, firstName: true, emailConsentState: true, deletedAt: true, redactedAt: true },
          }),
      )
    ).map((customer) => [customer.id, customer]),
  );
  const emails = [...new Set(candidates.flatMap((candidate) => [candidate.email, candidate.customerId ? customers.get(candidate.customerId)?.email : null]).filter((email): email is string => Boolean(email)))];
  const suppressed = await suppressedAmong(db, shop, emails);

  const members = new Map<string, AudienceMember>();
  for (const candidate of candidates) {
    if (candidate.excludedBecause) {
      skip(candidate.excludedBecause);
      continue;
    }
    const customer = candidate.customerId ? customers.get(candidate.customerId) : undefined;
    if (customer?.deletedAt || customer?.redactedAt) {
      skip("deleted or redacted");
      continue;
    }
    const email = (customer?.email ?? candidate.email ?? "").toLowerCase();
    if (!email) {
      skip("no email address");
      continue;
    }
    const subscribed = customer?.emailConsentState === "SUBSCRIBED";
    const checkoutConsent = candidate.acceptsMarketing === true && plan.acceptsMarketingCountsAsConsent && !customer;
    if (!subscribed && !checkoutConsent && !candidate.requestedIt) {
      skip("no email marketing consent");
      continue;
    }
    if (suppressed.has(email)) {
      skip("unsubscribed, bounced or complained");
      continue;
    }
    const existing = members.get(email);
    // One message per address: several checkouts of one shopper become one sequence (the latest).
    if (existing && (existing.anchorAt?.getTime() ?? 0) >= (candidate.anchorAt?.getTime() ?? 0)) continue;
    members.set(email, {
      customerId: customer?.id ?? candidate.customerId ?? null,
      email,
      firstName: customer?.firstName ?? null,
      score: candidate.score,
      reason: candidate.reason,
      anchorAt: candidate.anchorAt ?? null,
      checkoutToken: candidate.checkoutToken ?? null,
      productIds: candidate.productIds ?? [],
      contextProductIds: candidate.contextProductIds ?? [],
      expectedRevenue: candidate.value ?? 0,
      evidence: { rule: candidate.reason, score: candidate.score, ...candidate.evidence },
    });
  }
  return { members: [...members.values()], excluded };
}

/**
 * Fills each member's product block: the campaign's or their checkout's products, then
 * recommendations, minus the ones held back for them (shown recently without a response).
 */
async function attachProducts(db: Db, shop: string, members: AudienceMember[], campaignProductIds: string[], now: Date, heldBack: Map<string, HeldProduct[]>): Promise<void> {
  const model = await db.shopInsightModel.findUnique({ where: { shop }, select: { recommenderIndex: true } });
  let index: RecommenderIndex | null = null;
  try {
    index = model ? restoreIndex(JSON.parse(model.recommenderIndex)) : null;
  } catch {
    index = null; // no usable index yet (a shop before its first recompute): no recommendations
  }
  const catalog = catalogLookup(await loadCatalog(db, shop));
  const states = new Map(
    (
      await inChunks(
        members.flatMap((member) => (member.customerId ? [member.customerId] : [])),
        (chunk) => db.customerInsight.findMany({ where: { shop, customerId: { in: chunk } }, select: { customerId: true, affinityState: true } }),
      )
    ).map((row) => [row.customerId, row.affinityState]),
  );
  for (const member of members) {
    const own = [...new Set([...member.productIds, ...campaignProductIds])].filter((id) => catalog(id));
    const ownSource = (id: string) => (member.productIds.includes(id) ? (member.checkoutToken ? "in their checkout" : "what they looked at") : "the campaign's products");
    const ownEvidence = own.map((productId) => ({ productId, because: ownSource(productId) }));
    if (own.length >= PRODUCTS_PER_RECIPIENT || !index) {
      member.productIds = own.slice(0, PRODUCTS_PER_RECIPIENT);
      member.evidence.products = ownEvidence.slice(0, PRODUCTS_PER_RECIPIENT);
      continue;
    }
    const stateJson = member.customerId ? states.get(member.customerId) : undefined;
    let customer;
    try {
      customer = stateJson ? restoreAffinityState(JSON.parse(stateJson)) : undefined;
    } catch {
      customer = undefined;
    }
    const held = (heldBack.get(member.email) ?? []).filter((item) => !own.includes(item.productId));
    const shopIndex = index;
    const recommend = (exclude: string[]) =>
      recommendProducts({
        index: shopIndex,
        customer,
        recentProductIds: [...own, ...member.contextProductIds],
        exclude: [...exclude, ...member.contextProductIds],
        k: PRODUCTS_PER_RECIPIENT - own.length,
        now: now.getTime(),
        catalog,
        affinityConfig: defaultAffinityConfig,
        scoring: defaultScoringConfig,
      });
    // Held-back products are left out, so the recommender's next best takes their place; only a block
    // that would otherwise be empty shows them again (an email without products is worse than a repeat).
    let recommended = recommend([...own, ...held.map((item) => item.productId)]);
    if (held.length && !recommended.length && !own.length) recommended = recommend(own);
    else if (held.length) member.evidence.heldBack = held.slice(0, HELD_IN_EVIDENCE).map((item) => ({ productId: item.productId, because: `${heldBecause(item)}; next best instead` }));
    member.productIds = [...own, ...recommended.map((item) => item.productId)];
    member.evidence.products = [
      ...ownEvidence,
      ...recommended.map((item) => ({
        productId: item.productId,
        because: "recommended",
        reasons: item.reasons.map((reason) => ({ ...reason, contribution: Math.round(reason.contribution * 1000) / 1000 })),
      })),
    ];
  }
}

/**
 * Vendors that say something about taste. In a shop that sells mostly one brand (often its own name),
 * "loves <vendor>" matches nearly every buyer and would make every campaign's audience the same.
 */
async function distinctiveVendors(db: Db, shop: string, vendors: string[]): Promise<string[]> {
  if (!vendors.length) return [];
  const [total, byVendor] = await Promise.all([
    db.product.count({ where: { shop, deletedAt: null } }),
    db.product.groupBy({ by: ["vendor"], where: { shop, deletedAt: null, vendor: { in: vendors } }, _count: { _all: true } }),
  ]);
  const share = new Map(byVendor.map((row) => [row.vendor, row._count._all / Math.max(1, total)]));
  return vendors.filter((vendor) => (share.get(vendor) ?? 0) < 0.5);
}
