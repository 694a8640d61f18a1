import { randomUUID } from "node:crypto";
import type { Campaign, CampaignRecipient, Send } from "@prisma/client";
import { contentOf, transitionCampaign } from "~/campaigns/campaigns.server";
import { prepareStep, type PreparedStep } from "~/campaigns/personalise.server";
import { campaignPlanSchema, type CampaignPlan } from "~/campaigns/sequence";
import type { Db } from "~/db.server";
import { adminForShop } from "~/integrations/shopify/admin.server";
import type { EspAdapter, EspError, OutgoingEmail } from "~/integrations/esp/types";
import { inChunks } from "~/lib/chunks";
import { errorMessage, log } from "~/lib/logger.server";
import { loadShopSettings, type ShopSettings } from "~/shops/settings.server";
import { ensureShop, isInstalled } from "~/shops/shops.server";
import { decideBatch } from "./budget";
import { allocateVariants, finishCampaigns } from "./campaign-progress.server";
import type { SendDecision, SendFacts } from "./checks";
import { recoveryIdentities, type RecoveryIdentities } from "./identity-check.server";
import { standingAlertRequests } from "./alert-requests.server";
import { batchDiscountCodes, describeCodesError } from "./discount-codes.server";
import { nextRecoveryAt, recoverStuckSends } from "./interrupted-sends.server";
import { suppressedAmong } from "./suppression.server";
import { explain, loadWhyContext } from "./why.server";

// Works the due rows of a shop's send ledger. A batch of rows is claimed (scheduled → sending, tagged
// with this run's id) by one conditional update, so no two workers ever hold the same row. The facts
// for the checks are read for the whole batch at once, each row is checked again (consent,
// suppression, caps, quiet hours, exits, stock), rendered, and handed to the ESP with its idempotency
// key; the outcome goes back into the row.

const BATCH = 200;
const PARALLEL_SENDS = 8;
const MAX_ATTEMPTS = 8;
const MAX_RETRY_PAUSE_MS = 3_600_000;
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
  /** Stop and come back after this (rate limit, provider down, bad credentials). */
  retryAfterMs: number | null;
  /** When the next row of this shop is due, if any. */
  nextDueAt: Date | null;
}

type Counter = "sent" | "skipped" | "deferred" | "failed";

