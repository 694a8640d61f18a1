import type { Db } from "~/db.server";
import type { CatalogItem, CatalogLookup } from "../schemas";

// The mirror's view of the catalogue for the insights engine: type, vendor, collections (by title,
// which is what merchants read), tags, whether it can be sold now, and the lowest price.

export async function loadCatalog(db: Db, shop: string, productIds?: readonly string[]): Promise<Map<string, CatalogItem>> {
  const scope = productIds ? { shop, id: { in: [...new Set(productIds)] } } : { shop };
  const [products, variants, memberships] = await Promise.all([
    db.product.findMany({
      where: scope,
      select: { id: true, title: true, productType: true, vendor: true, tags: true, status: true, publishedAt: true, deletedAt: true },
    }),
    db.variant.findMany({
      where: { shop, deletedAt: null, ...(productIds && { productId: { in: [...new Set(productIds)] } }) },
      select: { productId: true, price: true, availableQuantity: true, inventoryPolicy: true },
    }),
    db.collectionMembership.findMany({
      where: { shop, ...(productIds && { productId: { in: [...new Set(productIds)] } }) },
      select: { productId: true, collectionId: true },
    }),
  ]);
  const collectionTitles = new Map(
    (await db.collection.findMany({ where: { shop }, select: { id: true, title: true } })).map((c) => [c.id, c.title]),
  );
  const variantsByProduct = Map.groupBy(variants, (variant) => variant.productId);
  const collectionsByProduct = Map.groupBy(memberships, (membership) => membership.productId);

  const catalog = new Map<string, CatalogItem>();
  for (const product of products) {
    const productVariants = variantsByProduct.get(product.id) ?? [];
    // Sellable: some variant in stock, untracked, or allowed to oversell.
    const available = productVariants.some(
      (variant) => variant.availableQuantity === null || variant.availableQuantity > 0 || variant.inventoryPolicy === "continue",
    );
    catalog.set(product.id, {
      productId: product.id,
      title: product.title,
      productType: product.productType,
      vendor: product.vendor,
      collections: (collectionsByProduct.get(product.id) ?? []).flatMap((m) => collectionTitles.get(m.collectionId) ?? []),
      tags: JSON.parse(product.tags) as string[],
      available: !product.deletedAt && available,
      published: !product.deletedAt && product.status === "active" && product.publishedAt !== null,
      price: productVariants.length ? Math.min(...productVariants.map((variant) => variant.price)) : undefined,
    });
  }
  return catalog;
}

/** Unknown (deleted, never mirrored) products read as undefined: the engine skips them. */
export function catalogLookup(catalog: Map<string, CatalogItem>): CatalogLookup {
  return (productId) => catalog.get(productId);
}
