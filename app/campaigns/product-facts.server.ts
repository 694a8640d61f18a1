import type { Db } from "~/db.server";
import type { ProductFact } from "~/copy/types";

// The facts the copy and the product blocks may state about products: title, link, image, type,
// vendor, the cheapest variant's price (and a real compare-at price), stock, a plain-text description.

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
