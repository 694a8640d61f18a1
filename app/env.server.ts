import { z } from "zod";

// Parsed once at boot; a bad environment fails fast with every problem listed.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.string().url(),
  SCOPES: z.string().min(1).default(
    "read_products,read_inventory,read_orders,read_customers,write_customers,read_checkouts,write_discounts",
  ),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z.string().min(1).default("file:./prisma/dev.sqlite"),
  // Set: jobs go to BullMQ on Redis and run in `npm run worker` processes.
  REDIS_URL: z.string().url().optional(),
  // Namespace for BullMQ keys, so several deployments (or test runs) can share one Redis.
  REDIS_PREFIX: z.string().regex(/^[\w-]+$/).default("cp"),
  // In-process runner (no REDIS_URL): whether this web process also works the queue.
  RUN_JOBS_IN_PROCESS: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  JOB_CONCURRENCY_PER_SHOP: z.coerce.number().int().min(1).max(16).default(1),
  // A running job's lease: a job whose process died is taken over after this long.
  JOB_LEASE_MS: z.coerce.number().int().min(1_000).default(30_000),
  WEBHOOK_MAX_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // The OpenAI copywriter (any OpenAI-compatible server); without a key the built-in copywriter writes.
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  // Keys for credentials at rest: "keyId:base64(32 bytes),..." (the first encrypts; see lib/secrets.ts).
  ENCRYPTION_KEYS: z.string().min(1).optional(),
  // Demo mode: the admin is served without Shopify for this one shop, on 127.0.0.1 only (issue: demo).
  DEMO_SHOP: z.string().regex(/^[a-z0-9-]+\.myshopify\.com$/).optional(),
  // Demo mode: where the demo's local SMTP sink stores received mail (the "Demo inbox" page reads it).
  DEMO_MAILBOX_DIR: z.string().min(1).optional(),
  // Tests and the demo only: send Admin API calls to a local server that plays Shopify.
  SHOPIFY_ADMIN_API_ORIGIN: z.string().url().optional(),
})
  // Shopify's access tokens and the ESP credentials are stored encrypted with these (ADR 020); in
  // production there is no plain-text fallback.
  .refine((env) => !(env.NODE_ENV === "production" && !env.ENCRYPTION_KEYS), {
    message: "ENCRYPTION_KEYS is required in production: it encrypts Shopify access tokens and ESP credentials (keyId:base64(32 bytes))",
    path: ["ENCRYPTION_KEYS"],
  })
  .refine((env) => !(env.NODE_ENV === "production" && env.SHOPIFY_ADMIN_API_ORIGIN), {
    message: "SHOPIFY_ADMIN_API_ORIGIN is for tests and the demo; it must not be set in production",
    path: ["SHOPIFY_ADMIN_API_ORIGIN"],
  })
  .refine((env) => !(env.DEMO_SHOP && env.NODE_ENV === "production"), {
    message: "demo mode (DEMO_SHOP) serves the admin without authentication: it cannot run with NODE_ENV=production",
    path: ["DEMO_SHOP"],
  })
  .refine((env) => !(env.DEMO_SHOP && !isDemoCredential(env.SHOPIFY_API_KEY)), {
    message: "demo mode (DEMO_SHOP) cannot run with real Shopify credentials (SHOPIFY_API_KEY must start with \"demo\")",
    path: ["DEMO_SHOP"],
  })
  .refine((env) => !(env.DEMO_SHOP && !["localhost", "127.0.0.1", "[::1]"].includes(new URL(env.SHOPIFY_APP_URL).hostname)), {
    message: "demo mode (DEMO_SHOP) runs on this machine only: SHOPIFY_APP_URL must be a localhost URL",
    path: ["DEMO_SHOP"],
  })
  .refine((env) => !(env.DEMO_MAILBOX_DIR && !env.DEMO_SHOP), {
    message: "DEMO_MAILBOX_DIR belongs to demo mode (set DEMO_SHOP, or unset it)",
    path: ["DEMO_MAILBOX_DIR"],
  });

/** Demo and test credentials are named so; a real app's key is a 32-character hex string. */
export function isDemoCredential(apiKey: string): boolean {
  return apiKey.startsWith("demo");
}

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
