import type { Db } from "~/db.server";
import { toMinorUnits } from "~/lib/money";
import type { CollectionRecord, InventoryLevelRecord, ProductRecord, VariantRecord } from "../records";
import { type ApplyOutcome, type MirrorContext, createOrUpdateIfNewer, isStale, json, notNewerThan } from "./context";
import { recordAvailabilityChange, recordPriceChange } from "./signals.server";

export async function upsertProduct(ctx: MirrorContext, product: ProductRecord): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  const version = product.updatedAt ?? ctx.observedAt;
  const existing = await db.product.findUnique({
    where: { shop_id: { shop, id: product.id } },
    select: { shopifyUpdatedAt: true, deletedAt: true },
  });
  if (existing?.deletedAt) return "deleted";
  if (existing && isStale(version, existing.shopifyUpdatedAt)) return "stale";

  const data = {
    title: product.title,
    handle: product.handle,
    descriptionHtml: product.descriptionHtml,
    productType: product.productType,
    vendor: product.vendor,
    tags: json(product.tags),
    status: product.status.toLowerCase(),
    publishedAt: product.publishedAt,
    imageUrl: product.imageUrl,
    createdAt: product.createdAt,
    shopifyUpdatedAt: version,
  };
  const applied = await createOrUpdateIfNewer(
    () => db.product.create({ data: { shop, id: product.id, ...data } }),
    () =>
      db.product.updateMany({
        where: { shop, id: product.id, deletedAt: null, ...notNewerThan(version) },
        data,
      }),
    !existing,
  );
  if (!applied) return "stale";

  for (const variant of product.variants ?? product.partialVariants ?? []) {
    await upsertVariant(ctx, variant);
  }
  if (product.variants) {
    // A full list: variants missing from it were deleted in Shopify.
    await db.variant.updateMany({
      where: { shop, productId: product.id, deletedAt: null, id: { notIn: product.variants.map((v) => v.id) } },
      data: { deletedAt: ctx.observedAt },
    });
  }
  return "applied";
}

export async function upsertVariant(ctx: MirrorContext, variant: VariantRecord): Promise<ApplyOutcome> {
  const { db, shop, currency } = ctx;
  const version = variant.updatedAt ?? ctx.observedAt;
  const existing = await db.variant.findUnique({
    where: { shop_id: { shop, id: variant.id } },
    select: { shopifyUpdatedAt: true, price: true, compareAtPrice: true, availableQuantity: true, deletedAt: true },
  });
  if (existing && isStale(version, existing.shopifyUpdatedAt)) return "stale";

  // With inventory levels stored, the stock is their sum, written by writeStock under its lock when
  // it changes (a variant new to us, or one that moved to another item); else the payload's quantity.
  const stocked = variant.inventoryItemId ? await stockedQuantity(db, shop, variant.inventoryItemId) : null;
  const restock = stocked !== null && (!existing || stocked !== existing.availableQuantity);
  const data = {
    productId: variant.productId,
    title: variant.title,
    sku: variant.sku,
    price: toMinorUnits(variant.price, currency),
    compareAtPrice: variant.compareAtPrice === null ? null : toMinorUnits(variant.compareAtPrice, currency),
    currency,
    inventoryItemId: variant.inventoryItemId,
    inventoryPolicy: variant.inventoryPolicy.toLowerCase(),
    inventoryQuantity: variant.inventoryQuantity,
    ...(stocked === null ? { availableQuantity: variant.inventoryQuantity } : !existing && { availableQuantity: stocked }),
    position: variant.position,
    shopifyUpdatedAt: version,
    deletedAt: null,
  };
  const applied = await createOrUpdateIfNewer(
    () => db.variant.create({ data: { shop, id: variant.id, ...data } }),
    () => db.variant.updateMany({ where: { shop, id: variant.id, ...notNewerThan(version) }, data }),
    !existing,
  );
  if (!applied) return "stale";
  const stock = restock ? await writeStock(ctx, variant.inventoryItemId!) : null;
  if (existing && !existing.deletedAt) {
    await recordPriceChange(ctx, variant, existing, { price: data.price, compareAtPrice: data.compareAtPrice });
    // The stock before, as writeStock read it under its lock (a level update may have moved it since).
    const before = stock ? stock.variants.find((row) => row.id === variant.id)?.availableQuantity : existing.availableQuantity;
    const after = stock ? stock.total : (data.availableQuantity ?? existing.availableQuantity);
    await recordAvailabilityChange(ctx, variant, before, after);
  }
  return "applied";
}

