import { z } from "zod";

// Per-customer contact memory, pure: from the emails a customer was sent (which campaign, angle,
// purpose, products, subject, when) and what came back (clicks, with the product when the link was a
// product's, attributed orders, unsubscribes and complaints), what they received and how they
// responded; and from that, what the next campaign should hold back (products shown recently without
// a response) and how an angle scores for them (ignored again and again, or clicked and bought).
// Derived on demand from the send ledger and its feedback (ADR 017); nothing here is stored.

export const personalisationSettingsSchema = z.object({
  memory: z
    .object({
      /** A product shown in this many days without a click or an order is not shown again (except the campaign's own). */
      productWindowDays: z.number().int().min(7).max(60).default(21),
      /** This many emails of one angle in a row without a response leave the customer out of that angle. */
      fatigueAfter: z.number().int().min(2).max(10).default(3),
      /** Emails older than this are forgotten for angle scoring. */
      lookbackDays: z.number().int().min(30).max(365).default(90),
      /** An email younger than this is still "waiting" rather than ignored: most clicks come in two days. */
      responseWindowDays: z.number().int().min(1).max(7).default(3),
    })
    .prefault({}),
  segments: z
    .object({
      enabled: z.boolean().default(true),
      /** Segments with their own copy need this many recipients (and a tenth of the audience). */
      minSize: z.number().int().min(3).max(5_000).default(25),
      max: z.number().int().min(1).max(3).default(3),
      /** Whether a segment may lean the brand's tone to a neighbouring preset. */
      toneNudges: z.boolean().default(true),
    })
    .prefault({}),
});
export type PersonalisationSettings = z.output<typeof personalisationSettingsSchema>;
export type MemorySettings = PersonalisationSettings["memory"];
export const DEFAULT_MEMORY_SETTINGS: MemorySettings = personalisationSettingsSchema.parse({}).memory;

/** One email that was sent to the customer. */
export interface SentEmail {
  sendId: string;
  campaignId: string;
  campaignTitle: string;
  step: number;
  sentAt: Date;
  kind: string;
  angle: string;
  /** A goal-driven step's purpose (teaser, welcome…), else null. */
  purpose: string | null;
  productIds: string[];
  /** The subject line they got, when known (the admin page reads it; building does not need it). */
  subject: string | null;
  /** The audience segment whose copy they got (ADR 018), else null. */
  segment: string | null;
}

/** Something that came back: a click (on a product, when the link was one), an order, an unsubscribe. */
export interface EmailResponse {
  type: "click" | "order" | "unsubscribe" | "complaint";
  campaignId: string | null;
  sendId: string | null;
  at: Date;
  /** The product a click went to, or the products of an attributed order. */
  productIds: string[];
}

export type EmailOutcome = "ordered" | "clicked" | "unsubscribed" | "ignored" | "waiting";

export interface ReceivedEmail extends SentEmail {
  outcome: EmailOutcome;
  clickedProductIds: string[];
  orderedProductIds: string[];
}

export interface ProductContact {
  productId: string;
  lastShownAt: Date;
  times: number;
  clicked: boolean;
  ordered: boolean;
}

export interface AngleRecord {
  angle: string;
  emails: number;
  clicked: number;
  ordered: number;
  /** Emails of this angle since the last response, newest first, not counting ones still waiting. */
  ignoredInARow: number;
  lastSentAt: Date;
}

export interface ContactMemory {
  /** Newest first. */
  received: ReceivedEmail[];
  products: Map<string, ProductContact>;
  angles: Map<string, AngleRecord>;
  unsubscribed: boolean;
}

const DAY = 86_400_000;
const RANK: Record<EmailOutcome, number> = { ordered: 4, clicked: 3, unsubscribed: 2, ignored: 1, waiting: 0 };

/**
 * Which email a response belongs to: its own send when the event names one we know that went out
 * before it, else the latest email of its campaign sent before it. (Our click endpoint names the
 * recipient's latest send when the click is recorded, which for a late-recorded click can be a later
 * email than the one clicked; the campaign gets the response either way.)
 */
function owner(response: EmailResponse, emails: readonly SentEmail[]): SentEmail | undefined {
  if (response.sendId) {
    const own = emails.find((email) => email.sendId === response.sendId);
    if (own && own.sentAt.getTime() <= response.at.getTime()) return own;
  }
  if (!response.campaignId) return undefined;
  let best: SentEmail | undefined;
  for (const email of emails) {
    if (email.campaignId !== response.campaignId || email.sentAt.getTime() > response.at.getTime()) continue;
    if (!best || email.sentAt.getTime() > best.sentAt.getTime()) best = email;
  }
  // A response timed before any email of its campaign (clock skew): the campaign's first email.
  return best ?? emails.filter((email) => email.campaignId === response.campaignId).sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())[0];
}

