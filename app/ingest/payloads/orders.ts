import { z } from "zod";
import type { CheckoutRecord, OrderLineRecord, OrderRecord, RefundRecord } from "../records";
import { restCustomer } from "./customers";
import {
  dateTime,
  decimal,
  nullableString,
  optionalDateTime,
  preferGid,
  shopifyId,
} from "./primitives";

const restLineItem = z.object({
  id: shopifyId.optional(),
  admin_graphql_api_id: z.string().nullish(),
  product_id: shopifyId.nullish(),
  variant_id: shopifyId.nullish(),
  title: z.string().nullish(),
  name: z.string().nullish(),
  variant_title: nullableString,
  sku: nullableString,
  vendor: nullableString,
  quantity: z.number().int(),
  current_quantity: z.number().int().nullish(),
  price: decimal,
  total_discount: decimal.nullish(),
});

function toOrderLine(line: z.infer<typeof restLineItem>): OrderLineRecord {
  return {
    id: preferGid(line.id, line.admin_graphql_api_id),
    productId: line.product_id ?? null,
    variantId: line.variant_id ?? null,
    title: line.title ?? line.name ?? "",
    variantTitle: line.variant_title,
    sku: line.sku,
    vendor: line.vendor,
    quantity: line.quantity,
    currentQuantity: line.current_quantity ?? null,
    price: line.price,
    totalDiscount: line.total_discount ?? "0",
  };
}

const restRefundLine = z.object({
  line_item_id: shopifyId,
  quantity: z.number().int(),
  subtotal: decimal.nullish(),
  restock_type: nullableString,
});

const restTransaction = z.object({ kind: z.string().nullish(), status: z.string().nullish(), amount: decimal.nullish() });

const restRefundShape = z.object({
  id: shopifyId.optional(),
  admin_graphql_api_id: z.string().nullish(),
  order_id: shopifyId,
  created_at: dateTime,
  refund_line_items: z.array(restRefundLine).default([]),
  transactions: z.array(restTransaction).nullish(),
});

function sumDecimals(values: string[]): string {
  // Summing in thousandths avoids float drift; the mirror rounds to the currency's digits.
  const thousandths = values.reduce((total, value) => total + Math.round(Number(value) * 1000), 0);
  return (thousandths / 1000).toFixed(3);
}

function toRefund(refund: z.infer<typeof restRefundShape>): RefundRecord {
  const lines = refund.refund_line_items.map((line) => ({
    lineItemId: line.line_item_id,
    quantity: line.quantity,
    subtotal: line.subtotal ?? "0",
    restockType: line.restock_type,
  }));
  const refundedMoney = (refund.transactions ?? [])
    .filter((transaction) => transaction.kind === "refund" && transaction.status !== "failure")
    .map((transaction) => transaction.amount ?? "0");
  return {
    id: preferGid(refund.id, refund.admin_graphql_api_id),
    orderId: refund.order_id,
    createdAt: refund.created_at,
    amount: sumDecimals(refundedMoney.length ? refundedMoney : lines.map((line) => line.subtotal)),
    lines,
  };
}

export const refundPayload = restRefundShape.transform(toRefund);

