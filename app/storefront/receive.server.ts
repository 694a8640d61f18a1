import { isbot } from "isbot";
import { readBodyWithLimit } from "~/lib/http.server";
import type { Db, RawDriver } from "~/db.server";
import { log } from "~/lib/logger.server";
import { parseBrowseBatch, placeInTime, referencedIds, resolveAgainstMirror } from "./events";
import type { KeyedTokenBuckets } from "./rate-limit";
import {
  type BrowseEventRow,
  type BrowseEventWriter,
  type MirrorLookup,
  browseEventId,
  cartTokensHaveCustomer,
  hasAnonymousEvents,
  identityAtOrAfter,
} from "./store.server";
import { stitchLogin, stitchReportedCartTokens } from "./stitch.server";

// The app proxy endpoint's work (https://{shop}/apps/campaign-pilot/events → /proxy/events): verify
// Shopify's signature, drop bots, rate limit, validate, keep events for products the shop has, write
// them with one bulk INSERT (shared with concurrent requests), stitch identities, answer 204. What is trusted is in ADR 007.

export type AuthenticateAppProxy = (request: Request) => Promise<{ session?: unknown }>;

export interface ReceiveBrowseDeps {
  authenticate: AuthenticateAppProxy;
  driver: RawDriver;
  db: Db;
  mirror: MirrorLookup;
  /** Shares one transaction among concurrent requests (group commit). */
  writer: BrowseEventWriter;
  limits: { visitor: KeyedTokenBuckets; shop: KeyedTokenBuckets };
  maxBodyBytes: number;
  /** (shop, visitor, customer) triples stitched recently: skips repeating the same UPDATE per batch. */
  recentLogins: RecentKeys;
  now?: () => Date;
}

const empty = (status: number, headers?: Record<string, string>) => new Response(null, { status, headers });

// Shopify's signed customer id; the proxy sends it empty for anonymous visitors.
const CUSTOMER_ID = /^[1-9]\d{0,19}$/;

export async function receiveBrowseEvents(request: Request, deps: ReceiveBrowseDeps): Promise<Response> {
  if (request.method !== "POST") return empty(405);
  // The signature covers the query string only (shop, logged_in_customer_id, path_prefix, timestamp);
  // the library answers 400 to a missing, forged or stale (> 90 s) one. Checked before the body is read.
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
  if (signedCustomer && !CUSTOMER_ID.test(signedCustomer)) return empty(400);
  const customerId = signedCustomer || null;

  const body = await readBodyWithLimit(request, deps.maxBodyBytes);
  if (body === undefined) return empty(413);
  // Without an offline session the app is not installed on this shop (any more): keep nothing.
  if (!context.session) {
    log.debug("storefront events for a shop without a session", { shop });
    return empty(204);
  }
  if (isbot(request.headers.get("user-agent") ?? "")) return empty(204);

  const parsed = parseBrowseBatch(body);
  if (!parsed.ok) {
    log.debug("storefront batch refused", { shop, reason: parsed.reason });
    return empty(400);
  }
  const { batch } = parsed;
  const cost = batch.events.length;
  for (const [bucket, key] of [
    [deps.limits.visitor, `${shop}\u0000${batch.visitorId}`],
    [deps.limits.shop, shop],
  ] as const) {
    const taken = bucket.take(key, cost);
    if (!taken.ok) {
      const seconds = Number.isFinite(taken.retryAfterMs) ? Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) : 60;
      return empty(429, { "Retry-After": String(seconds) });
    }
  }
  if (batch.customerId && batch.customerId !== customerId) {
    // Liquid said one customer and Shopify's signature another (or none): the signature wins.
    log.debug("storefront batch customer hint ignored", { shop, signed: Boolean(customerId) });
  }

  const receivedAt = (deps.now ?? (() => new Date()))();
  const placed = placeInTime(batch, receivedAt);
  const ids = referencedIds(placed.events);
  const facts = await deps.mirror.facts(deps.driver, shop, ids.productIds, ids.variantIds);
  const { kept, dropped } = resolveAgainstMirror(placed.events, facts);

  let attribution: { customerId: string | null; via: string | null } = {
    customerId,
    via: customerId ? "session" : null,
  };
  if (!customerId && kept.length) {
    const latest = new Date(Math.max(...kept.map((event) => event.occurredAt.getTime())));
    const anchor = await identityAtOrAfter(deps.driver, shop, batch.visitorId, latest);
    if (anchor) {
      const via = anchor.attributedVia && anchor.attributedVia !== "session" ? anchor.attributedVia : "login";
      attribution = { customerId: anchor.customerId, via };
    }
  }
  const rows: BrowseEventRow[] = kept.map((event) => ({
    id: browseEventId(receivedAt.getTime()),
    shop,
    visitorId: batch.visitorId,
    customerId: attribution.customerId,
    type: event.type,
    productId: event.productId,
    variantId: event.variantId,
    collectionId: event.collectionId,
    cartToken: event.cartToken,
    occurredAt: event.occurredAt,
    receivedAt,
    attributedVia: attribution.via,
  }));
  await deps.writer.write(rows);

  // Stitching goes through Prisma (shared with the webhook path); cheap raw checks keep it off the
  // common path, where there is nothing to stitch.
  if (
    customerId &&
    deps.recentLogins.claim(`${shop}\u0000${batch.visitorId}\u0000${customerId}`) &&
    (await hasAnonymousEvents(deps.driver, shop, batch.visitorId, receivedAt))
  ) {
    await stitchLogin(deps.db, shop, batch.visitorId, customerId, receivedAt);
  }
  const cartTokens = kept.flatMap((event) => (event.cartToken ? [event.cartToken] : []));
  if (cartTokens.length && (await cartTokensHaveCustomer(deps.driver, shop, cartTokens))) {
    await stitchReportedCartTokens(deps.db, shop, batch.visitorId, cartTokens);
  }

  log.debug("storefront batch", {
    shop,
    stored: rows.length,
    unknownProducts: dropped,
    tooOld: placed.droppedTooOld,
    future: placed.droppedFuture,
  });
  return empty(204);
}

/** Remembers keys for `ttlMs`; `claim` is true when the key was not seen within that time. */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  claim(key: string): boolean {
    const at = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > at) return false;
    if (this.seen.size >= this.maxKeys) this.seen.clear();
    this.seen.set(key, at + this.ttlMs);
    return true;
  }
}
