import { z } from "zod";
import { brandVoiceSchema } from "~/campaigns/brand-voice";
import { personalisationSettingsSchema } from "~/campaigns/contact-memory";
import { learningMemorySchema } from "~/campaigns/performance";
import type { Db } from "~/db.server";
import type { FlowId } from "~/campaigns/flows/flow-ids";
import { detectorConfigSchema } from "~/opportunities/detectors";

const flowSwitchSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Batches go out without review once the merchant trusts the flow (still visible and stoppable). */
    autoApprove: z.boolean().default(false),
    offerPercent: z.number().int().min(0).max(90).default(0),
    /** Only triggers after the switch was turned on enter the flow (ISO time). */
    enabledAt: z.string().nullable().default(null),
  })
  .prefault({});

/** The longest attribution window a merchant can set (attribution looks this far back for clicks). */
export const MAX_ATTRIBUTION_WINDOW_DAYS = 30;

// A shop's settings live as JSON on Shop.settings, parsed by this one schema (defaults fill gaps, so
// older rows keep working as settings are added).
export const shopSettingsSchema = z.object({
  brandVoice: brandVoiceSchema.prefault({}),
  detectors: detectorConfigSchema.prefault({}),
  /** Per-customer contact memory and per-segment copy (ADRs 016, 017). */
  personalisation: personalisationSettingsSchema.prefault({}),
  copy: z
    .object({
      /** The built-in copywriter is the default and the fallback; "openai" needs OPENAI_API_KEY. */
      provider: z.enum(["builtin", "openai"]).default("builtin"),
      model: z.string().min(1).max(100).default("gpt-4.1-mini"),
      monthlyBudgetMicros: z.number().int().min(0).default(5_000_000),
    })
    .prefault({}),
  /** An order within this many days of a click in our email is credited to that campaign. */
  attributionWindowDays: z.number().int().min(1).max(MAX_ATTRIBUTION_WINDOW_DAYS).default(5),
  /** Share of every audience kept back at random, to measure what email really added. */
  holdoutPercent: z.number().min(0).max(50).default(5),
  /** Campaign kinds the merchant lets go out without review (still visible and stoppable). */
  autoApprove: z
    .object({ promotional: z.boolean().default(false), winback: z.boolean().default(false), cart_recovery: z.boolean().default(false) })
    .prefault({}),
  /** What the shop's sent campaigns taught (subject styles, hours) plus the merchant's own notes. */
  learning: learningMemorySchema.prefault({}),
  /** Always-on flows the merchant switched on; each runs with the shop's hourly flow job. */
  flows: z
    .object({
      welcome: flowSwitchSchema,
      post_purchase: flowSwitchSchema,
      replenishment: flowSwitchSchema,
      browse_abandonment: flowSwitchSchema,
      back_in_stock: flowSwitchSchema,
    } satisfies Record<FlowId, typeof flowSwitchSchema>)
    .prefault({}),
});
export type ShopSettings = z.output<typeof shopSettingsSchema>;

export function parseShopSettings(json: string | null | undefined): ShopSettings {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json || "{}");
  } catch {
    raw = {};
  }
  const parsed = shopSettingsSchema.safeParse(raw);
  // A row written by an older version that no longer parses falls back to defaults rather than
  // breaking every job of the shop; the admin shows and re-saves the settings.
  return parsed.success ? parsed.data : shopSettingsSchema.parse({});
}

export async function loadShopSettings(db: Db, shop: string): Promise<ShopSettings> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true } });
  return parseShopSettings(row?.settings);
}

export async function saveShopSettings(db: Db, shop: string, settings: ShopSettings): Promise<void> {
  const json = JSON.stringify(shopSettingsSchema.parse(settings));
  await db.shop.upsert({ where: { shop }, create: { shop, settings: json }, update: { settings: json } });
}