export function deriveContactMemory(emails: readonly SentEmail[], responses: readonly EmailResponse[], now: Date, settings: MemorySettings = DEFAULT_MEMORY_SETTINGS): ContactMemory {
  const byEmail = new Map<string, { clicked: Set<string>; ordered: Set<string>; outcome: EmailOutcome }>();
  for (const email of emails) {
    const waiting = now.getTime() - email.sentAt.getTime() < settings.responseWindowDays * DAY;
    byEmail.set(email.sendId, { clicked: new Set(), ordered: new Set(), outcome: waiting ? "waiting" : "ignored" });
  }
  let unsubscribed = false;
  for (const response of responses) {
    if (response.type === "unsubscribe" || response.type === "complaint") unsubscribed = true;
    const email = owner(response, emails);
    if (!email) continue;
    const state = byEmail.get(email.sendId)!;
    const outcome: EmailOutcome = response.type === "order" ? "ordered" : response.type === "click" ? "clicked" : "unsubscribed";
    if (RANK[outcome] > RANK[state.outcome]) state.outcome = outcome;
    for (const productId of response.productIds) (response.type === "order" ? state.ordered : state.clicked).add(productId);
  }

  const received: ReceivedEmail[] = [...emails]
    .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime())
    .map((email) => {
      const state = byEmail.get(email.sendId)!;
      return { ...email, outcome: state.outcome, clickedProductIds: [...state.clicked], orderedProductIds: [...state.ordered] };
    });

  const products = new Map<string, ProductContact>();
  const clickedAnywhere = new Set(received.flatMap((email) => email.clickedProductIds));
  const orderedAnywhere = new Set(received.flatMap((email) => email.orderedProductIds));
  for (const email of received) {
    for (const productId of email.productIds) {
      const known = products.get(productId);
      if (known) known.times += 1;
      else products.set(productId, { productId, lastShownAt: email.sentAt, times: 1, clicked: clickedAnywhere.has(productId), ordered: orderedAnywhere.has(productId) });
    }
  }

  const angles = new Map<string, AngleRecord & { streakOpen: boolean }>();
  const lookbackStart = now.getTime() - settings.lookbackDays * DAY;
  for (const email of received) {
    if (email.sentAt.getTime() < lookbackStart) continue;
    let record = angles.get(email.angle);
    if (!record) {
      record = { angle: email.angle, emails: 0, clicked: 0, ordered: 0, ignoredInARow: 0, lastSentAt: email.sentAt, streakOpen: true };
      angles.set(email.angle, record);
    }
    record.emails += 1;
    if (email.outcome === "clicked" || email.outcome === "ordered") record.clicked += 1;
    if (email.outcome === "ordered") record.ordered += 1;
    // Newest first: the streak runs until the first email that got a response.
    if (record.streakOpen) {
      if (email.outcome === "ignored") record.ignoredInARow += 1;
      else if (email.outcome !== "waiting") record.streakOpen = false;
    }
  }

  return {
    received,
    products,
    angles: new Map([...angles].map(([angle, { streakOpen: _open, ...record }]) => [angle, record])),
    unsubscribed,
  };
}

export interface HeldProduct {
  productId: string;
  lastShownAt: Date;
  times: number;
}

// One formatter for every call: building one per date costs ~0.1 ms and garbage (10,000 recipients).
const SHORT_DATE = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function shortDate(date: Date): string {
  return SHORT_DATE.format(date);
}

/** Plain words for the merchant, e.g. "shown on Nov 20 (2 times) without a click" (written only where shown). */
export function heldBecause(product: HeldProduct): string {
  return `shown on ${shortDate(product.lastShownAt)}${product.times > 1 ? ` (${product.times} times)` : ""} without a click`;
}

/** Products shown within the window that got neither a click nor an order: not shown again for now. */
export function heldBackProducts(memory: ContactMemory, now: Date, settings: MemorySettings = DEFAULT_MEMORY_SETTINGS): HeldProduct[] {
  const since = now.getTime() - settings.productWindowDays * DAY;
  const held: HeldProduct[] = [];
  for (const product of memory.products.values()) {
    if (product.lastShownAt.getTime() >= since && !product.clicked && !product.ordered) held.push({ productId: product.productId, lastShownAt: product.lastShownAt, times: product.times });
  }
  return held.sort((a, b) => b.lastShownAt.getTime() - a.lastShownAt.getTime());
}