export async function dispatchDueSends(db: Db, shop: string, deps: DispatchDeps): Promise<DispatchResult> {
  const now = deps.now?.() ?? new Date();
  const result: DispatchResult = { sent: 0, skipped: 0, deferred: 0, failed: 0, retryAfterMs: null, nextDueAt: null };
  await recoverStuckSends(db, shop, now);
  const [shopRow, settings] = await Promise.all([ensureShop(db, shop), loadShopSettings(db, shop)]);
  const campaigns = new Map(
    (await db.campaign.findMany({ where: { shop, status: { in: ["scheduled", "sending"] } } })).map((campaign) => [campaign.id, campaign]),
  );
  const claimed = await claimBatch(db, shop, [...campaigns.keys()], now);
  for (const campaignId of new Set(claimed.map((send) => send.campaignId))) {
    const campaign = campaigns.get(campaignId)!;
    if (campaign.status === "scheduled") {
      await transitionCampaign(db, shop, campaignId, "sending", { kind: "system", id: "dispatcher" }, null, now);
      campaign.status = "sending";
    }
  }

  const facts = await loadFacts(db, shop, settings, claimed, campaigns, shopRow.ianaTimezone, shopRow.sendingPaused || !isInstalled(shopRow), now);
  await allocateVariants(db, shop, claimed, campaigns);
  const plans = new Map([...campaigns.values()].map((campaign) => [campaign.id, campaignPlanSchema.parse(JSON.parse(campaign.plan))]));
  // The budget ranks each recipient's due messages by expected value before any goes out.
  const decisions = decideBatch(
    claimed.map((send) => ({ id: send.id, email: send.email, expectedValue: send.expectedValue, scheduledAt: send.scheduledAt, facts: facts.factsFor(send, campaigns.get(send.campaignId)!, plans.get(send.campaignId)!) })),
  );
  const reasons = await loadWhyContext(db, shop, campaigns);
  const mailed = claimed.filter((send) => decisions.get(send.id)?.action === "send" && plans.get(send.campaignId)!.steps[send.step]?.offerPercent);
  const codes = batchDiscountCodes(db, shop, mailed, now);
  let stop: number | null = null;
  const queue = [...claimed];
  const worker = async () => {
    for (let send = queue.shift(); send; send = queue.shift()) {
      if (stop !== null) {
        await release(db, send); // the provider asked us to back off: leave the rest for the next run
        continue;
      }
      try {
        const campaign = campaigns.get(send.campaignId)!;
        const decision = decisions.get(send.id)!;
        const why = explain(reasons, campaign, send, facts, plans.get(send.campaignId)!, decision, now);
        const outcome = await sendOne(db, settings, campaign, plans.get(send.campaignId)!, send, { decision, why, recipient: facts.recipients.get(send.recipientId)!, codes }, deps, now);
        result[outcome.counter]++;
        if (outcome.retryAfterMs !== undefined) stop = Math.max(stop ?? 0, outcome.retryAfterMs);
      } catch (error) {
        // Unexpected: put the row back for a later attempt rather than lose it.
        await release(db, send, errorMessage(error));
        log.error("dispatch: send failed unexpectedly", { shop, sendId: send.id, error: errorMessage(error) });
        stop = 60_000;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_SENDS }, worker));
  result.retryAfterMs = stop;

  await finishCampaigns(db, shop, [...campaigns.values()], now);
  const next = await db.send.findFirst({
    where: { shop, status: "scheduled", campaignId: { in: [...campaigns.keys()] } },
    orderBy: { scheduledAt: "asc" },
    select: { scheduledAt: true },
  });
  // Rows another (possibly dead) dispatcher holds keep the chain going until they can be recovered.
  const recovery = await nextRecoveryAt(db, shop);
  const candidates = [next?.scheduledAt, recovery].filter((at): at is Date => at instanceof Date);
  result.nextDueAt = candidates.length ? new Date(Math.min(...candidates.map((at) => at.getTime()))) : null;
  return result;
}

async function claimBatch(db: Db, shop: string, campaignIds: string[], now: Date): Promise<Send[]> {
  const due = await db.send.findMany({
    where: { shop, status: "scheduled", scheduledAt: { lte: now }, campaignId: { in: campaignIds } },
    orderBy: { scheduledAt: "asc" },
    take: BATCH,
    select: { id: true },
  });
  if (!due.length) return [];
  const claim = randomUUID();
  await db.send.updateMany({
    where: { id: { in: due.map((row) => row.id) }, status: "scheduled" },
    data: { status: "sending", lockedAt: now, claimedBy: claim, attempts: { increment: 1 } },
  });
  return db.send.findMany({ where: { shop, claimedBy: claim, status: "sending" } });
}

interface BatchFacts {
  recipients: Map<string, CampaignRecipient>;
  factsFor(send: Send, campaign: Campaign, plan: CampaignPlan): SendFacts;
  /** Recovery campaigns: the purchase check under every identity of the shopper (null for others). */
  identity: RecoveryIdentities;
}

