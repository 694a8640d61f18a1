import { z } from "zod";

// Storefront capture limits, parsed once from the environment like app/env.server.ts (kept here so
// this issue does not edit the shared schema; fold it in when convenient). Defaults suit one web
// process; each process has its own buckets (ADR 007).
const StorefrontEnvSchema = z.object({
  // A batch is at most 50 events of ~150 bytes; anything much larger is not from our script.
  STOREFRONT_MAX_BODY_BYTES: z.coerce.number().int().positive().default(32 * 1024),
  // Per visitor (shop + visitor id), in events: a burst and a sustained rate.
  STOREFRONT_VISITOR_BURST: z.coerce.number().positive().default(60),
  STOREFRONT_VISITOR_PER_SECOND: z.coerce.number().positive().default(1),
  // Per shop, in events, per web process.
  STOREFRONT_SHOP_BURST: z.coerce.number().positive().default(5_000),
  STOREFRONT_SHOP_PER_SECOND: z.coerce.number().positive().default(1_000),
  // Back-in-stock requests (/proxy/stock-alerts): a form submit each, so small buckets. A request
  // body is an email and two ids, well under 1 KiB.
  STOREFRONT_ALERT_MAX_BODY_BYTES: z.coerce.number().int().positive().default(4 * 1024),
  // Per visitor id (only sent with analytics consent): a shopper asking for several products in a row.
  STOREFRONT_ALERT_VISITOR_BURST: z.coerce.number().positive().default(10),
  STOREFRONT_ALERT_VISITOR_PER_SECOND: z.coerce.number().positive().default(0.1),
  // Per shop + address: one address asked for over and over.
  STOREFRONT_ALERT_EMAIL_BURST: z.coerce.number().positive().default(10),
  STOREFRONT_ALERT_EMAIL_PER_SECOND: z.coerce.number().positive().default(0.1),
  // Per shop, per web process: the backstop against rotating ids and addresses.
  STOREFRONT_ALERT_SHOP_BURST: z.coerce.number().positive().default(300),
  STOREFRONT_ALERT_SHOP_PER_SECOND: z.coerce.number().positive().default(5),
});

export type StorefrontConfig = z.infer<typeof StorefrontEnvSchema>;

export function parseStorefrontConfig(source: NodeJS.ProcessEnv): StorefrontConfig {
  const result = StorefrontEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid storefront environment:\n${problems.join("\n")}`);
  }
  return result.data;
}

let cached: StorefrontConfig | undefined;
export function storefrontConfig(): StorefrontConfig {
  cached ??= parseStorefrontConfig(process.env);
  return cached;
}
