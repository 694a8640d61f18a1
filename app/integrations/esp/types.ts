import { z } from "zod";

// The port between delivery and the merchant's ESP. Delivery owns the send ledger, consent, suppression
// and retries; an adapter only turns one message into the provider's request and the reply into a value.
// Expected failures (bad address, throttling, outage, bad key) are values, never exceptions, so the caller
// can switch over them exhaustively.

export const ESP_IDS = ["smtp", "klaviyo", "sendgrid", "postmark", "mandrill"] as const;
export type EspId = (typeof ESP_IDS)[number];

/** Header carrying the send's idempotency key on every provider, so replies, bounces and events match back. */
export const IDEMPOTENCY_HEADER = "X-Campaign-Pilot-Key";
/** Metadata/custom-arg key for the idempotency key; ≤ 20 characters because Postmark caps metadata keys. */
export const IDEMPOTENCY_METADATA_KEY = "cp_idempotency_key";

// Header names and values end up on the wire verbatim: a CR or LF would let a value inject headers.
const headerName = z.string().regex(/^[!-9;-~]+$/, "not a valid header name");
const headerValue = z.string().refine((value) => !/[\r\n]/.test(value), "header values cannot contain CR or LF");
const address = z.object({
  email: z.string().trim().min(3).max(320),
  name: z.string().max(200).refine((value) => !/[\r\n]/.test(value), "names cannot contain CR or LF").optional(),
});

export const OutgoingEmailSchema = z.object({
  /** Unique per (send ledger row); stable across retries of the same send. */
  idempotencyKey: z.string().min(8).max(200).regex(/^[A-Za-z0-9._:-]+$/, "letters, digits, . _ : - only"),
  to: address,
  from: address,
  replyTo: z.email().optional(),
  subject: z.string().min(1).max(998),
  html: z.string().min(1),
  text: z.string().min(1),
  /** Includes List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), rendered per recipient. */
  headers: z.record(headerName, headerValue),
  tags: z.array(z.string().min(1).max(50)).max(10).optional(),
  /** shop, campaignId, sendId…: echoed back in the provider's events where it supports it. */
  metadata: z.record(z.string().min(1).max(20), z.string().max(200)).optional(),
});
export type OutgoingEmail = z.infer<typeof OutgoingEmailSchema>;

// ---------------------------------------------------------------------------------------------------------
// Errors

export type EspError =
  | { type: "rate_limited"; retryable: true; retryAfterMs: number }
  | { type: "invalid_recipient"; retryable: false; reason: string }
  | { type: "auth_failed"; retryable: false; reason?: string }
  | { type: "provider_down"; retryable: true; status?: number }
  | { type: "rejected"; retryable: false; reason: string }
  | { type: "network"; retryable: true; message: string };

export type EspErrorType = EspError["type"];

// Provider replies often quote the address they refused; addresses never reach our logs or ledger.
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
export function scrubEmails(text: string): string {
  return text.replace(EMAIL_IN_TEXT, "<email>").slice(0, 500);
}

export const espError = {
  rateLimited: (retryAfterMs: number): EspError => ({
    type: "rate_limited",
    retryable: true,
    retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)),
  }),
  invalidRecipient: (reason: string): EspError => ({
    type: "invalid_recipient",
    retryable: false,
    reason: scrubEmails(reason),
  }),
  authFailed: (reason?: string): EspError =>
    reason === undefined
      ? { type: "auth_failed", retryable: false }
      : { type: "auth_failed", retryable: false, reason: scrubEmails(reason) },
  providerDown: (status?: number): EspError =>
    status === undefined ? { type: "provider_down", retryable: true } : { type: "provider_down", retryable: true, status },
  rejected: (reason: string): EspError => ({ type: "rejected", retryable: false, reason: scrubEmails(reason) }),
  network: (message: string): EspError => ({ type: "network", retryable: true, message: scrubEmails(message) }),
};

/** One line for a job's reason or the admin ("rate_limited: retry after 2000 ms"); never an address. */
export function describeEspError(error: EspError): string {
  switch (error.type) {
    case "rate_limited":
      return `rate_limited: retry after ${error.retryAfterMs} ms`;
    case "provider_down":
      return error.status === undefined ? "provider_down" : `provider_down: HTTP ${error.status}`;
    case "network":
      return `network: ${error.message}`;
    case "auth_failed":
      return error.reason ? `auth_failed: ${error.reason}` : "auth_failed";
    case "invalid_recipient":
    case "rejected":
      return `${error.type}: ${error.reason}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Results

export type SendResult = { ok: true; providerMessageId: string } | { ok: false; error: EspError };

export type ValidationResult =
  /** `account` is a display label (account or server name), never a credential. */
  | { ok: true; account?: string; warnings?: string[] }
  | { ok: false; error: EspError };

/** A privacy deletion request, accepted by the provider (it may complete asynchronously), or why not. */
export type DeletionResult = { ok: true } | { ok: false; error: EspError };

/** The provider's published limit for the call a send makes (the tightest one when a send makes several). */
export type RateLimit = { perSecond: number; burst: number };

export interface EspAdapter {
  readonly id: EspId;
  readonly rateLimit: RateLimit;
  /** Largest number of messages sendBatch accepts in one call; absent when there is no sendBatch. */
  readonly maxBatchSize?: number;
  validateCredentials(): Promise<ValidationResult>;
  send(message: OutgoingEmail): Promise<SendResult>;
  /** One result per message, in order. Only where the provider's API sends many messages in one call. */
  sendBatch?(messages: OutgoingEmail[]): Promise<SendResult[]>;
  /**
   * customers/redact: ask the provider to delete the profile it keeps of this person. Only adapters
   * whose provider keeps one because of us (Klaviyo makes a profile for every event's recipient);
   * ADR 020 says what each provider keeps and why the others have no such call.
   */
  requestDeletion?(subject: { email: string }): Promise<DeletionResult>;
  close?(): Promise<void>;
}

export type EspDeps = {
  fetch?: typeof fetch;
  /** Overrides the provider's API origin (tests point it at a local fake). */
  baseUrl?: string;
  now?: () => number;
  /** Per-request timeout; defaults to 15 s for HTTP and 30 s for SMTP. */
  timeoutMs?: number;
};

/** Parses an outgoing message at the adapter boundary; a malformed one is our bug, not the provider's. */
export function checkOutgoing(message: OutgoingEmail): { ok: true; message: OutgoingEmail } | { ok: false; error: EspError } {
  const parsed = OutgoingEmailSchema.safeParse(message);
  if (parsed.success) {
    if (!z.email().safeParse(parsed.data.to.email).success) {
      return { ok: false, error: espError.invalidRecipient("malformed recipient address") };
    }
    if (!z.email().safeParse(parsed.data.from.email).success) {
      return { ok: false, error: espError.rejected("malformed sender address") };
    }
    return { ok: true, message: parsed.data };
  }
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
  const toProblem = parsed.error.issues.some((issue) => issue.path[0] === "to");
  return {
    ok: false,
    error: toProblem ? espError.invalidRecipient(problems) : espError.rejected(`invalid message: ${problems}`),
  };
}

/** Metadata echoed back in events, with the idempotency key always present. */
export function eventMetadata(message: OutgoingEmail): Record<string, string> {
  return { ...message.metadata, [IDEMPOTENCY_METADATA_KEY]: message.idempotencyKey };
}

/** Message headers plus the idempotency header. */
export function outgoingHeaders(message: OutgoingEmail): Record<string, string> {
  return { ...message.headers, [IDEMPOTENCY_HEADER]: message.idempotencyKey };
}