/** Everything the checks need for a batch, in a handful of queries. */
async function loadFacts(
  db: Db,
  shop: string,
  settings: ShopSettings,
  sends: Send[],
  campaigns: Map<string, Campaign>,
  shopTimeZone: string,
  sendingPaused: boolean,
  now: Date,
): Promise<BatchFacts> {
  const voice = settings.brandVoice;
  const emails = [...new Set(sends.map((send) => send.email))];
  const customerIds = sends.flatMap((send) => (send.customerId ? [send.customerId] : []));
  const recipients = new Map((await inChunks(sends.map((s) => s.recipientId), (chunk) => db.campaignRecipient.findMany({ where: { shop, id: { in: chunk } } }))).map((r) => [r.id, r]));
  const tokens = [...recipients.values()].flatMap((r) => (r.checkoutToken ? [r.checkoutToken] : []));
  const earliest = new Date(Math.min(now.getTime() - 30 * DAY, ...[...recipients.values()].map((r) => (r.anchorAt ?? campaigns.get(r.campaignId)!.createdAt).getTime())));
  const productIds = [...new Set([...recipients.values()].flatMap((r) => JSON.parse(r.products) as string[]))];
  const [customers, checkouts, suppressed, recentSends, orders, sellable] = await Promise.all([
    inChunks(customerIds, (chunk) => db.customer.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, emailConsentState: true, timezone: true, deletedAt: true } })),
    inChunks(tokens, (chunk) => db.checkout.findMany({ where: { shop, token: { in: chunk } }, select: { token: true, cartToken: true, phone: true, buyerAcceptsMarketing: true, completedAt: true } })),
    suppressedAmong(db, shop, emails),
    inChunks(emails, (chunk) =>
      db.send.groupBy({
        by: ["email"],
        where: { shop, email: { in: chunk }, status: "sent", sentAt: { gt: new Date(now.getTime() - voice.sending.capWindowDays * DAY) } },
        _count: { _all: true },
        _min: { sentAt: true },
      }),
    ),
    inChunks(emails, (chunk) =>
      db.order.findMany({
        where: { shop, processedAt: { gt: earliest }, cancelledAt: null, OR: [{ email: { in: chunk } }, { customerId: { in: customerIds } }, { checkoutToken: { in: tokens } }] },
        select: { email: true, customerId: true, checkoutToken: true, processedAt: true },
      }),
    ),
    inChunks(productIds, (chunk) =>
      db.variant.groupBy({
        by: ["productId"],
        where: { shop, productId: { in: chunk }, deletedAt: null, OR: [{ availableQuantity: null }, { availableQuantity: { gt: 0 } }, { inventoryPolicy: "continue" }] },
      }),
    ),
  ]);
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const checkoutByToken = new Map(checkouts.map((c) => [c.token, c]));
  const suppressedEmails = suppressed;
  const sentCount = new Map(recentSends.map((row) => [row.email, row._count._all]));
  // The budget frees when the oldest send in the cap window ages out (or, with none yet, a window after now).
  const capWindowMs = voice.sending.capWindowDays * DAY;
  const oldestSent = new Map(recentSends.map((row) => [row.email, row._min.sentAt?.getTime() ?? now.getTime()]));
  const capFreesAt = (email: string) => new Date((oldestSent.get(email) ?? now.getTime()) + capWindowMs);
  const identity = await recoveryIdentities(db, shop, [...recipients.values()], campaigns, checkoutByToken);
  const requested = await standingAlertRequests(db, shop, [...recipients.values()]);
  const sellableIds = new Set(sellable.map((row) => row.productId));

  return {
    recipients,
    identity,
    factsFor(send, campaign, plan) {
      const recipient = recipients.get(send.recipientId)!;
      const customer = send.customerId ? customerById.get(send.customerId) : undefined;
      const checkout = recipient.checkoutToken ? checkoutByToken.get(recipient.checkoutToken) : undefined;
      const since = (recipient.anchorAt ?? campaign.createdAt).getTime();
      const ordered = orders.some(
        (order) =>
          order.processedAt.getTime() > since &&
          (order.email === send.email || (send.customerId !== null && order.customerId === send.customerId) || (recipient.checkoutToken !== null && order.checkoutToken === recipient.checkoutToken)),
      );
      const products = JSON.parse(recipient.products) as string[];
      return {
        now,
        sendingPaused,
        consent: customer && !customer.deletedAt ? (customer.emailConsentState as SendFacts["consent"]) : null,
        checkoutConsent: plan.acceptsMarketingCountsAsConsent && Boolean(checkout?.buyerAcceptsMarketing),
        requestedIt: requested.has(recipient.id),
        suppressed: suppressedEmails.has(send.email),
        sentInCapWindow: sentCount.get(send.email) ?? 0,
        frequencyCap: voice.sending.frequencyCap,
        capFreesAt: capFreesAt(send.email),
        orderedSinceStart: ordered || Boolean(checkout?.completedAt) || identity.check(recipient)?.purchase != null,
        exitOnOrder: plan.exitOn.includes("ordered"),
        productsTotal: products.length,
        productsUnavailable: products.filter((id) => !sellableIds.has(id)).length,
        timeZone: customer?.timezone ?? shopTimeZone,
        quietHours: voice.sending.quietHours,
        windowEndsAt: send.windowEndsAt,
      };
    },
  };
}

