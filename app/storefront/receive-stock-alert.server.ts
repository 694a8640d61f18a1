import { isbot } from "isbot";
import type { Db } from "~/db.server";
import { readBodyWithLimit } from "~/lib/http.server";
import { log } from "~/lib/logger.server";
import type { KeyedTokenBuckets } from "./rate-limit";
import type { AuthenticateAppProxy } from "./receive.server";
import { parseStockAlertBody } from "./stock-alerts";
import { recordStockAlertRequest } from "./stock-alerts.server";

// The app proxy endpoint behind the "Back in stock" block (https://{shop}/apps/campaign-pilot/stock-alerts
// → /proxy/stock-alerts): verify Shopify's signature, limit the body, drop bots and the honeypot, rate
// limit, validate, check the product against the shop's mirror, keep or renew the request. Answers are
// JSON so the block can say what went wrong; what is trusted is in ADR 007.

export interface ReceiveStockAlertDeps {
  authenticate: AuthenticateAppProxy;
  db: Db;
  /** Per visitor id (when the shopper allowed analytics), per address, per shop; each request costs 1. */
  limits: { visitor: KeyedTokenBuckets; email: KeyedTokenBuckets; shop: KeyedTokenBuckets };
  maxBodyBytes: number;
  now?: () => Date;
}

export type StockAlertError = "invalid_request" | "invalid_email" | "unknown_product" | "too_large" | "rate_limited" | "method_not_allowed";

const answer = (status: number, body: { ok: true } | { ok: false; error: StockAlertError }, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/** What every accepted request hears, kept or not (bots, the honeypot, suppressed addresses). */
const accepted = () => answer(202, { ok: true });

const CUSTOMER_ID = /^[1-9]\d{0,19}$/;

export async function receiveStockAlertRequest(request: Request, deps: ReceiveStockAlertDeps): Promise<Response> {
  if (request.method !== "POST") return answer(405, { ok: false, error: "method_not_allowed" }, { allow: "POST" });
  // The same check as browse events: the library answers 400 to a missing, forged, truncated or stale
  // signature, and the shop is part of what is signed. Before the body is read.
  let context: { session?: unknown };
  try {
    context = await deps.authenticate(request);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  const signedCustomer = url.searchParams.get("logged_in_customer_id") ?? "";
  if (signedCustomer && !CUSTOMER_ID.test(signedCustomer)) return answer(400, { ok: false, error: "invalid_request" });

  const body = await readBodyWithLimit(request, deps.maxBodyBytes);
  if (body === undefined) return answer(413, { ok: false, error: "too_large" });
  if (!context.session) {
    // Not installed (any more): there is no one to send an alert for.
    log.debug("stock alert for a shop without a session", { shop });
    return accepted();
  }
  if (isbot(request.headers.get("user-agent") ?? "")) return accepted();

  const parsed = parseStockAlertBody(body);
  if (parsed.kind === "honeypot") {
    log.debug("stock alert honeypot filled", { shop });
    return accepted();
  }
  if (parsed.kind === "invalid") {
    log.debug("stock alert refused", { shop, reason: parsed.reason });
    return answer(400, { ok: false, error: parsed.error });
  }
  const { input } = parsed;

  // Limits before any query. Without analytics consent there is no visitor id: the address and the
  // shop buckets still hold (no per-IP bucket: ADR 007).
  const buckets: Array<[KeyedTokenBuckets, string]> = [
    ...(input.visitorId ? ([[deps.limits.visitor, `${shop}\u0000${input.visitorId}`]] as Array<[KeyedTokenBuckets, string]>) : []),
    [deps.limits.email, `${shop}\u0000${input.email}`],
    [deps.limits.shop, shop],
  ];
  for (const [bucket, key] of buckets) {
    const taken = bucket.take(key, 1);
    if (!taken.ok) {
      const seconds = Number.isFinite(taken.retryAfterMs) ? Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) : 60;
      return answer(429, { ok: false, error: "rate_limited" }, { "retry-after": String(seconds) });
    }
  }

  const now = (deps.now ?? (() => new Date()))();
  const result = await recordStockAlertRequest(deps.db, { shop, customerId: signedCustomer || null, ...input }, now);
  log.debug("stock alert", { shop, productId: input.productId, result });
  if (result === "unknown_product") return answer(404, { ok: false, error: "unknown_product" });
  return accepted();
}
