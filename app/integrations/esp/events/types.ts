import { createHash, timingSafeEqual } from "node:crypto";
import { type EspId, IDEMPOTENCY_METADATA_KEY } from "../types";

// One normalized shape for every provider's delivery events, so delivery's feedback loop (bounces,
// complaints, unsubscribes → suppression; opens, clicks → learning) never reads a provider payload.
// Verification comes first and is all-or-nothing: a request that fails it yields no events at all.

export const ESP_EVENT_TYPES = ["delivered", "bounce", "complaint", "unsubscribe", "open", "click", "deferred", "dropped"] as const;
export type EspEventType = (typeof ESP_EVENT_TYPES)[number];

export type EspEvent = {
  provider: EspId;
  type: EspEventType;
  /** Lower-cased recipient; null only where the provider's payload carries a profile id instead (Klaviyo). */
  email: string | null;
  occurredAt: Date;
  providerMessageId?: string;
  /** Our send's key, read back from the metadata/custom args the adapter set. */
  idempotencyKey?: string;
  metadata?: Record<string, string>;
  url?: string;
  bounceType?: "hard" | "soft";
  /** Provider's event id, or one derived from stable fields where it has none; the dedupe key. */
  eventId: string;
  /** Provider's reason text (bounce, drop), addresses scrubbed. */
  reason?: string;
};

export type WebhookRequest = {
  /** The full URL the provider called, as registered with it (Mandrill signs it). */
  url: string;
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body exactly as received: signatures cover bytes, not re-serialized JSON. */
  rawBody: string | Buffer;
};

export type WebhookFailure =
  | { type: "unauthorized"; reason: string }
  | { type: "stale"; ageMs: number }
  | { type: "malformed"; reason: string };

export type WebhookResult = { ok: true; events: EspEvent[]; ignored: number } | { ok: false; error: WebhookFailure };

/** Signed webhooks older (or further in the future) than this are refused as replays. */
export const MAX_WEBHOOK_AGE_MS = 5 * 60_000;

export function header(headers: WebhookRequest["headers"], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export function bodyText(request: WebhookRequest): string {
  return typeof request.rawBody === "string" ? request.rawBody : request.rawBody.toString("utf8");
}

/**
 * Constant-time string equality. Both sides are hashed first so neither the content nor the length of
 * the expected secret leaks through timing.
 */
export function constantTimeEqual(actual: string | Buffer, expected: string | Buffer): boolean {
  const a = createHash("sha256").update(actual).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && Buffer.byteLength(actual) === Buffer.byteLength(expected);
}

export function unauthorized(reason: string): WebhookResult {
  return { ok: false, error: { type: "unauthorized", reason } };
}

export function malformed(reason: string): WebhookResult {
  return { ok: false, error: { type: "malformed", reason } };
}

/** String-valued entries only; providers echo our metadata as strings. */
export function stringEntries(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export function withMetadata(metadata: Record<string, string> | undefined): Pick<EspEvent, "metadata" | "idempotencyKey"> {
  if (!metadata) return {};
  const key = metadata[IDEMPOTENCY_METADATA_KEY];
  return { metadata, ...(key ? { idempotencyKey: key } : {}) };
}

/** A dedupe id built from fields that identify one occurrence, for providers that send none. */
export function derivedEventId(provider: EspId, ...parts: (string | number | undefined)[]): string {
  const digest = createHash("sha256").update(parts.map((part) => String(part ?? "")).join("\u0000")).digest("base64url");
  return `${provider}:${digest.slice(0, 32)}`;
}