export async function deleteProduct(ctx: MirrorContext, productId: string): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  // A tombstone, not a delete: Shopify never reuses ids, and a late update must not resurrect it.
  await db.product.upsert({
    where: { shop_id: { shop, id: productId } },
    create: { shop, id: productId, title: "", handle: "", deletedAt: ctx.observedAt },
    update: { deletedAt: ctx.observedAt },
  });
  await db.variant.updateMany({ where: { shop, productId, deletedAt: null }, data: { deletedAt: ctx.observedAt } });
  await db.collectionMembership.deleteMany({ where: { shop, productId } });
  return "applied";
}

export async function applyInventoryLevel(ctx: MirrorContext, level: InventoryLevelRecord): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  const key = { shop, inventoryItemId: level.inventoryItemId, locationId: level.locationId };
  const existing = await db.inventoryLevel.findUnique({
    where: { shop_inventoryItemId_locationId: key },
    select: { shopifyUpdatedAt: true },
  });
  if (existing && isStale(level.updatedAt, existing.shopifyUpdatedAt)) return "stale";
  const data = { available: level.available, shopifyUpdatedAt: level.updatedAt };
  const applied = await createOrUpdateIfNewer(
    () => db.inventoryLevel.create({ data: { ...key, ...data } }),
    () =>
      db.inventoryLevel.updateMany({
        where: { ...key, shopifyUpdatedAt: { lte: level.updatedAt } },
        data,
      }),
    !existing,
  );
  if (!applied) return "stale";
  // Kept even when no variant has this item yet; upsertVariant reads the levels when it arrives.
  const { variants, total } = await writeStock(ctx, level.inventoryItemId);
  for (const variant of variants) await recordAvailabilityChange(ctx, variant, variant.availableQuantity, total);
  return "applied";
}

/**
 * The item's variants get the sum of its levels, read and written in one transaction that first
 * locks their rows (PostgreSQL; SQLite has one writer): two level updates of an item applied side
 * by side (a per-shop limit above 1, a flash sale's orders) must not leave the older sum.
 */
async function writeStock(ctx: MirrorContext, inventoryItemId: string) {
  const where = { shop: ctx.shop, inventoryItemId };
  return ctx.db.$transaction(async (tx) => {
    await tx.variant.updateMany({ where, data: { inventoryItemId } });
    const variants = await tx.variant.findMany({ where: { ...where, deletedAt: null }, select: { id: true, productId: true, availableQuantity: true } });
    const total = await stockedQuantity(tx, ctx.shop, inventoryItemId);
    await tx.variant.updateMany({ where, data: { availableQuantity: total } });
    return { variants, total };
  });
}

async function stockedQuantity(db: Pick<Db, "inventoryLevel">, shop: string, inventoryItemId: string): Promise<number | null> {
  const sum = await db.inventoryLevel.aggregate({
    where: { shop, inventoryItemId },
    _sum: { available: true },
    _count: true,
  });
  return sum._count ? (sum._sum.available ?? 0) : null;
}

export async function addCollectionMembership(
  ctx: MirrorContext,
  productId: string,
  collection: CollectionRecord,
): Promise<void> {
  const { db, shop } = ctx;
  await db.collection.upsert({
    where: { shop_id: { shop, id: collection.id } },
    create: { shop, ...collection },
    update: { title: collection.title, handle: collection.handle },
  });
  await db.collectionMembership.upsert({
    where: { shop_collectionId_productId: { shop, collectionId: collection.id, productId } },
    create: { shop, collectionId: collection.id, productId },
    update: {},
  });
}

export async function clearCollectionMemberships(ctx: MirrorContext, productId: string): Promise<void> {
  await ctx.db.collectionMembership.deleteMany({ where: { shop: ctx.shop, productId } });
}
