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
}

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

  const campaignIds = [...new Set(sends.map((send) => send.campaignId))];
  const sendIds = sends.map((send) => send.id);
  const [campaigns, recipients, sendEvents, looseEvents, attributions] = await Promise.all([
    inChunks(campaignIds, (chunk) =>
      db.campaign.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, title: true, kind: true, angle: true, plan: true, currentVersionId: true } }),
    ),
    inChunks(
      sends.map((send) => send.recipientId),
      (chunk) => db.campaignRecipient.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, products: true, ...(options.withSubjects && { evidence: true }) } }),
    ),
    inChunks(sendIds, (chunk) =>
      db.emailEvent.findMany({
        where: { shop, sendId: { in: chunk }, type: { in: [...RESPONSE_TYPES] } },
        select: { sendId: true, campaignId: true, email: true, type: true, url: true, occurredAt: true },
      }),
    ),
    // Our unsubscribe link names the campaign and address but no send.
    inChunks(
      [...new Set(sends.map((send) => send.email))],
      (chunk) =>
        db.emailEvent.findMany({
          where: { shop, sendId: null, email: { in: chunk }, type: { in: [...RESPONSE_TYPES] }, occurredAt: { gte: since } },
          select: { sendId: true, campaignId: true, email: true, type: true, url: true, occurredAt: true },
        }),
    ),
    inChunks(campaignIds, (chunk) =>
      db.orderAttribution.findMany({ where: { shop, campaignId: { in: chunk }, orderedAt: { gte: since } }, select: { orderId: true, campaignId: true, sendId: true, orderedAt: true } }),
    ),
  ]);

  const campaignById = new Map(campaigns.map((campaign) => [campaign.id, { ...campaign, purposes: goalPurposes(campaign.plan) }]));
  const recipientById = new Map(recipients.map((recipient) => [recipient.id, recipient]));
  const sendById = new Map(sends.map((send) => [send.id, send]));
  const subjects = options.withSubjects ? await subjectReader(db, shop, campaigns) : null;

  const emailsOut = new Map<string, SentEmail[]>();
  for (const send of sends) {
    const campaign = campaignById.get(send.campaignId);
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

  // Which product a click went to, from the product URL in the email (`/products/<handle>`).
  const handles = new Map<string, string>();
  const clickHandles = [...new Set([...sendEvents, ...looseEvents].flatMap((event) => (event.type === "click" && event.url ? [productHandle(event.url)].filter((h): h is string => h !== null) : [])))];
  for (const product of await inChunks(clickHandles, (chunk) => db.product.findMany({ where: { shop, handle: { in: chunk } }, select: { id: true, handle: true } }))) {
    handles.set(product.handle, product.id);
  }

  const responses = new Map<string, EmailResponse[]>();
  const addResponse = (email: string | null, response: EmailResponse) => {
    if (!email || !emailsOut.has(email)) return;
    const list = responses.get(email) ?? [];
    list.push(response);
    responses.set(email, list);
  };
  for (const event of [...sendEvents, ...looseEvents]) {
    const send = event.sendId ? sendById.get(event.sendId) : undefined;
    const handle = event.type === "click" && event.url ? productHandle(event.url) : null;
    const productId = handle ? handles.get(handle) : undefined;
    addResponse(send?.email ?? event.email?.toLowerCase() ?? null, {
      type: event.type as EmailResponse["type"],
      campaignId: event.campaignId ?? send?.campaignId ?? null,
      sendId: event.sendId,
      at: event.occurredAt,
      productIds: productId ? [productId] : [],
    });
  }
  await addOrders(db, shop, attributions, sendById, addResponse);

  const memories = new Map<string, ContactMemory>();
  for (const [email, list] of emailsOut) memories.set(email, deriveContactMemory(list, responses.get(email) ?? [], now, settings));
  return memories;
}

/** Attributed orders as responses, with what was in them; credited to the address of their send or order. */
async function addOrders(
  db: Db,
  shop: string,
  attributions: Array<{ orderId: string; campaignId: string; sendId: string | null; orderedAt: Date }>,
  sendById: Map<string, { email: string }>,
  add: (email: string | null, response: EmailResponse) => void,
): Promise<void> {
  if (!attributions.length) return;
  const orderIds = attributions.map((a) => a.orderId);
  const [orders, lines] = await Promise.all([
    inChunks(orderIds, (chunk) => db.order.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, email: true } })),
    inChunks(orderIds, (chunk) => db.orderLine.findMany({ where: { shop, orderId: { in: chunk } }, select: { orderId: true, productId: true } })),
  ]);
  const orderEmail = new Map(orders.map((order) => [order.id, order.email?.toLowerCase() ?? null]));
  const productsOf = Map.groupBy(lines, (line) => line.orderId);
  for (const attribution of attributions) {
    const email = (attribution.sendId ? sendById.get(attribution.sendId)?.email : undefined) ?? orderEmail.get(attribution.orderId) ?? null;
    add(email, {
      type: "order",
      campaignId: attribution.campaignId,
      sendId: attribution.sendId,
      at: attribution.orderedAt,
      productIds: (productsOf.get(attribution.orderId) ?? []).flatMap((line) => (line.productId ? [line.productId] : [])),
    });
  }
}

/** The subject line a send had: its segment's draft (or the step's), the variant's subject. */
async function subjectReader(db: Db, shop: string, campaigns: Array<{ id: string; currentVersionId: string | null }>) {
  const versionIds = campaigns.flatMap((campaign) => (campaign.currentVersionId ? [campaign.currentVersionId] : []));
  const versions = await inChunks(versionIds, (chunk) => db.campaignVersion.findMany({ where: { shop, id: { in: chunk } }, select: { campaignId: true, content: true } }));
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

/** The audience segment a recipient was written for (ADR 017), from their evidence. */
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