type Outcome = { counter: Counter; retryAfterMs?: number };

interface Decided {
  decision: SendDecision;
  /** Why (JSON), stored with the row's outcome. */
  why: (outcome: string) => string;
  recipient: CampaignRecipient;
  codes: ReturnType<typeof batchDiscountCodes>;
}

async function sendOne(db: Db, settings: ShopSettings, campaign: Campaign, plan: CampaignPlan, send: Send, decided: Decided, deps: DispatchDeps, now: Date): Promise<Outcome> {
  const { shop } = campaign;
  const { decision, recipient } = decided;
  if (decision.action === "skip") return finish(db, send, { status: "skipped", skipReason: decision.reason, why: decided.why(`not sent: ${decision.reason}`) }, "skipped");
  if (decision.action === "defer") {
    // Moved, not dropped: a move is not a delivery attempt; the first planned time is kept for the merchant.
    await db.send.update({
      where: { id: send.id },
      data: {
        status: "scheduled",
        scheduledAt: decision.until,
        lockedAt: null,
        claimedBy: null,
        plannedAt: send.plannedAt ?? send.scheduledAt,
        moves: { increment: 1 },
        moveReason: decision.reason,
        attempts: { decrement: 1 },
      },
    });
    return { counter: "deferred" };
  }

  const step = await preparedStep(db, settings, campaign, send.step, deps);
  if (typeof step === "string") return finish(db, send, { status: "failed", lastError: `cannot render: ${step}` }, "failed");

  let discountCode: string | null = null;
  const offer = plan.steps[send.step]?.offerPercent;
  if (offer) {
    const admin = await adminForShop(db, shop);
    if (!admin.ok) return retryLater(db, send, "no Shopify session to create the discount code", 3_600_000);
    const offerInfo = { campaignId: campaign.id, campaignTitle: campaign.title, step: send.step, percent: offer, validDays: 7 };
    const codes = await decided.codes(admin.data, offerInfo, recipient.id);
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
  if (sent.ok) return finish(db, send, { status: "sent", sentAt: now, providerMessageId: sent.providerMessageId, lastError: null, why: decided.why("sent") }, "sent");
  return handleEspError(db, send, sent.error);
}

// A step is compiled (MJML) and its products loaded once per process while it sends, not once per
// batch: compiling and loading every recipient's products costs about a second.
const PREPARED_TTL_MS = 10 * 60_000;
const preparedSteps = new Map<string, { step: Promise<PreparedStep | string>; expires: number }>();

function preparedStep(db: Db, settings: ShopSettings, campaign: Campaign, step: number, deps: DispatchDeps): Promise<PreparedStep | string> {
  const key = `${campaign.currentVersionId}:${step}:${JSON.stringify(settings.brandVoice)}`;
  const cached = preparedSteps.get(key);
  if (cached && cached.expires > Date.now()) return cached.step;
  for (const [staleKey, entry] of preparedSteps) if (entry.expires <= Date.now()) preparedSteps.delete(staleKey);
  const prepared = prepare(db, settings, campaign, step, deps);
  preparedSteps.set(key, { step: prepared, expires: Date.now() + PREPARED_TTL_MS });
  return prepared;
}

/** One campaign step with all its recipients' products (loaded once). */
async function prepare(db: Db, settings: ShopSettings, campaign: Campaign, step: number, deps: DispatchDeps): Promise<PreparedStep | string> {
  const version = await db.campaignVersion.findFirstOrThrow({ where: { id: campaign.currentVersionId!, shop: campaign.shop } });
  const recipients = await db.campaignRecipient.findMany({ where: { shop: campaign.shop, campaignId: campaign.id } });
  const result = await prepareStep(db, campaign, contentOf(version), step, recipients, {
    appUrl: deps.appUrl,
    linkKey: deps.linkKey,
    settings,
    shopName: (await ensureShop(db, campaign.shop)).name ?? campaign.shop,
    currency: campaign.currency,
  });
  return result.ok ? result.step : result.error.message;
}

async function handleEspError(db: Db, send: Send, error: EspError): Promise<Outcome> {
  const detail = "reason" in error && error.reason ? `: ${error.reason}` : "status" in error && error.status ? ` (status ${error.status})` : "message" in error && error.message ? `: ${error.message}` : "";
  const reason = `${error.type}${detail}`;
  // When the provider failed this row, for the admin's health view (throttling is not a failure).
  const failedAt = error.type === "rate_limited" ? undefined : new Date();
  switch (error.type) {
    case "invalid_recipient":
      // The provider says the address cannot receive mail: never try it again.
      await db.suppression.upsert({
        where: { shop_email: { shop: send.shop, email: send.email } },
        create: { shop: send.shop, email: send.email, reason: "hard_bounce", source: "send" },
        update: {},
      });
      return finish(db, send, { status: "failed", lastError: reason, lastErrorAt: failedAt }, "failed");
    case "rejected":
      return finish(db, send, { status: "failed", lastError: reason, lastErrorAt: failedAt }, "failed");
    case "auth_failed":
      await db.espConnection.updateMany({ where: { shop: send.shop }, data: { status: "failing", lastError: "the provider refused the credentials" } });
      await retryLater(db, send, reason, 15 * 60_000, true, failedAt);
      return { counter: "deferred", retryAfterMs: 15 * 60_000 };
    case "rate_limited":
      await retryLater(db, send, reason, error.retryAfterMs, false);
      return { counter: "deferred", retryAfterMs: Math.max(1_000, error.retryAfterMs) };
    default: {
      // Provider down or unreachable: try again with growing pauses (at most an hour, so sending
      // resumes soon after it recovers) for as long as the message is still worth sending: until its
      // send window closes, or MAX_ATTEMPTS tries for a row without one. A long outage must not
      // fail messages that would go out fine an hour later.
      const delay = Math.min(MAX_RETRY_PAUSE_MS, 30_000 * 2 ** Math.max(0, send.attempts - 1));
      const nextTry = Date.now() + delay;
      const worthTrying = send.windowEndsAt ? nextTry <= send.windowEndsAt.getTime() : send.attempts < MAX_ATTEMPTS;
      if (!worthTrying) {
        const why = send.windowEndsAt ? `${reason}; still failing when the send window closed` : reason;
        return finish(db, send, { status: "failed", lastError: why, lastErrorAt: failedAt }, "failed");
      }
      await retryLater(db, send, reason, delay, true, failedAt);
      return { counter: "deferred", retryAfterMs: delay };
    }
  }
}

async function release(db: Db, send: Send, lastError?: string): Promise<void> {
  await db.send.updateMany({
    where: { id: send.id, status: "sending" },
    data: { status: "scheduled", lockedAt: null, claimedBy: null, attempts: { decrement: 1 }, ...(lastError && { lastError }) },
  });
}

async function retryLater(db: Db, send: Send, reason: string, delayMs: number, countsAsAttempt = true, failedAt?: Date): Promise<Outcome> {
  await db.send.update({
    where: { id: send.id },
    data: {
      status: "scheduled",
      lockedAt: null,
      claimedBy: null,
      lastError: reason,
      ...(failedAt && { lastErrorAt: failedAt }),
      scheduledAt: new Date(Date.now() + delayMs),
      ...(countsAsAttempt ? {} : { attempts: { decrement: 1 } }),
    },
  });
  return { counter: "deferred" };
}

async function finish(
  db: Db,
  send: Send,
  data: { status: string; skipReason?: string; lastError?: string | null; lastErrorAt?: Date; sentAt?: Date; providerMessageId?: string; why?: string },
  counter: Counter,
): Promise<Outcome> {
  await db.send.update({ where: { id: send.id }, data: { ...data, lockedAt: null } });
  return { counter };
}
