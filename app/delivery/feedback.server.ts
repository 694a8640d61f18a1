import { z } from "zod";
import type { Db } from "~/db.server";
import { adminForShop, describeAdminError, isRetryable } from "~/integrations/shopify/admin.server";
import { customerEmailMarketingConsentUpdate } from "~/integrations/shopify/operations/customer-email-marketing-consent-update";
import { defineJob, done, fail, retry, type JobQueue } from "~/jobs/types";
import { verifyLinkToken, type LinkToken } from "./links";

// What comes back from an email: unsubscribes (instant suppression, and consent written back to
// Shopify) and clicks (recorded, then redirected with UTM parameters for attribution).

export const CONSENT_WRITEBACK = "consent.writeback";

export type LinkResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 };

async function recipientFor(db: Db, token: LinkToken) {
  return db.campaignRecipient.findFirst({ where: { id: token.r, shop: token.s, campaignId: token.c } });
}

export async function checkUnsubscribeToken(db: Db, value: string, key: Buffer): Promise<LinkResult<{ email: string; shopName: string }>> {
  const verified = verifyLinkToken(value, key);
  if (!verified.ok || verified.token.k !== "unsubscribe") return { ok: false, status: 400 };
  const recipient = await recipientFor(db, verified.token);
  if (!recipient) return { ok: false, status: 404 };
  const shop = await db.shop.findUnique({ where: { shop: verified.token.s }, select: { name: true } });
  return { ok: true, value: { email: recipient.email, shopName: shop?.name ?? verified.token.s } };
}

/** Idempotent: a second click (or the mailbox's one-click POST after the page) changes nothing. */
export async function unsubscribe(db: Db, queue: JobQueue, value: string, key: Buffer, now = new Date()): Promise<LinkResult<{ email: string }>> {
  const verified = verifyLinkToken(value, key);
  if (!verified.ok || verified.token.k !== "unsubscribe") return { ok: false, status: 400 };
  const { token } = verified;
  const recipient = await recipientFor(db, token);
  if (!recipient) return { ok: false, status: 404 };
  await db.suppression.upsert({
    where: { shop_email: { shop: token.s, email: recipient.email } },
    create: { shop: token.s, email: recipient.email, reason: "unsubscribed", source: `campaign:${token.c}` },
    update: {},
  });
  await recordEvent(db, { shop: token.s, campaignId: token.c, email: recipient.email, type: "unsubscribe", source: "link", eventKey: `unsubscribe:${recipient.id}`, occurredAt: now });
  if (recipient.customerId) {
    await db.customer.updateMany({
      where: { shop: token.s, id: recipient.customerId },
      data: { emailConsentState: "UNSUBSCRIBED", emailConsentUpdatedAt: now },
    });
    await queue.enqueue({
      name: CONSENT_WRITEBACK,
      shop: token.s,
      payload: { customerId: recipient.customerId, at: now.toISOString() },
      key: `consent:${token.s}:${recipient.customerId}:${now.toISOString().slice(0, 16)}`,
    });
  }
  return { ok: true, value: { email: recipient.email } };
}

/** The destination with our UTM parameters, after recording the click. */
export async function click(db: Db, value: string, key: Buffer, now = new Date()): Promise<LinkResult<{ url: string }>> {
  const verified = verifyLinkToken(value, key);
  if (!verified.ok || verified.token.k !== "click" || !verified.token.u) return { ok: false, status: 400 };
  const { token } = verified;
  const recipient = await recipientFor(db, token);
  const send = recipient
    ? await db.send.findFirst({ where: { shop: token.s, recipientId: recipient.id, status: "sent" }, orderBy: { sentAt: "desc" }, select: { id: true } })
    : null;
  await recordEvent(db, {
    shop: token.s,
    campaignId: token.c,
    sendId: send?.id ?? null,
    email: recipient?.email ?? null,
    type: "click",
    source: "link",
    // One click per link per recipient per second: a double click or a prefetch is counted once.
    eventKey: `click:${token.r}:${token.l ?? ""}:${Math.floor(now.getTime() / 1_000)}`,
    url: token.u,
    occurredAt: now,
  });
  const url = new URL(token.u!);
  url.searchParams.set("utm_source", "campaign-pilot");
  url.searchParams.set("utm_medium", "email");
  url.searchParams.set("utm_campaign", token.c);
  return { ok: true, value: { url: url.toString() } };
}

export interface EventInput {
  shop: string;
  campaignId?: string | null;
  sendId?: string | null;
  email: string | null;
  type: string;
  source: string;
  eventKey: string;
  url?: string | null;
  occurredAt: Date;
}

/** Stores an event once per (shop, source, eventKey); a redelivered event is a no-op. */
export async function recordEvent(db: Db, event: EventInput): Promise<boolean> {
  const existing = await db.emailEvent.findUnique({
    where: { shop_source_eventKey: { shop: event.shop, source: event.source, eventKey: event.eventKey } },
    select: { id: true },
  });
  if (existing) return false;
  try {
    await db.emailEvent.create({ data: { ...event, campaignId: event.campaignId ?? null, sendId: event.sendId ?? null, url: event.url ?? null } });
    return true;
  } catch {
    return false; // recorded by a concurrent delivery of the same event
  }
}

export const consentWritebackJob = defineJob({
  name: CONSENT_WRITEBACK,
  payload: z.object({ customerId: z.string(), at: z.string() }),
  maxAttempts: 10,
  async perform({ customerId, at }, { db, shop }) {
    if (!shop) return done;
    const admin = await adminForShop(db, shop);
    if (!admin.ok) return fail(describeAdminError(admin.error)); // uninstalled: nothing to write back to
    const result = await admin.data.request(customerEmailMarketingConsentUpdate, {
      input: {
        customerId: `gid://shopify/Customer/${customerId}`,
        emailMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: at },
      },
    });
    if (!result.ok) return isRetryable(result.error) ? retry(describeAdminError(result.error)) : fail(describeAdminError(result.error));
    const errors = result.data.customerEmailMarketingConsentUpdate.userErrors;
    return errors.length ? fail(errors.map((error) => error.message).join("; ")) : done;
  },
});
