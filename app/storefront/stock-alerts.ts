import { z } from "zod";

// The contract between the "Back in stock" app block (extensions/browse-capture/assets/back-in-stock.js)
// and the app proxy route /proxy/stock-alerts: one shopper asking to be emailed when a sold-out
// product (or one of its variants) is back. Pure: no I/O, no server imports. What the server trusts
// from it is in ADR 007 ("Back-in-stock requests").

/** The honeypot field: hidden from people, filled in by form-filling bots. */
export const STOCK_ALERT_HONEYPOT = "website";

/** The longest address SMTP can deliver to (RFC 5321's path limit less the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

const LEGACY_ID = /^[1-9]\d{0,19}$/;

/**
 * A Shopify id as the storefront knows it: Liquid prints the legacy number (`product.id`), the Storefront
 * and Admin APIs the GID (`gid://shopify/Product/123`). Both become the digit string the mirror keys on.
 */
function shopifyId(resource: "Product" | "ProductVariant") {
  const gid = new RegExp(`^gid://shopify/${resource}/([1-9]\\d{0,19})$`);
  return z
    .string()
    .max(64)
    .transform((value, context) => {
      const id = LEGACY_ID.test(value) ? value : gid.exec(value)?.[1];
      if (!id) {
        context.addIssue({ code: "custom", message: `not a ${resource} id` });
        return z.NEVER;
      }
      return id;
    });
}

/** Trimmed and lower-cased (as every address the app stores is), then validated. */
export const emailSchema = z.string().max(1_000).trim().toLowerCase().pipe(z.email().max(MAX_EMAIL_LENGTH));

export const stockAlertBodySchema = z.object({
  v: z.literal(1),
  productId: shopifyId("Product"),
  variantId: shopifyId("ProductVariant").optional(),
  email: z.string().max(1_000),
  // The browse-capture visitor id, sent only when the shopper allowed analytics (the script checks).
  // Random and forgeable: it only labels the request, it never identifies anyone.
  visitorId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
  [STOCK_ALERT_HONEYPOT]: z.string().max(1_000).optional(),
});

export interface StockAlertInput {
  productId: string;
  variantId: string | null;
  email: string;
  visitorId: string | null;
}

export type StockAlertParse =
  | { kind: "valid"; input: StockAlertInput }
  /** The honeypot was filled in: a bot. Answer as if accepted, keep nothing. */
  | { kind: "honeypot" }
  | { kind: "invalid"; error: "invalid_email" | "invalid_request"; reason: string };

export function parseStockAlertBody(body: string): StockAlertParse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: "invalid", error: "invalid_request", reason: "body is not JSON" };
  }
  // Looked at before anything else, so a bot that filled every field learns nothing from our answer.
  if (json && typeof json === "object" && !Array.isArray(json)) {
    const trap = (json as Record<string, unknown>)[STOCK_ALERT_HONEYPOT];
    if (typeof trap === "string" && trap.trim() !== "") return { kind: "honeypot" };
  }
  const parsed = stockAlertBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: "invalid", error: "invalid_request", reason: `${issue.path.join(".") || "body"}: ${issue.message}` };
  }
  const email = emailSchema.safeParse(parsed.data.email);
  if (!email.success) return { kind: "invalid", error: "invalid_email", reason: "email: not an address" };
  return {
    kind: "valid",
    input: {
      productId: parsed.data.productId,
      variantId: parsed.data.variantId ?? null,
      email: email.data,
      visitorId: parsed.data.visitorId ?? null,
    },
  };
}
