import { z } from "zod";

// The learning loop, visible. Pure: given what a sent campaign achieved (per subject variant and per
// local send hour) and the shop's own history, compute the review a merchant reads (revenue per
// recipient, click and conversion rates against the shop's history, weak subjects with a suggestion
// built from the numbers) and the lessons kept in the shop's memory for the next generation.

/** How a subject reads, to learn which kinds work in a shop (labels match learning.server.ts). */
export type StyleKey = "names_product" | "question" | "urgency" | "offer" | "plain";

export const STYLE_LABELS: Record<StyleKey, string> = {
  names_product: "subjects that name the product",
  question: "subjects phrased as a question",
  urgency: "subjects with true urgency (a real deadline)",
  offer: "subjects that state the offer",
  plain: "short, plain subjects",
};

export interface VariantOutcome {
  step: number;
  variant: number;
  subject: string;
  style: StyleKey;
  sends: number;
  clicks: number;
  orders: number;
}

export interface HourOutcome {
  hour: number;
  sends: number;
  clicks: number;
  orders: number;
}

export interface Totals {
  recipients: number;
  sends: number;
  /** Sends with at least one click. */
  clickedSends: number;
  orders: number;
  revenue: number;
}

export interface CampaignOutcome extends Totals {
  currency: string;
  variants: VariantOutcome[];
  hours: HourOutcome[];
}

export interface ShopHistory extends Totals {
  campaigns: number;
  styles: Array<{ style: StyleKey; sends: number; clicks: number }>;
  hours: HourOutcome[];
}

/** Fewer sends than this say nothing about a variant, an hour or a style. */
export const MIN_SENDS = 30;
const MIN_STYLE_SENDS = 100;
/** A variant is weak when its click rate is below this share of the step's best. */
const WEAK_SHARE = 0.75;

const rate = (hits: number, trials: number) => (trials > 0 ? hits / trials : 0);
export const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export interface Metric {
  value: number;
  /** The same measure over the shop's previous campaigns; null without any. */
  history: number | null;
}

export interface SubjectFlag {
  step: number;
  subject: string;
  message: string;
  suggestion: string;
}

export interface PerformanceReview {
  revenuePerRecipient: Metric;
  clickRate: Metric;
  conversionRate: Metric;
  variants: Array<VariantOutcome & { clickRate: number; conversionRate: number }>;
  hours: Array<HourOutcome & { clickRate: number }>;
  bestHour: number | null;
  flags: SubjectFlag[];
  /** Winning styles over this campaign and the history, best first. */
  styles: Array<{ style: StyleKey; sends: number; clicks: number; clickRate: number }>;
}

function metric(value: number, history: number | null): Metric {
  return { value, history };
}

/** Style click rates over this campaign and the history, best first, only with enough sends. */
export function styleRates(variants: readonly VariantOutcome[], history: ShopHistory["styles"]) {
  const totals = new Map<StyleKey, { sends: number; clicks: number }>();
  for (const { style, sends, clicks } of [...variants, ...history]) {
    const total = totals.get(style) ?? { sends: 0, clicks: 0 };
    totals.set(style, { sends: total.sends + sends, clicks: total.clicks + clicks });
  }
  return [...totals]
    .filter(([, total]) => total.sends >= MIN_STYLE_SENDS)
    .map(([style, total]) => ({ style, ...total, clickRate: rate(total.clicks, total.sends) }))
    .sort((a, b) => b.clickRate - a.clickRate);
}

function bestHourOf(hours: readonly HourOutcome[]): number | null {
  const eligible = hours.filter((hour) => hour.sends >= MIN_SENDS);
  if (eligible.length < 2) return null;
  return eligible.reduce((best, hour) => (rate(hour.clicks, hour.sends) > rate(best.clicks, best.sends) ? hour : best)).hour;
}

/** A concrete subject in the winning style, from the campaign's own facts. */
function example(style: StyleKey, productTitle: string | null): string {
  switch (style) {
    case "names_product": return productTitle ? `name the product, e.g. “Meet ${productTitle}”` : "name the product in the subject";
    case "question": return productTitle ? `ask a question, e.g. “Ready for ${productTitle}?”` : "phrase the subject as a question";
    case "offer": return "state the offer in the subject (only when the campaign has one)";
    case "urgency": return "name the real deadline (only when the offer expires)";
    case "plain": return "keep the subject short and plain";
  }
}

