import type { Campaign, CampaignRecipient, Send } from "@prisma/client";
import { contentOf } from "~/campaigns/campaigns.server";
import { prepareStep, type PreparedStep } from "~/campaigns/personalise.server";
import { campaignPlanSchema, type CampaignPlan } from "~/campaigns/sequence";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import type { Db } from "~/db.server";
import { adminForShop } from "~/integrations/shopify/admin.server";
import type { EspAdapter, EspError, OutgoingEmail } from "~/integrations/esp/types";
import { errorMessage, log } from "~/lib/logger.server";
import { loadShopSettings, type ShopSettings } from "~/shops/settings.server";
import { ensureShop, isInstalled } from "~/shops/shops.server";
import { decideSend } from "./checks";
import { describeCodesError, ensureDiscountCodes } from "./discount-codes.server";

// Works the due rows of a shop's send ledger. Each row is claimed (scheduled → sending) by exactly one
// worker with a conditional update, checked again (consent, suppression, caps, quiet hours, exits,
// stock), rendered, and handed to the ESP with its idempotency key; the result goes back into the row.

const BATCH = 100;
const STUCK_AFTER_MS = 10 * 60_000;
const MAX_ATTEMPTS = 8;
const DAY = 86_400_000;

export interface DispatchDeps {
  adapter: EspAdapter;
  appUrl: string;
  linkKey: Buffer;
  now?: () => Date;
}

export interface DispatchResult {
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  /** Stop the batch and come back after this (rate limit, provider down, bad credentials). */
  retryAfterMs: number | null;
  /** When the next row of this shop is due, if any. */
  nextDueAt: Date | null;
}

export async function recoverStuckSends(db: Db, shop: string, now: Date): Promise<number> {
  // A worker died between claiming and recording: the ESP may or may not have the message. Sending
  // again with the same idempotency key (and SMTP Message-ID) lets providers and receivers drop it.
  const { count } = await db.send.updateMany({
    where: { shop, status: "sending", lockedAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) } },
    data: { status: "scheduled", lockedAt: null },
  });
  return count;
}

export async function dispatchDueSends(db: Db, shop: string, deps: DispatchDeps): Promise<DispatchResult> {
  const now = deps.now?.() ?? new Date();
  const result: DispatchResult = { sent: 0, skipped: 0, deferred: 0, failed: 0, retryAfterMs: null, nextDueAt: null };
  await recoverStuckSends(db, shop, now);
  const shopRow = await ensureShop(db, shop);
  const settings = await loadShopSettings(db, shop);
  const active = await db.campaign.findMany({ where: { shop, status: { in: ["scheduled", "sending"] } } });
  const campaigns = new Map(active.map((campaign) => [campaign.id, campaign]));
  const due = await db.send.findMany({
    where: { shop, status: "scheduled", scheduledAt: { lte: now }, campaignId: { in: [...campaigns.keys()] } },
    orderBy: { scheduledAt: "asc" },
    take: BATCH,
  });

  const prepared = new Map<string, PreparedStep | string>();
  for (const send of due) {
    const campaign = campaigns.get(send.campaignId)!;
    const claimed = await db.send.updateMany({
      where: { id: send.id, status: "scheduled" },
      data: { status: "sending", lockedAt: now, attempts: { increment: 1 } },
    });
    if (claimed.count === 0) continue; // another worker has it
    if (campaign.status === "scheduled") {
      await transitionCampaign(db, shop, campaign.id, "sending", { kind: "system", id: "dispatcher" }, null, now);
      campaign.status = "sending";
    }
    try {
      const outcome = await sendOne(db, shopRow.sendingPaused || !isInstalled(shopRow), settings, campaign, send, prepared, deps, now);
      result[outcome.counter]++;
      if (outcome.retryAfterMs !== undefined) {
        result.retryAfterMs = outcome.retryAfterMs;
        break;
      }
    } catch (error) {
      // Unexpected: put the row back for a later attempt rather than lose it.
      await db.send.updateMany({ where: { id: send.id, status: "sending" }, data: { status: "scheduled", lockedAt: null, lastError: errorMessage(error) } });
      log.error("dispatch: send failed unexpectedly", { shop, sendId: send.id, error: errorMessage(error) });
      result.retryAfterMs = 60_000;
      break;
    }
  }
  await finishCampaigns(db, shop, [...campaigns.values()], now);
  const next = await db.send.findFirst({
    where: { shop, status: "scheduled", campaignId: { in: [...campaigns.keys()] } },
    orderBy: { scheduledAt: "asc" },
    select: { scheduledAt: true },
  });
  result.nextDueAt = next?.scheduledAt ?? null;
  return result;
}

