import { z } from "zod";
import type { Db } from "~/db.server";
import { localHour } from "~/delivery/checks";
import { styleHints, subjectStyle, type VariantResult } from "~/delivery/learning.server";
import { inChunks } from "~/lib/chunks";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { contentOf } from "./campaigns.server";
import {
  learningMemorySchema,
  learnLessons,
  memoryHints,
  reviewCampaign,
  type CampaignOutcome,
  type HourOutcome,
  type LearningMemory,
  type PerformanceReview,
  type ShopHistory,
  type StyleKey,
  type VariantOutcome,
} from "./performance";

// Loads what a sent campaign and the shop's earlier campaigns achieved, for the pure review and the
// shop's learning memory (stored in the shop's settings, read by the next campaign's copy).

const HISTORY_CAMPAIGNS = 20;
const HISTORY_SENDS = 50_000;

async function productTitles(db: Db, shop: string): Promise<string[]> {
  return (await db.product.findMany({ where: { shop, deletedAt: null }, select: { title: true }, take: 5_000 })).map((p) => p.title);
}

/** Per local hour: sends, sends clicked, sends that led to an order. */
async function hourOutcomes(db: Db, shop: string, campaignIds: string[], timeZone: string): Promise<{ hours: HourOutcome[]; sends: Array<{ id: string; step: number; variant: number }>; clicked: Set<string>; ordered: Set<string> }> {
  const sends = await db.send.findMany({
    where: { shop, campaignId: { in: campaignIds }, status: "sent" },
    select: { id: true, step: true, variant: true, sentAt: true },
    orderBy: { sentAt: "desc" },
    take: HISTORY_SENDS,
  });
  const ids = sends.map((send) => send.id);
  const [clicks, orders] = await Promise.all([
    inChunks(ids, (chunk) => db.emailEvent.findMany({ where: { shop, type: "click", sendId: { in: chunk } }, select: { sendId: true }, distinct: ["sendId"] })),
    inChunks(ids, (chunk) => db.orderAttribution.findMany({ where: { shop, sendId: { in: chunk } }, select: { sendId: true } })),
  ]);
  const clicked = new Set(clicks.map((row) => row.sendId!));
  const ordered = new Set(orders.map((row) => row.sendId!));
  const byHour = new Map<number, HourOutcome>();
  for (const send of sends) {
    if (!send.sentAt) continue;
    const hour = localHour(send.sentAt, timeZone);
    const total = byHour.get(hour) ?? { hour, sends: 0, clicks: 0, orders: 0 };
    total.sends++;
    if (clicked.has(send.id)) total.clicks++;
    if (ordered.has(send.id)) total.orders++;
    byHour.set(hour, total);
  }
  return { hours: [...byHour.values()], sends, clicked, ordered };
}

async function totals(db: Db, shop: string, campaignIds: string[], clickedSends: number, sends: number) {
  const [recipients, attributed] = await Promise.all([
    db.campaignRecipient.count({ where: { shop, campaignId: { in: campaignIds }, holdout: false } }),
    db.orderAttribution.aggregate({ where: { shop, campaignId: { in: campaignIds } }, _sum: { revenue: true }, _count: true }),
  ]);
  return { recipients, sends, clickedSends, orders: attributed._count, revenue: attributed._sum.revenue ?? 0 };
}

async function campaignOutcome(db: Db, shop: string, campaignId: string, timeZone: string, titles: string[]): Promise<CampaignOutcome | null> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop } });
  if (!campaign?.currentVersionId) return null;
  const version = await db.campaignVersion.findFirst({ where: { id: campaign.currentVersionId, shop } });
  if (!version) return null;
  const { hours, sends, clicked, ordered } = await hourOutcomes(db, shop, [campaignId], timeZone);
  if (sends.length === 0) return null;
  const variants: VariantOutcome[] = contentOf(version).steps.flatMap((step, stepIndex) =>
    step.subjectVariants.map((subjectIndex, variant) => {
      const own = sends.filter((send) => send.step === stepIndex && send.variant === variant);
      const subject = step.draft.subjects[subjectIndex] ?? "";
      return {
        step: stepIndex,
        variant,
        subject,
        style: subjectStyle(subject, titles) as StyleKey,
        sends: own.length,
        clicks: own.filter((send) => clicked.has(send.id)).length,
        orders: own.filter((send) => ordered.has(send.id)).length,
      };
    }),
  );
  return { ...(await totals(db, shop, [campaignId], clicked.size, sends.length)), currency: campaign.currency, variants, hours };
}