export function reviewCampaign(current: CampaignOutcome, history: ShopHistory | null, productTitles: readonly string[]): PerformanceReview {
  const past = history && history.campaigns > 0 ? history : null;
  const variants = current.variants.map((variant) => ({
    ...variant,
    clickRate: rate(variant.clicks, variant.sends),
    conversionRate: rate(variant.orders, variant.sends),
  }));
  const styles = styleRates(current.variants, past?.styles ?? []);
  const flags: SubjectFlag[] = [];
  for (const step of new Set(variants.map((variant) => variant.step))) {
    const measured = variants.filter((variant) => variant.step === step && variant.sends >= MIN_SENDS);
    if (measured.length < 2) continue;
    const best = measured.reduce((a, b) => (b.clickRate > a.clickRate ? b : a));
    for (const weak of measured) {
      if (weak === best || weak.clickRate >= best.clickRate * WEAK_SHARE) continue;
      const winningStyle = styles[0];
      const weakStyle = styles.find((s) => s.style === weak.style);
      const suggestion = winningStyle && weakStyle && winningStyle.style !== weak.style
        ? `${STYLE_LABELS[winningStyle.style][0].toUpperCase()}${STYLE_LABELS[winningStyle.style].slice(1)} beat ${STYLE_LABELS[weak.style]} here: ${percent(winningStyle.clickRate)} vs ${percent(weakStyle.clickRate)} clicks. Next time, ${example(winningStyle.style, productTitles[0] ?? null)}.`
        : `“${best.subject}” did better in this step; next time, ${example(best.style, productTitles[0] ?? null)}.`;
      flags.push({
        step,
        subject: weak.subject,
        message: `“${weak.subject}” got ${percent(weak.clickRate)} clicks from ${weak.sends} sends, against ${percent(best.clickRate)} for “${best.subject}”.`,
        suggestion,
      });
    }
  }
  const hours = current.hours.map((hour) => ({ ...hour, clickRate: rate(hour.clicks, hour.sends) })).sort((a, b) => a.hour - b.hour);
  return {
    revenuePerRecipient: metric(rate(current.revenue, current.recipients), past ? rate(past.revenue, past.recipients) : null),
    clickRate: metric(rate(current.clickedSends, current.sends), past ? rate(past.clickedSends, past.sends) : null),
    conversionRate: metric(rate(current.orders, current.recipients), past ? rate(past.orders, past.recipients) : null),
    variants,
    hours,
    bestHour: bestHourOf(mergeHours(current.hours, past?.hours ?? [])),
    flags,
    styles,
  };
}

function mergeHours(a: readonly HourOutcome[], b: readonly HourOutcome[]): HourOutcome[] {
  const merged = new Map<number, HourOutcome>();
  for (const hour of [...a, ...b]) {
    const total = merged.get(hour.hour) ?? { hour: hour.hour, sends: 0, clicks: 0, orders: 0 };
    merged.set(hour.hour, { hour: hour.hour, sends: total.sends + hour.sends, clicks: total.clicks + hour.clicks, orders: total.orders + hour.orders });
  }
  return [...merged.values()];
}

// ——— The shop's memory: lessons learned (the merchant may switch each off) and the merchant's own notes.

export const lessonSchema = z.object({
  key: z.string().max(40),
  kind: z.enum(["subject_style", "send_hour"]),
  text: z.string().max(200),
  evidence: z.string().max(300),
});
export type Lesson = z.output<typeof lessonSchema>;

export const learningMemorySchema = z.object({
  lessons: z.array(lessonSchema).max(20).default([]),
  /** Keys of lessons the merchant switched off; they stay off when learned again. */
  muted: z.array(z.string().max(40)).max(40).default([]),
  /** The merchant's own guidance for the copy, one line each. */
  notes: z.array(z.string().trim().min(1).max(200)).max(10).default([]),
  /** How many sent campaigns the lessons were learned from (a new one triggers relearning). */
  campaignsSeen: z.number().int().min(0).default(0),
  learnedAt: z.string().nullable().default(null),
});
export type LearningMemory = z.output<typeof learningMemorySchema>;

/** What the history teaches: the winning subject style (if it clearly wins) and the best hour. */
export function learnLessons(history: ShopHistory): Lesson[] {
  const lessons: Lesson[] = [];
  const styles = styleRates([], history.styles);
  if (styles.length >= 2) {
    const [best, ...rest] = styles;
    const others = rest.reduce((acc, s) => ({ sends: acc.sends + s.sends, clicks: acc.clicks + s.clicks }), { sends: 0, clicks: 0 });
    const otherRate = rate(others.clicks, others.sends);
    if (best.clickRate > otherRate * 1.1) {
      lessons.push({
        key: `style:${best.style}`,
        kind: "subject_style",
        text: STYLE_LABELS[best.style],
        evidence: `${percent(best.clickRate)} clicks over ${best.sends} sends, vs ${percent(otherRate)} for other styles (${history.campaigns} campaign${history.campaigns === 1 ? "" : "s"})`,
      });
    }
  }
  const hour = bestHourOf(history.hours);
  if (hour !== null) {
    const at = history.hours.find((h) => h.hour === hour)!;
    const rest = history.hours.filter((h) => h.hour !== hour);
    const restRate = rate(rest.reduce((sum, h) => sum + h.clicks, 0), rest.reduce((sum, h) => sum + h.sends, 0));
    lessons.push({
      key: "hour",
      kind: "send_hour",
      text: `sends around ${String(hour).padStart(2, "0")}:00 (shop time)`,
      evidence: `${percent(rate(at.clicks, at.sends))} clicks over ${at.sends} sends, vs ${percent(restRate)} at other hours`,
    });
  }
  return lessons;
}

/** The style hints the next generation follows: learned subject styles not switched off, then the notes. */
export function memoryHints(memory: LearningMemory): string[] {
  const learned = memory.lessons.filter((lesson) => lesson.kind === "subject_style" && !memory.muted.includes(lesson.key));
  return [...learned.map((lesson) => `${lesson.text} (${lesson.evidence})`), ...memory.notes];
}