type Outcome = { counter: "sent" | "skipped" | "deferred" | "failed"; retryAfterMs?: number };

async function sendOne(
  db: Db,
  sendingPaused: boolean,
  settings: ShopSettings,
  campaign: Campaign,
  send: Send,
  prepared: Map<string, PreparedStep | string>,
  deps: DispatchDeps,
  now: Date,
): Promise<Outcome> {
  const { shop } = campaign;
  const plan = campaignPlanSchema.parse(JSON.parse(campaign.plan));
  const recipient = await db.campaignRecipient.findFirstOrThrow({ where: { id: send.recipientId, shop } });
  const decision = decideSend(await sendFacts(db, settings, campaign, plan, send, recipient, sendingPaused, now));
  if (decision.action === "skip") return finish(db, send, { status: "skipped", skipReason: decision.reason }, "skipped");
  if (decision.action === "defer") {
    await db.send.update({ where: { id: send.id }, data: { status: "scheduled", scheduledAt: decision.until, lockedAt: null, skipReason: decision.reason } });
    return { counter: "deferred" };
  }

  const stepKey = `${campaign.id}:${send.step}`;
  if (!prepared.has(stepKey)) {
    const version = await db.campaignVersion.findFirstOrThrow({ where: { id: campaign.currentVersionId!, shop } });
    const recipients = await db.campaignRecipient.findMany({ where: { shop, campaignId: campaign.id } });
    const step = await prepareStep(db, campaign, contentOf(version), send.step, recipients, {
      appUrl: deps.appUrl,
      linkKey: deps.linkKey,
      settings,
      shopName: (await ensureShop(db, shop)).name ?? shop,
      currency: campaign.currency,
    });
    prepared.set(stepKey, step.ok ? step.step : step.error.message);
  }
  const step = prepared.get(stepKey)!;
  if (typeof step === "string") return finish(db, send, { status: "failed", lastError: `cannot render: ${step}` }, "failed");

  let discountCode: string | null = null;
  const offer = plan.steps[send.step]?.offerPercent;
  if (offer) {
    const admin = await adminForShop(db, shop);
    if (!admin.ok) return retryLater(db, send, "no Shopify session to create the discount code", 3_600_000);
    const codes = await ensureDiscountCodes(db, admin.data, shop, { campaignId: campaign.id, campaignTitle: campaign.title, step: send.step, percent: offer, validDays: 7 }, [recipient.id], now);
    if (!codes.ok) {
      return codes.retryable ? retryLater(db, send, describeCodesError(codes), 60_000) : finish(db, send, { status: "failed", lastError: describeCodesError(codes) }, "failed");
    }
    discountCode = codes.codes.get(recipient.id) ?? null;
  }

  const rendered = step.render(recipient, send.variant, discountCode);
  if (!rendered.ok) return finish(db, send, { status: "failed", lastError: `render: ${rendered.error.message}` }, "failed");
  const voice = settings.brandVoice;
  if (!voice.sender.email) return retryLater(db, send, "no sender address set in the brand voice settings", 3_600_000);
  const message: OutgoingEmail = {
    idempotencyKey: send.idempotencyKey,
    to: { email: send.email, ...(recipient.firstName ? { name: recipient.firstName } : {}) },
    from: { email: voice.sender.email, name: voice.sender.name },
    ...(voice.sender.replyTo ? { replyTo: voice.sender.replyTo } : {}),
    subject: rendered.email.subject,
    html: rendered.email.html,
    text: rendered.email.text,
    headers: rendered.email.headers,
    tags: [campaign.kind],
    metadata: { shop: shop.slice(0, 200), campaign: campaign.id, send: send.id },
  };
  const sent = await deps.adapter.send(message);
  if (sent.ok) {
    return finish(db, send, { status: "sent", sentAt: now, providerMessageId: sent.providerMessageId, lastError: null }, "sent");
  }
  return handleEspError(db, send, sent.error);
}

async function handleEspError(db: Db, send: Send, error: EspError): Promise<Outcome> {
  const reason = `${error.type}${"reason" in error && error.reason ? `: ${error.reason}` : ""}`;
  switch (error.type) {
    case "invalid_recipient":
      // The provider says the address cannot receive mail: never try it again.
      await db.suppression.upsert({
        where: { shop_email: { shop: send.shop, email: send.email } },
        create: { shop: send.shop, email: send.email, reason: "hard_bounce", source: "send" },
        update: {},
      });
      return finish(db, send, { status: "failed", lastError: reason }, "failed");
    case "rejected":
      return finish(db, send, { status: "failed", lastError: reason }, "failed");
    case "auth_failed":
      await db.espConnection.updateMany({ where: { shop: send.shop }, data: { status: "failing", lastError: "the provider refused the credentials" } });
      await retryLater(db, send, reason, 15 * 60_000);
      return { counter: "deferred", retryAfterMs: 15 * 60_000 };
    case "rate_limited":
      await retryLater(db, send, reason, error.retryAfterMs, false);
      return { counter: "deferred", retryAfterMs: Math.max(1_000, error.retryAfterMs) };
    default: {
      const delay = Math.min(DAY, 30_000 * 2 ** Math.max(0, send.attempts - 1));
      if (send.attempts + 1 >= MAX_ATTEMPTS) return finish(db, send, { status: "failed", lastError: reason }, "failed");
      await retryLater(db, send, reason, delay);
      return { counter: "deferred", retryAfterMs: delay };
    }
  }
}

