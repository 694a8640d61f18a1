import { z } from "zod";
import type { InventoryLevelRecord, ProductRecord, VariantRecord } from "../records";
import {
  dateTime,
  decimal,
  nullableString,
  optionalDateTime,
  optionalDecimal,
  preferGid,
  shopifyId,
  tagList,
} from "./primitives";

const restVariant = z.object({
  id: shopifyId.optional(),
  admin_graphql_api_id: z.string().nullish(),
  product_id: shopifyId.nullish(),
  title: z.string().nullish(),
  sku: nullableString,
  price: decimal,
  compare_at_price: optionalDecimal,
  inventory_item_id: shopifyId.nullish(),
  inventory_policy: z.string().nullish(),
  inventory_quantity: z.number().int().nullish(),
  position: z.number().int().nullish(),
  updated_at: optionalDateTime,
});

function toVariant(variant: z.infer<typeof restVariant>, productId: string): VariantRecord {
  return {
    id: preferGid(variant.id, variant.admin_graphql_api_id),
    productId,
    title: variant.title ?? "",
    sku: variant.sku,
    price: variant.price,
    compareAtPrice: variant.compare_at_price,
    inventoryItemId: variant.inventory_item_id ?? null,
    inventoryPolicy: variant.inventory_policy ?? "deny",
    inventoryQuantity: variant.inventory_quantity ?? null,
    position: variant.position ?? 1,
    updatedAt: variant.updated_at,
  };
}

export const productPayload = z
  .object({
    id: shopifyId.optional(),
    admin_graphql_api_id: z.string().nullish(),
    title: z.string(),
    handle: z.string().nullish(),
    body_html: z.string().nullish(),
    product_type: z.string().nullish(),
    vendor: z.string().nullish(),
    tags: tagList,
    status: z.string().nullish(),
    published_at: optionalDateTime,
    created_at: optionalDateTime,
    updated_at: optionalDateTime,
    image: z.object({ src: z.string() }).nullish(),
    images: z.array(z.object({ src: z.string() })).nullish(),
    variants: z.array(restVariant).default([]),
    variant_gids: z.array(z.object({ admin_graphql_api_id: z.string() })).nullish(),
  })
  .transform((payload): ProductRecord => {
    const id = preferGid(payload.id, payload.admin_graphql_api_id);
    const variants = payload.variants.map((variant) => toVariant(variant, id));
    // Shopify sends full variant details for the first 100 only; variant_gids lists them all.
    const complete = !payload.variant_gids || payload.variant_gids.length <= variants.length;
    return {
      id,
      title: payload.title,
      handle: payload.handle ?? "",
      descriptionHtml: payload.body_html ?? "",
      productType: payload.product_type ?? "",
      vendor: payload.vendor ?? "",
      tags: payload.tags,
      status: payload.status ?? "active",
      publishedAt: payload.published_at,
      imageUrl: payload.image?.src ?? payload.images?.[0]?.src ?? null,
      createdAt: payload.created_at,
      updatedAt: payload.updated_at,
      variants: complete ? variants : undefined,
      partialVariants: complete ? undefined : variants,
    };
  });

export const productDeletePayload = z
  .object({ id: shopifyId.optional(), admin_graphql_api_id: z.string().nullish() })
  .transform((payload) => ({ productId: preferGid(payload.id, payload.admin_graphql_api_id) }));

export const inventoryLevelPayload = z
  .object({
    inventory_item_id: shopifyId,
    location_id: shopifyId,
    available: z.number().int().nullable(),
    updated_at: dateTime,
  })
  .transform(
    (payload): InventoryLevelRecord => ({
      inventoryItemId: payload.inventory_item_id,
      locationId: payload.location_id,
      // null: the item is not stocked at that location; it contributes nothing.
      available: payload.available ?? 0,
      updatedAt: payload.updated_at,
    }),
  );
