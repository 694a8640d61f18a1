import { z } from "zod";
import type { CollectionRecord, CustomerRecord, OrderLineRecord, OrderRecord, ProductRecord, VariantRecord } from "../records";
import { dateTime, decimal, emailConsentState, gid, idFromGid, nullableString, optionalDateTime, optionalDecimal } from "./primitives";

// Lines of a bulk-operation JSONL file (GraphQL shape). Nested connections arrive as their own lines
// with `__parentId`, after their parent. Each line becomes one record for the same mirror functions
// the webhooks use.

const money = z.object({ shopMoney: z.object({ amount: decimal, currencyCode: z.string().optional() }) });
const ref = z.object({ id: gid }).nullish();
const parentId = gid.transform(idFromGid);

const productNode = z.object({
  id: gid,
  title: z.string(),
  handle: z.string(),
  descriptionHtml: z.string().nullish(),
  productType: z.string().nullish(),
  vendor: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  status: z.string().default("ACTIVE"),
  publishedAt: optionalDateTime,
  createdAt: optionalDateTime,
  updatedAt: optionalDateTime,
  featuredMedia: z.object({ preview: z.object({ image: z.object({ url: z.string() }).nullish() }).nullish() }).nullish(),
});

const variantNode = z.object({
  id: gid,
  __parentId: parentId,
  title: z.string().nullish(),
  sku: nullableString,
  price: decimal,
  compareAtPrice: optionalDecimal,
  position: z.number().int().nullish(),
  inventoryPolicy: z.string().nullish(),
  inventoryQuantity: z.number().int().nullish(),
  updatedAt: optionalDateTime,
  inventoryItem: ref,
});

const collectionNode = z.object({ id: gid, __parentId: parentId, title: z.string(), handle: z.string() });

const customerNode = z.object({
  id: gid,
  firstName: nullableString,
  lastName: nullableString,
  locale: z.string().nullish(),
  state: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  createdAt: optionalDateTime,
  updatedAt: optionalDateTime,
  defaultEmailAddress: z
    .object({
      emailAddress: nullableString,
      marketingState: emailConsentState.nullish(),
      marketingOptInLevel: nullableString,
      marketingUpdatedAt: optionalDateTime,
    })
    .nullish(),
  defaultPhoneNumber: z.object({ phoneNumber: nullableString }).nullish(),
});

const orderNode = z.object({
  id: gid,
  name: z.string(),
  email: nullableString,
  phone: nullableString.optional(),
  customer: ref,
  createdAt: dateTime,
  processedAt: optionalDateTime,
  updatedAt: optionalDateTime,
  cancelledAt: optionalDateTime,
  cancelReason: nullableString,
  currencyCode: z.string().length(3),
  displayFinancialStatus: nullableString,
  displayFulfillmentStatus: nullableString,
  totalPriceSet: money,
  subtotalPriceSet: money.nullish(),
  totalDiscountsSet: money.nullish(),
  discountCodes: z.array(z.string()).default([]),
  sourceName: nullableString,
  customerAcceptsMarketing: z.boolean().nullish(),
});

const lineItemNode = z.object({
  id: gid,
  __parentId: parentId,
  title: z.string(),
  variantTitle: nullableString,
  sku: nullableString,
  vendor: nullableString,
  quantity: z.number().int(),
  currentQuantity: z.number().int().nullish(),
  originalUnitPriceSet: money,
  totalDiscountSet: money.nullish(),
  product: ref,
  variant: ref,
});

export type BulkLine =
  | { type: "product"; product: ProductRecord }
  | { type: "variant"; variant: VariantRecord }
  | { type: "collection"; productId: string; collection: CollectionRecord }
  | { type: "customer"; customer: CustomerRecord }
  | { type: "order"; order: OrderRecord }
  | { type: "lineItem"; orderId: string; line: OrderLineRecord };