async function retryLater(db: Db, send: Send, reason: string, delayMs: number, countsAsAttempt = true): Promise<Outcome> {
  await db.send.update({
    where: { id: send.id },
    data: {
      status: "scheduled",
      lockedAt: null,
      lastError: reason,
      scheduledAt: new Date(Date.now() + delayMs),
      ...(countsAsAttempt ? {} : { attempts: { decrement: 1 } }),
    },
  });
  return { counter: "deferred" };
}

async function finish(
  db: Db,
  send: Send,
  data: { status: string; skipReason?: string; lastError?: string | null; sentAt?: Date; providerMessageId?: string },
  counter: Outcome["counter"],
): Promise<Outcome> {
  await db.send.update({ where: { id: send.id }, data: { ...data, lockedAt: null } });
  return { counter };
}

async function sendFacts(
  db: Db,
  settings: ShopSettings,
  campaign: Campaign,
  plan: CampaignPlan,
  send: Send,
  recipient: CampaignRecipient,
  sendingPaused: boolean,
  now: Date,
) {
  const { shop } = campaign;
  const voice = settings.brandVoice;
  const customer = send.customerId
    ? await db.customer.findFirst({ where: { shop, id: send.customerId }, select: { emailConsentState: true, timezone: true, deletedAt: true } })
    : null;
  const checkout = recipient.checkoutToken
    ? await db.checkout.findFirst({ where: { shop, token: recipient.checkoutToken }, select: { buyerAcceptsMarketing: true, completedAt: true } })
    : null;
  const since = recipient.anchorAt ?? campaign.createdAt;
  const [suppressed, sentInCapWindow, orders, shopRow] = await Promise.all([
    db.suppression.findUnique({ where: { shop_email: { shop, email: send.email } } }),
    db.send.count({ where: { shop, email: send.email, status: "sent", sentAt: { gte: new Date(now.getTime() - voice.sending.capWindowDays * DAY) } } }),
    db.order.count({
      where: {
        shop,
        processedAt: { gt: since },
        OR: [{ email: send.email }, ...(send.customerId ? [{ customerId: send.customerId }] : []), ...(recipient.checkoutToken ? [{ checkoutToken: recipient.checkoutToken }] : [])],
      },
    }),
    db.shop.findUniqueOrThrow({ where: { shop }, select: { ianaTimezone: true } }),
  ]);
  const productIds = JSON.parse(recipient.products) as string[];
  const sellable = await db.variant.groupBy({
    by: ["productId"],
    where: { shop, productId: { in: productIds }, deletedAt: null, OR: [{ availableQuantity: null }, { availableQuantity: { gt: 0 } }, { inventoryPolicy: "continue" }] },
  });
  return {
    now,
    sendingPaused,
    consent: customer && !customer.deletedAt ? (customer.emailConsentState as never) : null,
    checkoutConsent: plan.acceptsMarketingCountsAsConsent && Boolean(checkout?.buyerAcceptsMarketing),
    suppressed: Boolean(suppressed),
    sentInCapWindow,
    frequencyCap: voice.sending.frequencyCap,
    orderedSinceStart: orders > 0 || Boolean(checkout?.completedAt),
    exitOnOrder: plan.exitOn.includes("ordered"),
    productsTotal: productIds.length,
    productsUnavailable: productIds.length - sellable.length,
    timeZone: customer?.timezone ?? shopRow.ianaTimezone,
    quietHours: voice.sending.quietHours,
    windowEndsAt: send.windowEndsAt,
  };
}

/** A campaign whose rows are all settled is sent. */
async function finishCampaigns(db: Db, shop: string, campaigns: Campaign[], now: Date): Promise<void> {
  for (const campaign of campaigns) {
    if (campaign.status !== "sending") continue;
    const open = await db.send.count({ where: { shop, campaignId: campaign.id, status: { in: ["scheduled", "sending"] } } });
    if (open === 0) await transitionCampaign(db, shop, campaign.id, "sent", { kind: "system", id: "dispatcher" }, null, now);
  }
}
