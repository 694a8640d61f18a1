import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import { contentOf, draftFor } from "./campaigns.server";
import { deriveContactMemory, DEFAULT_MEMORY_SETTINGS, type ContactMemory, type EmailResponse, type MemorySettings, type SentEmail } from "./contact-memory";

// Loads the contact memory of many customers at once, from the tables that already hold it (ADR
// 016): the send ledger (what went out, when), the recipients' product blocks, the campaigns (kind,
// angle, a goal step's purpose), ESP and link events (clicks, unsubscribes, complaints) and order
// attributions. Every query is scoped by shop and chunked; a shop with no history costs one indexed
// query per 500 addresses.

const DAY = 86_400_000;
const RESPONSE_TYPES = ["click", "unsubscribe", "complaint"] as const;

export interface LoadOptions {
  settings?: MemorySettings;
  /** Also read the subject each email had (the admin page shows it; building does not need it). */
  withSubjects?: boolean;
  /** Shared by the calls of one build, so each campaign's facts are read once across chunks. */
  cache?: CampaignFactsCache;
}

/** What a campaign contributes to every recipient's memory: its kind and angle, and its responses by address. */
interface CampaignFacts {
  title: string;
  kind: string;
  angle: string;
  purposes: Array<string | null>;
  currentVersionId: string | null;
  responses: Map<string, EmailResponse[]>;
}
export type CampaignFactsCache = Map<string, CampaignFacts>;

/** Memory per address (lowercase), for every address that received anything in the lookback. */
export async function loadContactMemories(db: Db, shop: string, emails: readonly string[], now: Date, options: LoadOptions = {}): Promise<Map<string, ContactMemory>> {
  const settings = options.settings ?? DEFAULT_MEMORY_SETTINGS;
  const since = new Date(now.getTime() - Math.max(settings.lookbackDays, settings.productWindowDays) * DAY);
  const sends = await inChunks(
    emails.map((email) => email.toLowerCase()),
    (chunk) =>
      db.send.findMany({
        where: { shop, email: { in: chunk }, status: "sent", sentAt: { gte: since, lte: now } },
        select: { id: true, campaignId: true, step: true, recipientId: true, email: true, sentAt: true, variant: true },
      }),
  );
  if (!sends.length) return new Map();

  const cache = options.cache ?? new Map();
  const [recipients] = await Promise.all([
    inChunks(
      sends.map((send) => send.recipientId),
      (chunk) => db.campaignRecipient.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, products: true, ...(options.withSubjects && { evidence: true }) } }),
    ),
    loadCampaignFacts(db, shop, [...new Set(sends.map((send) => send.campaignId))], since, cache),
  ]);
  const recipientById = new Map(recipients.map((recipient) => [recipient.id, recipient]));
  const subjects = options.withSubjects ? await subjectReader(db, shop, [...new Set(sends.map((send) => cache.get(send.campaignId)?.currentVersionId ?? null))]) : null;

  const emailsOut = new Map<string, SentEmail[]>();
  for (const send of sends) {
    const campaign = cache.get(send.campaignId);
    if (!campaign) continue;
    const recipient = recipientById.get(send.recipientId);
    const segment = recipient && "evidence" in recipient ? segmentOf(recipient.evidence as string) : null;
    const list = emailsOut.get(send.email) ?? [];
    list.push({
      sendId: send.id,
      campaignId: send.campaignId,
      campaignTitle: campaign.title,
      step: send.step,
      sentAt: send.sentAt!,
      kind: campaign.kind,
      angle: campaign.angle,
      purpose: campaign.purposes[send.step] ?? null,
      productIds: recipient ? parseIds(recipient.products) : [],
      subject: subjects?.(send.campaignId, send.step, segment, send.variant) ?? null,
      segment,
    });
    emailsOut.set(send.email, list);
  }

  const memories = new Map<string, ContactMemory>();
  for (const [email, list] of emailsOut) {
    const responses = [...new Set(list.map((sent) => sent.campaignId))].flatMap((id) => cache.get(id)?.responses.get(email) ?? []);
    memories.set(email, deriveContactMemory(list, responses, now, settings));
  }
  return memories;
}

/**
 * The campaigns not in the cache yet: their rows, responses (clicks with the product when the link
 * was one, unsubscribes, complaints) and attributed orders, grouped by address. One indexed query
 * per 500 campaigns for each, rather than one per 500 sends.
 */