export const ANGLE_LABELS: Record<string, string> = {
  new_arrival: "new-arrival",
  back_in_stock: "back-in-stock",
  overstock: "well-stocked",
  low_stock: "low-stock",
  price_drop: "price-drop",
  winback: "win-back",
  cart_recovery: "cart-recovery",
  browse_abandonment: "browse follow-up",
};
export const angleLabel = (angle: string) => ANGLE_LABELS[angle] ?? angle.replaceAll("_", " ");

export type AngleVerdict =
  | { action: "exclude"; reason: string; record: AngleRecord }
  | { action: "score"; factor: number; because: string | null; record: AngleRecord | null };

/** Scoring steps: each ignored email in a row costs 15%; a click from the angle adds 15%, an order 30%. */
const IGNORED_PENALTY = 0.15;
const CLICK_BONUS = 1.15;
const ORDER_BONUS = 1.3;

/**
 * How a campaign of `angle` treats this customer. Cart recovery answers a checkout the shopper just
 * left, so fatigue only scores it down, never leaves them out.
 */
export function angleVerdict(memory: ContactMemory, angle: string, settings: MemorySettings = DEFAULT_MEMORY_SETTINGS): AngleVerdict {
  const record = memory.angles.get(angle) ?? null;
  if (!record) return { action: "score", factor: 1, because: null, record: null };
  const label = angleLabel(angle);
  if (record.ignoredInARow >= settings.fatigueAfter && angle !== "cart_recovery") {
    return { action: "exclude", reason: `ignored their last ${settings.fatigueAfter} ${label} emails`, record };
  }
  const bonus = record.ordered > 0 ? ORDER_BONUS : record.clicked > 0 ? CLICK_BONUS : 1;
  const penalty = Math.max(0.3, 1 - IGNORED_PENALTY * record.ignoredInARow);
  const factor = Math.round(bonus * penalty * 1000) / 1000;
  const parts = [
    record.ordered > 0 ? `ordered from ${record.ordered === 1 ? "a" : record.ordered} ${label} email${record.ordered === 1 ? "" : "s"}` : record.clicked > 0 ? `clicked ${record.clicked} ${label} email${record.clicked === 1 ? "" : "s"}` : null,
    record.ignoredInARow > 0 ? `ignored the last ${record.ignoredInARow === 1 ? "" : `${record.ignoredInARow} `}${label} email${record.ignoredInARow === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return { action: "score", factor, because: parts.length ? parts.join("; ") : null, record };
}

export interface AngleSummary {
  angle: string;
  label: string;
  emails: number;
  clicked: number;
  ordered: number;
  ignoredInARow: number;
  effect: "excluded" | "scored_down" | "scored_up" | "none";
  /** What the next campaign of this angle does with the customer, in plain words. */
  next: string;
  /** Left out until then (the ignored emails age out of the lookback), or sooner on a response. */
  excludedUntil: Date | null;
}

/** The memory as the customer page shows it: per angle, what happens next and why. */
export function summariseAngles(memory: ContactMemory, settings: MemorySettings = DEFAULT_MEMORY_SETTINGS): AngleSummary[] {
  return [...memory.angles.values()]
    .sort((a, b) => b.lastSentAt.getTime() - a.lastSentAt.getTime())
    .map((record) => {
      const verdict = angleVerdict(memory, record.angle, settings);
      const label = angleLabel(record.angle);
      let excludedUntil: Date | null = null;
      if (verdict.action === "exclude") {
        // The streak, newest first; the exclusion lasts while fatigueAfter of them are in the lookback.
        const streak = memory.received.filter((email) => email.angle === record.angle && email.outcome !== "waiting").slice(0, record.ignoredInARow);
        const nth = streak[settings.fatigueAfter - 1];
        excludedUntil = nth ? new Date(nth.sentAt.getTime() + settings.lookbackDays * DAY) : null;
      }
      const next =
        verdict.action === "exclude"
          ? `left out of ${label} campaigns: ${verdict.reason}`
          : verdict.factor === 1
            ? `no change for ${label} campaigns`
            : `${verdict.factor > 1 ? "scored up" : "scored down"} (×${verdict.factor.toFixed(2)}) for ${label} campaigns: ${verdict.because}`;
      const effect = verdict.action === "exclude" ? "excluded" : verdict.factor > 1 ? "scored_up" : verdict.factor < 1 ? "scored_down" : "none";
      return { angle: record.angle, label, emails: record.emails, clicked: record.clicked, ordered: record.ordered, ignoredInARow: record.ignoredInARow, effect, next, excludedUntil };
    });
}
