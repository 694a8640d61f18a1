import type { Customer } from "@prisma/client";
import type { Db } from "~/db.server";
import { angleLabel, heldBackProducts, heldBecause, summariseAngles, type EmailOutcome } from "~/campaigns/contact-memory";
import { loadContactMemories } from "~/campaigns/contact-memory.server";
import { STYLE_LABELS } from "~/campaigns/performance";
import { subjectStyle } from "~/delivery/learning.server";
import { loadShopSettings } from "~/shops/settings.server";

// The customer page's contact memory (ADR 017): what they received, how they responded, and what the
// next campaigns hold back for them and why. A redacted customer has none.

const DAY = 86_400_000;
const RECEIVED_SHOWN = 20;

export const OUTCOME_LABELS: Record<EmailOutcome, string> = {
  ordered: "ordered",
  clicked: "clicked",
  unsubscribed: "unsubscribed",
  ignored: "no response",
  waiting: "too early to tell",
};

export async function customerMemory(db: Db, shop: string, customer: Pick<Customer, "email" | "redactedAt">, now = new Date()) {
  const settings = (await loadShopSettings(db, shop)).personalisation.memory;
  const empty = { received: [], heldBack: [], angles: [], unsubscribed: false, settings };
  if (!customer.email || customer.redactedAt) return empty;
  const memory = (await loadContactMemories(db, shop, [customer.email], now, { settings, withSubjects: true })).get(customer.email.toLowerCase());
  if (!memory) return empty;
  const received = memory.received.slice(0, RECEIVED_SHOWN);
  const held = heldBackProducts(memory, now, settings);
  const productIds = [...new Set([...received.flatMap((email) => [...email.productIds, ...email.clickedProductIds, ...email.orderedProductIds]), ...held.map((h) => h.productId)])];
  const titles = new Map((await db.product.findMany({ where: { shop, id: { in: productIds } }, select: { id: true, title: true } })).map((p) => [p.id, p.title]));
  const title = (id: string) => titles.get(id) ?? `Product ${id}`;
  return {
    settings,
    unsubscribed: memory.unsubscribed,
    received: received.map((email) => ({
      sendId: email.sendId,
      campaignId: email.campaignId,
      campaignTitle: email.campaignTitle,
      step: email.step,
      sentAt: email.sentAt.toISOString(),
      angle: angleLabel(email.angle),
      purpose: email.purpose?.replaceAll("_", " ") ?? null,
      subject: email.subject,
      // How the subject reads (the learning loop's labels), judged against the products it showed.
      subjectStyle: email.subject ? STYLE_LABELS[subjectStyle(email.subject, email.productIds.map(title))] : null,
      products: email.productIds.map(title),
      outcome: OUTCOME_LABELS[email.outcome],
      clicked: email.clickedProductIds.map(title),
      ordered: email.orderedProductIds.map(title),
    })),
    heldBack: held.map((item) => ({
      productId: item.productId,
      title: title(item.productId),
      because: heldBecause(item),
      until: new Date(item.lastShownAt.getTime() + settings.productWindowDays * DAY).toISOString(),
    })),
    angles: summariseAngles(memory, settings).map((angle) => ({ ...angle, excludedUntil: angle.excludedUntil?.toISOString() ?? null })),
  };
}
