import { z } from "zod";
import { type EspId } from "./types";

// What a merchant enters in settings, per provider. Parsed with this schema at every boundary (the
// settings form, decrypting the stored blob) so an adapter never sees a half-filled connection. The
// fields named in ESP_SECRET_FIELDS are encrypted at rest (app/lib/secrets.ts) and redacted in the UI.

const secret = z.string().trim().min(1).max(4096);

export const SmtpConnectionSchema = z.object({
  provider: z.literal("smtp"),
  host: z.string().trim().min(1).max(255),
  port: z.coerce.number().int().min(1).max(65535),
  /** Implicit TLS (port 465). When false the adapter upgrades with STARTTLS. */
  secure: z.boolean(),
  user: z.string().min(1).max(320),
  pass: secret,
  /** Refuse to authenticate over a connection STARTTLS did not protect. Only local sinks turn this off. */
  requireTls: z.boolean().default(true),
  /** SMTP relays publish no common limit; the merchant's plan decides. */
  maxPerSecond: z.number().positive().max(1000).default(5),
});

export const KlaviyoConnectionSchema = z.object({
  provider: z.literal("klaviyo"),
  privateApiKey: secret,
  /** The metric a merchant's Klaviyo flow is triggered by (see klaviyo.ts). */
  metricName: z.string().trim().min(1).max(127).default("Campaign Pilot Email"),
  /**
   * "subscribe" records email-marketing consent in Klaviyo before each send. Klaviyo's subscribe call
   * lifts UNSUBSCRIBE / SPAM_REPORT suppressions, so it is off unless the merchant asks for it.
   */
  consent: z.enum(["leave", "subscribe"]).default("leave"),
  /** List the subscribe call adds profiles to (its double opt-in setting applies). */
  listId: z.string().trim().min(1).max(64).optional(),
  /** Secret set on the Klaviyo system webhook that reports delivery events back. */
  webhookSecret: secret.optional(),
});

export const SendgridConnectionSchema = z.object({
  provider: z.literal("sendgrid"),
  apiKey: secret,
  /** EU-pinned subusers must call api.eu.sendgrid.com. */
  region: z.enum(["global", "eu"]).default("global"),
  /** The signed event webhook's verification key (base64 DER or PEM), from SendGrid's settings. */
  webhookPublicKey: z.string().trim().min(1).max(4096).optional(),
});

export const PostmarkConnectionSchema = z.object({
  provider: z.literal("postmark"),
  serverToken: secret,
  /** Marketing mail must go through a Broadcast stream ("broadcast" is Postmark's default id). */
  messageStream: z.string().trim().min(1).max(100).default("broadcast"),
  /** Basic-auth credentials Postmark puts in front of our webhook URL (https://user:pass@…). */
  webhookBasicAuth: z.object({ username: z.string().min(1).max(200), password: secret }).optional(),
  /** Or a token in the webhook URL's query string. */
  webhookToken: secret.optional(),
});

export const MandrillConnectionSchema = z.object({
  provider: z.literal("mandrill"),
  apiKey: secret,
  /** Per-webhook key Mandrill signs X-Mandrill-Signature with. */
  webhookKey: secret.optional(),
  subaccount: z.string().trim().min(1).max(255).optional(),
});

export const EspConnectionSchema = z.discriminatedUnion("provider", [
  SmtpConnectionSchema,
  KlaviyoConnectionSchema,
  SendgridConnectionSchema,
  PostmarkConnectionSchema,
  MandrillConnectionSchema,
]);

export type EspConnection = z.infer<typeof EspConnectionSchema>;
/** What a form or stored JSON holds before defaults are applied. */
export type EspConnectionInput = z.input<typeof EspConnectionSchema>;
export type ConnectionFor<P extends EspId> = Extract<EspConnection, { provider: P }>;

/** Paths (dot-separated) of every secret per provider: encrypted at rest, redacted for display. */
export const ESP_SECRET_FIELDS: { [P in EspId]: readonly string[] } = {
  smtp: ["pass"],
  klaviyo: ["privateApiKey", "webhookSecret"],
  sendgrid: ["apiKey"],
  postmark: ["serverToken", "webhookBasicAuth.password", "webhookToken"],
  mandrill: ["apiKey", "webhookKey"],
};

export type ConnectionParseResult = { ok: true; connection: EspConnection } | { ok: false; problems: string[] };

export function parseConnection(input: unknown): ConnectionParseResult {
  const parsed = EspConnectionSchema.safeParse(input);
  if (parsed.success) return { ok: true, connection: parsed.data };
  // Issues name the field, never echo its value, so secrets stay out of the message.
  return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) };
}