const lineParsers: Record<string, (value: unknown) => BulkLine> = {
  Product(value) {
    const node = productNode.parse(value);
    return {
      type: "product",
      product: {
        id: idFromGid(node.id),
        title: node.title,
        handle: node.handle,
        descriptionHtml: node.descriptionHtml ?? "",
        productType: node.productType ?? "",
        vendor: node.vendor ?? "",
        tags: node.tags,
        status: node.status,
        publishedAt: node.publishedAt,
        imageUrl: node.featuredMedia?.preview?.image?.url ?? null,
        createdAt: node.createdAt,
        updatedAt: node.updatedAt,
      },
    };
  },
  ProductVariant(value) {
    const node = variantNode.parse(value);
    return {
      type: "variant",
      variant: {
        id: idFromGid(node.id),
        productId: node.__parentId,
        title: node.title ?? "",
        sku: node.sku,
        price: node.price,
        compareAtPrice: node.compareAtPrice,
        inventoryItemId: node.inventoryItem ? idFromGid(node.inventoryItem.id) : null,
        inventoryPolicy: node.inventoryPolicy ?? "deny",
        inventoryQuantity: node.inventoryQuantity ?? null,
        position: node.position ?? 1,
        updatedAt: node.updatedAt,
      },
    };
  },
  Collection(value) {
    const node = collectionNode.parse(value);
    return {
      type: "collection",
      productId: node.__parentId,
      collection: { id: idFromGid(node.id), title: node.title, handle: node.handle },
    };
  },
  Customer(value) {
    const node = customerNode.parse(value);
    const email = node.defaultEmailAddress;
    return {
      type: "customer",
      customer: {
        id: idFromGid(node.id),
        email: email?.emailAddress?.toLowerCase() ?? null,
        firstName: node.firstName,
        lastName: node.lastName,
        phone: node.defaultPhoneNumber?.phoneNumber ?? null,
        locale: node.locale,
        state: node.state?.toLowerCase(),
        tags: node.tags,
        consent: email?.marketingState
          ? { state: email.marketingState, optInLevel: email.marketingOptInLevel, updatedAt: email.marketingUpdatedAt }
          : undefined,
        createdAt: node.createdAt,
        updatedAt: node.updatedAt,
      },
    };
  },
  Order(value) {
    const node = orderNode.parse(value);
    return {
      type: "order",
      order: {
        id: idFromGid(node.id),
        name: node.name,
        customerId: node.customer ? idFromGid(node.customer.id) : null,
        email: node.email?.toLowerCase() ?? null,
        phone: node.phone ?? null,
        checkoutToken: null,
        cartToken: null,
        currency: node.currencyCode,
        subtotalPrice: node.subtotalPriceSet?.shopMoney.amount ?? node.totalPriceSet.shopMoney.amount,
        totalPrice: node.totalPriceSet.shopMoney.amount,
        totalDiscounts: node.totalDiscountsSet?.shopMoney.amount ?? "0",
        discountCodes: node.discountCodes,
        landingSite: null,
        sourceName: node.sourceName,
        financialStatus: node.displayFinancialStatus?.toLowerCase() ?? null,
        fulfillmentStatus: node.displayFulfillmentStatus?.toLowerCase() ?? null,
        buyerAcceptsMarketing: node.customerAcceptsMarketing ?? false,
        cancelledAt: node.cancelledAt,
        cancelReason: node.cancelReason?.toLowerCase() ?? null,
        processedAt: node.processedAt ?? node.createdAt,
        updatedAt: node.updatedAt,
        lines: undefined,
        refunds: undefined,
        customer: undefined,
      },
    };
  },
  LineItem(value) {
    const node = lineItemNode.parse(value);
    return {
      type: "lineItem",
      orderId: node.__parentId,
      line: {
        id: idFromGid(node.id),
        productId: node.product ? idFromGid(node.product.id) : null,
        variantId: node.variant ? idFromGid(node.variant.id) : null,
        title: node.title,
        variantTitle: node.variantTitle,
        sku: node.sku,
        vendor: node.vendor,
        quantity: node.quantity,
        currentQuantity: node.currentQuantity ?? null,
        price: node.originalUnitPriceSet.shopMoney.amount,
        totalDiscount: node.totalDiscountSet?.shopMoney.amount ?? "0",
      },
    };
  },
};

export type BulkLineResult = { ok: true; line: BulkLine } | { ok: false; reason: string };

export function parseBulkLine(value: unknown): BulkLineResult {
  const id = (value as { id?: unknown } | null)?.id;
  const type = typeof id === "string" ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] : undefined;
  const parse = type ? lineParsers[type] : undefined;
  if (!parse) return { ok: false, reason: `unexpected bulk line type ${type ?? "(no id)"}` };
  try {
    return { ok: true, line: parse(value) };
  } catch (error) {
    const reason = error instanceof z.ZodError ? error.issues[0]?.message : String(error);
    return { ok: false, reason: `${type}: ${reason}` };
  }
}