/** The shop's earlier sent campaigns: totals, subject styles (from their stored results) and hours. */
async function shopHistory(db: Db, shop: string, timeZone: string, titles: string[], exceptId: string | null): Promise<ShopHistory> {
  const campaigns = await db.campaign.findMany({
    where: { shop, status: "sent", ...(exceptId && { id: { not: exceptId } }) },
    orderBy: { updatedAt: "desc" },
    take: HISTORY_CAMPAIGNS,
    select: { id: true, results: true },
  });
  const ids = campaigns.map((campaign) => campaign.id);
  const styles = new Map<StyleKey, { sends: number; clicks: number }>();
  for (const campaign of campaigns) {
    const results = z.object({ steps: z.array(z.array(z.custom<VariantResult>())).default([]) }).safeParse(JSON.parse(campaign.results));
    for (const variant of results.success ? results.data.steps.flat() : []) {
      const style = subjectStyle(variant.subject, titles) as StyleKey;
      const total = styles.get(style) ?? { sends: 0, clicks: 0 };
      styles.set(style, { sends: total.sends + variant.sends, clicks: total.clicks + (variant.clicks ?? 0) });
    }
  }
  const { hours, sends, clicked } = ids.length ? await hourOutcomes(db, shop, ids, timeZone) : { hours: [], sends: [], clicked: new Set<string>() };
  return {
    campaigns: campaigns.length,
    ...(await totals(db, shop, ids, clicked.size, sends.length)),
    styles: [...styles].map(([style, total]) => ({ style, ...total })),
    hours,
  };
}

async function timeZoneOf(db: Db, shop: string): Promise<string> {
  return (await db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }))?.ianaTimezone ?? "UTC";
}

/** The review of a campaign that has sent, or null before its first send. */
export async function campaignPerformance(db: Db, shop: string, campaignId: string): Promise<(PerformanceReview & { currency: string; campaigns: number }) | null> {
  const [timeZone, titles] = await Promise.all([timeZoneOf(db, shop), productTitles(db, shop)]);
  const current = await campaignOutcome(db, shop, campaignId, timeZone, titles);
  if (!current) return null;
  const history = await shopHistory(db, shop, timeZone, titles, campaignId);
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop }, select: { plan: true } });
  const copyTitles = z.object({ copyProducts: z.array(z.object({ title: z.string() })).default([]) }).safeParse(JSON.parse(campaign?.plan ?? "{}"));
  const named = copyTitles.success ? copyTitles.data.copyProducts.map((product) => product.title) : [];
  return { ...reviewCampaign(current, history, named.length ? named : titles), currency: current.currency, campaigns: history.campaigns };
}

/** The shop's learning memory, relearned when a campaign has finished sending since the last time. */
export async function refreshLearningMemory(db: Db, shop: string, now = new Date()): Promise<LearningMemory> {
  const settings = await loadShopSettings(db, shop);
  const sent = await db.campaign.count({ where: { shop, status: "sent" } });
  if (sent === settings.learning.campaignsSeen) return settings.learning;
  const [timeZone, titles] = await Promise.all([timeZoneOf(db, shop), productTitles(db, shop)]);
  const lessons = learnLessons(await shopHistory(db, shop, timeZone, titles, null));
  const learning: LearningMemory = { ...settings.learning, lessons, campaignsSeen: sent, learnedAt: now.toISOString() };
  await saveShopSettings(db, shop, { ...(await loadShopSettings(db, shop)), learning });
  return learning;
}

/** The style hints for the next campaign's copy: the memory, else the raw style statistics. */
export async function generationHints(db: Db, shop: string): Promise<string[]> {
  const memory = await refreshLearningMemory(db, shop);
  const hints = memoryHints(memory);
  if (hints.length || memory.lessons.length || memory.muted.length) return hints;
  return styleHints(db, shop);
}

export const learningEditSchema = z.object({
  muted: z.array(z.string().max(40)).max(40).default([]),
  notes: z.string().max(2_500).default("").transform((text) => text.split("\n").map((line) => line.trim()).filter(Boolean)),
});

export type LearningEditResult = { ok: true; memory: LearningMemory } | { ok: false; fieldErrors: Record<string, string> };

/** The merchant's edits: lessons switched off, and their own notes (one per line). */
export async function saveLearningEdits(db: Db, shop: string, input: unknown): Promise<LearningEditResult> {
  const parsed = learningEditSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message])) };
  const settings = await loadShopSettings(db, shop);
  const candidate = learningMemorySchema.safeParse({ ...settings.learning, muted: parsed.data.muted, notes: parsed.data.notes });
  if (!candidate.success) return { ok: false, fieldErrors: { notes: "At most 10 notes of up to 200 characters each" } };
  await saveShopSettings(db, shop, { ...settings, learning: candidate.data });
  return { ok: true, memory: candidate.data };
}
