// Signs app-proxy requests the way Shopify does: the query parameters except `signature`, sorted by
// key, each as `key=value` (repeated keys joined with ","), concatenated with no separator, then
// HMAC-SHA256 with the app secret, hex. Shopify adds shop, logged_in_customer_id (empty when
// anonymous), path_prefix and timestamp to what the storefront sent.
import { createHmac, randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import { TEST_API_SECRET } from "./env";

export const PROXY_PATH_PREFIX = "/apps/campaign-pilot";

export interface AppProxyOptions {
  shop: string;
  /** Shopify's logged_in_customer_id; undefined or "" for an anonymous visitor. */
  customerId?: string;
  /** Seconds since the epoch; Shopify's current time by default. */
  timestamp?: number;
  secret?: string;
  /** Query parameters the storefront request carried itself. */
  extra?: Record<string, string>;
}

export function appProxySignature(params: Record<string, string | string[]>, secret = TEST_API_SECRET): string {
  const message = Object.keys(params)
    .filter((key) => key !== "signature")
    .sort()
    .map((key) => {
      const value = params[key];
      return `${key}=${Array.isArray(value) ? value.join(",") : value}`;
    })
    .join("");
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

/** The query string Shopify appends when it forwards a storefront request to the app. */
export function signedProxyQuery(options: AppProxyOptions): string {
  const params: Record<string, string> = {
    ...options.extra,
    shop: options.shop,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: PROXY_PATH_PREFIX,
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const signature = appProxySignature(params, options.secret);
  return new URLSearchParams({ ...params, signature }).toString();
}

export function signedProxyUrl(appUrl: string, path: string, options: AppProxyOptions): string {
  return `${appUrl}/proxy${path}?${signedProxyQuery(options)}`;
}

export const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface BrowseEventInput {
  type: string;
  /** Milliseconds before the batch is sent (default 1 s). */
  ago?: number;
  productId?: string;
  variantId?: string;
  collectionId?: string;
  cartToken?: string;
}

export function browseBatch(visitorId: string, events: BrowseEventInput[], extra: Record<string, unknown> = {}, sentAt = Date.now()) {
  return {
    v: 1,
    visitorId,
    sentAt,
    events: events.map(({ ago, ...event }) => ({ ...event, at: sentAt - (ago ?? 1_000) })),
    ...extra,
  };
}

export function newVisitorId(): string {
  return randomUUID();
}

/** POSTs a batch to /proxy/events as Shopify's proxy would forward it (text/plain, like sendBeacon). */
export async function postBrowseBatch(
  appUrl: string,
  body: unknown,
  options: AppProxyOptions & { userAgent?: string; query?: string },
): Promise<Response> {
  const url = options.query ? `${appUrl}/proxy/events?${options.query}` : signedProxyUrl(appUrl, "/events", options);
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": options.userAgent ?? BROWSER_UA },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * An installed shop (its offline session) with products and variants in the mirror: what the proxy
 * route needs before it keeps any event. `products` maps product id → variant ids.
 */
export async function seedStorefrontShop(db: Db, shop: string, products: Record<string, string[]>): Promise<void> {
  const id = `offline_${shop}`;
  const session = { id, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_products" };
  await db.session.upsert({ where: { id }, create: session, update: session });
  for (const [productId, variantIds] of Object.entries(products)) {
    const product = { shop, id: productId, title: `Product ${productId}`, handle: `product-${productId}` };
    await db.product.upsert({ where: { shop_id: { shop, id: productId } }, create: product, update: { deletedAt: null } });
    for (const variantId of variantIds) {
      const variant = { shop, id: variantId, productId, price: 1999, currency: "USD" };
      await db.variant.upsert({ where: { shop_id: { shop, id: variantId } }, create: variant, update: {} });
    }
  }
}

/** POSTs a back-in-stock request to /proxy/stock-alerts as Shopify's proxy would forward the block's fetch. */
export async function postStockAlert(
  appUrl: string,
  body: unknown,
  options: AppProxyOptions & { userAgent?: string; query?: string; headers?: Record<string, string> },
): Promise<Response> {
  const url = options.query ? `${appUrl}/proxy/stock-alerts?${options.query}` : signedProxyUrl(appUrl, "/stock-alerts", options);
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": options.userAgent ?? BROWSER_UA, ...options.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** What the block sends: version 1, the product, the variant shown, the address; `website` is the honeypot. */
export function stockAlertBody(fields: { productId?: string; variantId?: string; email?: string; visitorId?: string; website?: string } & Record<string, unknown> = {}) {
  return { v: 1, productId: "7001", email: "shopper@example.com", website: "", ...fields };
}