export const orderPayload = z
  .object({
    id: shopifyId.optional(),
    admin_graphql_api_id: z.string().nullish(),
    name: z.string().nullish(),
    email: nullableString,
    contact_email: nullableString,
    phone: nullableString,
    customer: restCustomer.nullish(),
    checkout_token: nullableString,
    cart_token: nullableString,
    currency: z.string().length(3),
    subtotal_price: decimal.nullish(),
    total_price: decimal,
    total_discounts: decimal.nullish(),
    discount_codes: z.array(z.object({ code: z.string() })).nullish(),
    landing_site: nullableString,
    source_name: nullableString,
    financial_status: nullableString,
    fulfillment_status: nullableString,
    buyer_accepts_marketing: z.boolean().nullish(),
    cancelled_at: optionalDateTime,
    cancel_reason: nullableString,
    processed_at: optionalDateTime,
    created_at: optionalDateTime,
    updated_at: optionalDateTime,
    line_items: z.array(restLineItem).optional(),
    refunds: z.array(restRefundShape.partial({ order_id: true })).nullish(),
  })
  .transform((payload, ctx): OrderRecord => {
    const id = preferGid(payload.id, payload.admin_graphql_api_id);
    const processedAt = payload.processed_at ?? payload.created_at;
    if (!processedAt) {
      ctx.addIssue({ code: "custom", message: "order has neither processed_at nor created_at" });
      return z.NEVER;
    }
    const email = payload.email ?? payload.contact_email ?? payload.customer?.email ?? null;
    return {
      id,
      name: payload.name ?? "",
      customerId: payload.customer?.id ?? null,
      email: email?.toLowerCase() ?? null,
      phone: payload.phone ?? payload.customer?.phone ?? null,
      checkoutToken: payload.checkout_token,
      cartToken: payload.cart_token,
      currency: payload.currency,
      subtotalPrice: payload.subtotal_price ?? payload.total_price,
      totalPrice: payload.total_price,
      totalDiscounts: payload.total_discounts ?? "0",
      discountCodes: (payload.discount_codes ?? []).map((discount) => discount.code),
      landingSite: payload.landing_site,
      sourceName: payload.source_name,
      financialStatus: payload.financial_status,
      fulfillmentStatus: payload.fulfillment_status,
      buyerAcceptsMarketing: payload.buyer_accepts_marketing ?? false,
      cancelledAt: payload.cancelled_at,
      cancelReason: payload.cancel_reason,
      processedAt,
      updatedAt: payload.updated_at,
      lines: payload.line_items?.map(toOrderLine),
      refunds: payload.refunds?.map((refund) => toRefund({ ...refund, order_id: refund.order_id ?? id })),
      customer: payload.customer ?? undefined,
    };
  });

const restCheckoutLine = z.object({
  product_id: shopifyId.nullish(),
  variant_id: shopifyId.nullish(),
  title: z.string().nullish(),
  presentment_title: z.string().nullish(),
  variant_title: nullableString,
  quantity: z.number().int(),
  price: decimal.nullish(),
  variant_price: decimal.nullish(),
});

// Since API 2026-04 checkout webhooks have no `id`: the token identifies a checkout.
export const checkoutPayload = z
  .object({
    token: z.string().min(1),
    cart_token: nullableString,
    email: nullableString,
    phone: nullableString,
    customer: restCustomer.nullish(),
    buyer_accepts_marketing: z.boolean().nullish(),
    currency: z.string().length(3),
    total_price: decimal.nullish(),
    line_items: z.array(restCheckoutLine).default([]),
    abandoned_checkout_url: nullableString,
    completed_at: optionalDateTime,
    created_at: optionalDateTime,
    updated_at: optionalDateTime,
  })
  .transform(
    (payload): CheckoutRecord => ({
      token: payload.token,
      cartToken: payload.cart_token,
      email: (payload.email ?? payload.customer?.email ?? null)?.toLowerCase() ?? null,
      phone: payload.phone,
      customerId: payload.customer?.id ?? null,
      buyerAcceptsMarketing: payload.buyer_accepts_marketing ?? false,
      currency: payload.currency,
      totalPrice: payload.total_price ?? "0",
      lineItems: payload.line_items.map((line) => ({
        productId: line.product_id ?? null,
        variantId: line.variant_id ?? null,
        title: line.title ?? line.presentment_title ?? "",
        variantTitle: line.variant_title,
        quantity: line.quantity,
        price: line.price ?? line.variant_price ?? "0",
      })),
      recoveryUrl: payload.abandoned_checkout_url,
      completedAt: payload.completed_at,
      createdAt: payload.created_at,
      updatedAt: payload.updated_at,
      customer: payload.customer ?? undefined,
    }),
  );