async function loadCampaignFacts(db: Db, shop: string, campaignIds: string[], since: Date, cache: CampaignFactsCache): Promise<void> {
  const missing = campaignIds.filter((id) => !cache.has(id));
  if (!missing.length) return;
  const [campaigns, events, attributions] = await Promise.all([
    inChunks(missing, (chunk) => db.campaign.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, title: true, kind: true, angle: true, plan: true, currentVersionId: true } })),
    inChunks(missing, (chunk) =>
      db.emailEvent.findMany({
        where: { shop, campaignId: { in: chunk }, type: { in: [...RESPONSE_TYPES] }, occurredAt: { gte: since } },
        select: { sendId: true, campaignId: true, email: true, type: true, url: true, occurredAt: true },
      }),
    ),
    inChunks(missing, (chunk) =>
      db.orderAttribution.findMany({ where: { shop, campaignId: { in: chunk }, orderedAt: { gte: since } }, select: { orderId: true, campaignId: true, sendId: true, orderedAt: true } }),
    ),
  ]);
  for (const campaign of campaigns) {
    cache.set(campaign.id, { title: campaign.title, kind: campaign.kind, angle: campaign.angle, purposes: goalPurposes(campaign.plan), currentVersionId: campaign.currentVersionId, responses: new Map() });
  }
  const add = (campaignId: string, email: string | null | undefined, response: EmailResponse) => {
    const facts = cache.get(campaignId);
    if (!facts || !email) return;
    const key = email.toLowerCase();
    const list = facts.responses.get(key);
    if (list) list.push(response);
    else facts.responses.set(key, [response]);
  };

  // Events name their address; ESP events matched to a send may not, so the send's is used.
  const unnamed = events.flatMap((event) => (!event.email && event.sendId ? [event.sendId] : []));
  const attributedSends = attributions.flatMap((a) => (a.sendId ? [a.sendId] : []));
  const sendEmails = new Map(
    (await inChunks([...unnamed, ...attributedSends], (chunk) => db.send.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, email: true } }))).map((send) => [send.id, send.email]),
  );
  // Which product a click went to, from the product URL in the email (`/products/<handle>`).
  const clickHandles = [...new Set(events.flatMap((event) => (event.type === "click" && event.url ? (productHandle(event.url) ?? []) : [])))];
  const productByHandle = new Map(
    (await inChunks(clickHandles, (chunk) => db.product.findMany({ where: { shop, handle: { in: chunk } }, select: { id: true, handle: true } }))).map((p) => [p.handle, p.id]),
  );
  for (const event of events) {
    const handle = event.type === "click" && event.url ? productHandle(event.url) : null;
    const productId = handle ? productByHandle.get(handle) : undefined;
    add(event.campaignId!, event.email ?? (event.sendId ? sendEmails.get(event.sendId) : null), {
      type: event.type as EmailResponse["type"],
      campaignId: event.campaignId,
      sendId: event.sendId,
      at: event.occurredAt,
      productIds: productId ? [productId] : [],
    });
  }

  if (!attributions.length) return;
  const orderIds = attributions.map((a) => a.orderId);
  const [orders, lines] = await Promise.all([
    inChunks(orderIds, (chunk) => db.order.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, email: true } })),
    inChunks(orderIds, (chunk) => db.orderLine.findMany({ where: { shop, orderId: { in: chunk } }, select: { orderId: true, productId: true } })),
  ]);
  const orderEmail = new Map(orders.map((order) => [order.id, order.email]));
  const productsOf = Map.groupBy(lines, (line) => line.orderId);
  for (const attribution of attributions) {
    // Credited to the address the email went to, else the order's.
    add(attribution.campaignId, (attribution.sendId ? sendEmails.get(attribution.sendId) : undefined) ?? orderEmail.get(attribution.orderId), {
      type: "order",
      campaignId: attribution.campaignId,
      sendId: attribution.sendId,
      at: attribution.orderedAt,
      productIds: (productsOf.get(attribution.orderId) ?? []).flatMap((line) => (line.productId ? [line.productId] : [])),
    });
  }
}

/** The subject line a send had: its segment's draft (or the step's), the variant's subject. */
async function subjectReader(db: Db, shop: string, versionIds: Array<string | null>) {
  const ids = versionIds.filter((id): id is string => id !== null);
  const versions = await inChunks(ids, (chunk) => db.campaignVersion.findMany({ where: { shop, id: { in: chunk } }, select: { campaignId: true, content: true } }));
  const contents = new Map(versions.map((version) => [version.campaignId, contentOf(version)]));
  return (campaignId: string, step: number, segment: string | null, variant: number): string | null => {
    const stepContent = contents.get(campaignId)?.steps[step];
    if (!stepContent) return null;
    const own = draftFor(stepContent, segment);
    const index = own.subjectVariants[variant % Math.max(1, own.subjectVariants.length)] ?? 0;
    return own.draft.subjects[index] ?? null;
  };
}

function goalPurposes(planJson: string): Array<string | null> {
  try {
    const plan = JSON.parse(planJson) as { goal?: { steps?: Array<{ purpose?: unknown }> } };
    return (plan.goal?.steps ?? []).map((step) => (typeof step.purpose === "string" ? step.purpose : null));
  } catch {
    return [];
  }
}

function parseIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

/** The audience segment a recipient was written for (ADR 018), from their evidence. */
export function segmentOf(evidenceJson: string): string | null {
  try {
    const evidence = JSON.parse(evidenceJson) as { segment?: { id?: unknown } };
    return typeof evidence.segment?.id === "string" ? evidence.segment.id : null;
  } catch {
    return null;
  }
}

function productHandle(url: string): string | null {
  try {
    const match = /\/products\/([^/?#]+)/.exec(new URL(url).pathname);
    return match ? decodeURIComponent(match[1]) : null;
  } catch {
    return null;
  }
}
