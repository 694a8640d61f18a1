import { z } from "zod";

// What store staff set in the admin (brand voice page): how the copy sounds, what it may promise, and
// the sending rules every campaign inherits. Stored per shop (JSON, parsed by this schema).

export const TONE_PRESETS = ["friendly", "playful", "premium", "minimal", "warm", "bold", "expert"] as const;

const word = z.string().trim().min(1).max(60);

export const brandVoiceSchema = z.object({
  tone: z.object({
    preset: z.enum(TONE_PRESETS).default("friendly"),
    /** Free text in the merchant's words: "like a friend who knows ceramics; never pushy". */
    description: z.string().trim().max(600).default(""),
  }).prefault({}),
  vocabulary: z.object({
    prefer: z.array(word).max(50).default([]),
    avoid: z.array(word).max(50).default([]),
  }).prefault({}),
  /** Never appear in any copy (guardrail: a draft containing one is blocked). */
  bannedWords: z.array(word).max(100).default([]),
  /** Examples of copy the merchant likes, used as style references (never copied verbatim). */
  sampleCopy: z.array(z.string().trim().min(1).max(2_000)).max(5).default([]),
  sender: z.object({
    name: z.string().trim().min(1).max(100).default("Our shop"),
    email: z.email().optional(),
    replyTo: z.email().optional(),
  }).prefault({}),
  /** Printed in every email footer (CAN-SPAM / GDPR). */
  physicalAddress: z.string().trim().max(300).default(""),
  discountPolicy: z.object({
    /** The largest discount any campaign may offer, in percent; 0 forbids discounts. */
    maxPercent: z.number().int().min(0).max(90).default(15),
    /** Escalation across a sequence may only rise in these steps, never above maxPercent. */
    allowEscalation: z.boolean().default(true),
  }).prefault({}),
  sending: z.object({
    /** At most this many marketing emails per customer in `capWindowDays`. */
    frequencyCap: z.number().int().min(1).max(20).default(2),
    capWindowDays: z.number().int().min(1).max(30).default(7),
    /** Local hours (customer's time zone, else the shop's) when nothing is sent. */
    quietHours: z.object({ start: z.number().int().min(0).max(23).default(21), end: z.number().int().min(0).max(23).default(8) }).prefault({}),
  }).prefault({}),
  /** BCP 47 codes the shop writes in; the first is the default. */
  languages: z.array(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/)).min(1).default(["en"]),
});

export type BrandVoice = z.output<typeof brandVoiceSchema>;
export type BrandVoiceInput = z.input<typeof brandVoiceSchema>;

export const DEFAULT_BRAND_VOICE: BrandVoice = brandVoiceSchema.parse({});
