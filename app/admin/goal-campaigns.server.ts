import type { Db } from "~/db.server";
import { segmentOptions } from "~/campaigns/goal-audience.server";
import { createGoalCampaign, type GoalCampaignResult } from "~/campaigns/goal-campaign.server";
import { copywritersFor } from "~/copy/copywriters.server";
import { loadShopSettings } from "~/shops/settings.server";

// The "New campaign" page: what the form offers (the shop's products, collections, segments with
// their sizes, the discount policy) and the submission, which builds the campaign at once.

const PRODUCT_OPTIONS = 250;

export async function goalFormOptions(db: Db, shop: string) {
  const [products, collections, segments, settings] = await Promise.all([
    db.product.findMany({
      where: { shop, deletedAt: null, status: { in: ["active", "draft"] } },
      select: { id: true, title: true, productType: true, vendor: true, status: true },
      orderBy: { title: "asc" },
      take: PRODUCT_OPTIONS,
    }),
    db.collection.findMany({ where: { shop }, select: { id: true, title: true }, orderBy: { title: "asc" }, take: PRODUCT_OPTIONS }),
    segmentOptions(db, shop),
    loadShopSettings(db, shop),
  ]);
  return { products, collections, segments, maxPercent: settings.brandVoice.discountPolicy.maxPercent };
}

/** Reads the form's fields; everything else (types, ranges, ownership) is checked by the domain. */
export function goalFormInput(form: FormData): Record<string, unknown> {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  // The audience select encodes affinity segments as "affinity:<dimension>:<key>".
  const [audience, dimension, ...key] = (field("audience") ?? "").split(":");
  const isEncodedAffinity = audience === "affinity" && dimension !== undefined;
  return {
    objective: field("objective"),
    productIds: form.getAll("productIds").map(String).filter((id) => id.trim()),
    collectionId: field("collectionId"),
    offerPercent: field("offerPercent"),
    audience: audience || undefined,
    affinityDimension: isEncodedAffinity ? dimension : field("affinityDimension"),
    affinityKey: isEncodedAffinity ? key.join(":") : field("affinityKey"),
  };
}

export async function proposeGoalCampaign(db: Db, shop: string, input: unknown, now = new Date()): Promise<GoalCampaignResult> {
  const settings = await loadShopSettings(db, shop);
  return createGoalCampaign(db, shop, input, copywritersFor(db, settings), now);
}
