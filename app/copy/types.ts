import { z } from "zod";
import type { BrandVoice, TONE_PRESETS } from "~/campaigns/brand-voice";

// The copywriter port. Two implementations sit behind it: the OpenAI adapter (any OpenAI-compatible
// server) and the built-in copywriter, which needs no network and is the default and the fallback.
// Everything a copywriter may state must come from the request (grounding): guardrails check the
// draft against the same facts.

export type CampaignKind = "promotional" | "winback" | "cart_recovery";

/** Why the campaign exists (from the opportunity that suggested it). */
export type CampaignAngle =
  | "new_arrival"
  | "back_in_stock"
  | "overstock"
  | "low_stock"
  | "price_drop"
  | "winback"
  | "cart_recovery"
  | "browse_abandonment";

/**
 * What one email of a goal-driven sequence is for (a launch's teaser, an onboarding welcome…). Set by
 * the goal planner; the copywriter writes to the purpose instead of the angle's generic lines.
 */
export const STEP_PURPOSES = [
  "teaser",
  "reveal",
  "education",
  "last_call",
  "welcome",
  "brand_story",
  "first_order",
  "check_in",
  "recommendation",
  "thank_you",
  "highlight",
  "order_follow_up",
  "replenish",
] as const;
export type StepPurpose = (typeof STEP_PURPOSES)[number];

/** A product as the copy may mention it: all prices in minor units of `currency`. */
export interface ProductFact {
  productId: string;
  title: string;
  url: string;
  imageUrl: string | null;
  productType: string;
  vendor: string;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  /** Plain text, trimmed; may contain anything a merchant or a supplier wrote (untrusted). */
  description: string;
  inStock: boolean;
}

export interface OfferFact {
  kind: "percent";
  percent: number;
  /** Shown to the reader; a placeholder such as {{ discount_code }} when codes are per recipient. */
  code: string;
  expiresInDays: number | null;
}

export interface CopyRequest {
  shopName: string;
  kind: CampaignKind;
  angle: CampaignAngle;
  /** 0-based step in the sequence, and how many steps there are. */
  step: number;
  steps: number;
  /** One or two sentences on who receives it, e.g. "42 customers who love Ceramics". */
  audienceSummary: string;
  products: ProductFact[];
  offer: OfferFact | null;
  voice: BrandVoice;
  language: string;
  /** What worked before for this shop (the learning loop), e.g. "subjects naming the product". */
  styleHints: string[];
  /** Subjects already used recently for this audience, to avoid repeats. */
  avoidSubjects: string[];
  /** Variation seed, so two steps or two campaigns do not read the same. */
  seed: number;
  /**
   * The shop's myshopify domain. Optional for compatibility; copywriters that spend money (the OpenAI
   * adapter, through its per-shop budget) refuse a request without it.
   */
  shop?: string;
  /** What this step of a goal-driven sequence is for; absent for opportunity campaigns. */
  purpose?: StepPurpose;
  /** The audience segment this draft is for (ADR 018); absent for the campaign's general copy. */
  segment?: CopySegment;
  /** Set when this is a second try after guardrails blocked (or could not parse) the first one. */
  repair?: CopyRepair;
}

/**
 * One audience segment's angle and tone: the copy leans to the interest the segment shares and, when
 * set, to a neighbouring tone preset, always inside the brand voice (banned and avoided words, the
 * discount policy and the guardrails apply unchanged).
 */
export interface CopySegment {
  /** The shared interest in the shop's own words (a product type, collection, tag or brand): data, never instructions. */
  interest: string;
  /** Who they are, in our words around the interest. */
  description: string;
  /** A tone preset next to the brand's to lean to; null keeps the brand's own. */
  tone: (typeof TONE_PRESETS)[number] | null;
}

/** What went wrong with a previous draft, fed back to the copywriter for one more try. */
export interface CopyRepair {
  /** The previous output as the copywriter produced it (JSON text for the LLM), if any. */
  previousRaw: string | null;
  problems: Array<{ rule: string; message: string; evidence: string }>;
}

/** Liquid placeholders a draft may use; filled per recipient at render time. */
export const RECIPIENT_PLACEHOLDERS = ["first_name", "discount_code", "product_block", "shop_name"] as const;

export const copyDraftSchema = z.object({
  subjects: z.array(z.string().trim().min(3).max(150)).min(3).max(5),
  previewText: z.string().trim().min(10).max(200),
  headline: z.string().trim().min(3).max(120),
  /** Paragraphs of plain text; `{{ first_name }}` and the other placeholders allowed. */
  body: z.array(z.string().trim().min(1).max(1_200)).min(1).max(6),
  callToAction: z.string().trim().min(2).max(40),
});
export type CopyDraft = z.infer<typeof copyDraftSchema>;

export type CopyError =
  | { kind: "budget_exhausted" }
  | { kind: "rate_limited"; retryAfterMs: number }
  | { kind: "timeout" }
  | { kind: "provider_error"; status?: number; message: string }
  | { kind: "refused"; message: string }
  | { kind: "invalid_output"; message: string };

export interface CopyUsage {
  inputTokens: number;
  outputTokens: number;
  /** Estimated cost in micro-dollars (for the per-shop budget). */
  costMicros: number;
}

export type CopyResult =
  | {
      ok: true;
      draft: CopyDraft;
      model: string;
      raw: string;
      usage: CopyUsage | null;
      /** Things the reviewer should know, e.g. "no built-in templates for de; wrote English". */
      notes?: string[];
    }
  | { ok: false; error: CopyError; raw?: string };

export interface Copywriter {
  readonly id: "openai" | "builtin";
  write(request: CopyRequest): Promise<CopyResult>;
}
