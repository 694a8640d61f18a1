import type { MirrorContext } from "./context";

// Transitions the opportunity detectors look for, recorded where the mirror sees them happen.

interface VariantRef {
  id: string;
  productId: string;
}

export async function recordAvailabilityChange(
  ctx: MirrorContext,
  variant: VariantRef,
  before: number | null | undefined,
  after: number | null | undefined,
): Promise<void> {
  if (before === null || before === undefined || after === null || after === undefined) return;
  const kind = before > 0 && after <= 0 ? "sold_out" : before <= 0 && after > 0 ? "restocked" : null;
  if (!kind) return;
  await ctx.db.productSignal.create({
    data: {
      shop: ctx.shop,
      productId: variant.productId,
      variantId: variant.id,
      kind,
      at: ctx.observedAt,
      details: JSON.stringify({ before, after }),
    },
  });
}

export async function recordPriceChange(
  ctx: MirrorContext,
  variant: VariantRef,
  before: { price: number; compareAtPrice: number | null } | null,
  after: { price: number; compareAtPrice: number | null },
): Promise<void> {
  if (!before) return;
  const cheaper = after.price < before.price;
  const saleStarted =
    after.compareAtPrice !== null &&
    after.compareAtPrice > after.price &&
    !(before.compareAtPrice !== null && before.compareAtPrice > before.price);
  if (!cheaper && !saleStarted) return;
  await ctx.db.productSignal.create({
    data: {
      shop: ctx.shop,
      productId: variant.productId,
      variantId: variant.id,
      kind: "price_drop",
      at: ctx.observedAt,
      details: JSON.stringify({ before, after }),
    },
  });
}
