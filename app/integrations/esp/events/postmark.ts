import { z } from "zod";
import { scrubEmails } from "../types";
import {
  bodyText,
  constantTimeEqual,
  derivedEventId,
  type EspEvent,
  header,
  malformed,
  stringEntries,
  unauthorized,
  type WebhookRequest,
  type WebhookResult,
  withMetadata,
} from "./types";

// Postmark webhooks are not signed. Postmark supports basic-auth credentials in the webhook URL
// (https://user:pass@host/…, sent as an Authorization header) and any URL we choose, so a merchant's
// connection holds either those credentials or a random token for the URL's query string; both are
// compared in constant time. One event per request, told apart by RecordType.

export type PostmarkWebhookOptions = {
  basicAuth?: { username: string; password: string };
  token?: string;
  /** Query parameter holding the token. */
  tokenParam?: string;
};

function authenticate(request: WebhookRequest, options: PostmarkWebhookOptions): string | undefined {
  if (!options.basicAuth && !options.token) return "no webhook credentials configured for this connection";
  if (options.basicAuth) {
    const authorization = header(request.headers, "authorization") ?? "";
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
    const presented = match ? Buffer.from(match[1], "base64").toString("utf8") : "";
    const expected = `${options.basicAuth.username}:${options.basicAuth.password}`;
    if (!constantTimeEqual(presented, expected)) return "basic-auth credentials do not match";
  }
  if (options.token) {
    let presented = "";
    try {
      presented = new URL(request.url).searchParams.get(options.tokenParam ?? "token") ?? "";
    } catch {
      presented = "";
    }
    if (!constantTimeEqual(presented, options.token)) return "URL token does not match";
  }
  return undefined;
}

const Base = z.looseObject({
  RecordType: z.string(),
  MessageID: z.string().optional(),
  MessageStream: z.string().optional(),
  Metadata: z.record(z.string(), z.unknown()).nullish(),
});

const Delivery = Base.extend({ RecordType: z.literal("Delivery"), Recipient: z.string(), DeliveredAt: z.string() });
const Bounce = Base.extend({
  RecordType: z.enum(["Bounce", "SpamComplaint"]),
  ID: z.union([z.number(), z.string()]),
  Type: z.string(),
  Email: z.string(),
  BouncedAt: z.string(),
  Description: z.string().optional(),
  Inactive: z.boolean().optional(),
});
const Open = Base.extend({ RecordType: z.literal("Open"), Recipient: z.string(), ReceivedAt: z.string() });
const Click = Base.extend({ RecordType: z.literal("Click"), Recipient: z.string(), ReceivedAt: z.string(), OriginalLink: z.string() });
const SubscriptionChange = Base.extend({
  RecordType: z.literal("SubscriptionChange"),
  Recipient: z.string(),
  ChangedAt: z.string(),
  SuppressSending: z.boolean(),
  SuppressionReason: z.string().nullish(),
});

// Postmark bounce types (postmarkapp.com/developer/api/bounce-api#bounce-types): the ones meaning the
// address is gone, and the ones that are no delivery failure at all. Every other type (SoftBounce,
// Transient, DnsError, Blocked, DMARCPolicy…) is soft unless Postmark deactivated the address (Inactive).
const HARD = new Set(["HardBounce", "BadEmailAddress", "ManuallyDeactivated"]);
const NOT_BOUNCES = new Set(["AutoResponder", "Subscribe", "AddressChange", "ChallengeVerification", "OpenRelayTest", "InboundError", "TemplateRenderingFailed"]);

function date(text: string): Date | undefined {
  const value = new Date(text);
  return Number.isNaN(value.getTime()) ? undefined : value;
}

function common(record: z.infer<typeof Base>, email: string) {
  return {
    provider: "postmark" as const,
    email: email.toLowerCase(),
    ...(record.MessageID ? { providerMessageId: record.MessageID } : {}),
    ...withMetadata(stringEntries(record.Metadata ?? undefined)),
  };
}

function normalize(json: unknown): EspEvent | undefined | "malformed" {
  const base = Base.safeParse(json);
  if (!base.success) return "malformed";
  switch (base.data.RecordType) {
    case "Delivery": {
      const r = Delivery.safeParse(json);
      const at = r.success ? date(r.data.DeliveredAt) : undefined;
      if (!r.success || !at) return "malformed";
      return { ...common(r.data, r.data.Recipient), type: "delivered", occurredAt: at, eventId: derivedEventId("postmark", "Delivery", r.data.MessageID, r.data.Recipient) };
    }
    case "Bounce":
    case "SpamComplaint": {
      const r = Bounce.safeParse(json);
      const at = r.success ? date(r.data.BouncedAt) : undefined;
      if (!r.success || !at) return "malformed";
      const { Type } = r.data;
      const shared = { ...common(r.data, r.data.Email), occurredAt: at, eventId: `postmark:${r.data.RecordType}:${r.data.ID}` };
      if (r.data.RecordType === "SpamComplaint" || Type === "SpamComplaint") return { ...shared, type: "complaint" };
      if (Type === "Unsubscribe") return { ...shared, type: "unsubscribe" };
      if (NOT_BOUNCES.has(Type)) return undefined;
      const bounceType = HARD.has(Type) || r.data.Inactive === true ? "hard" : "soft";
      return { ...shared, type: "bounce", bounceType, reason: scrubEmails(`${Type}${r.data.Description ? `: ${r.data.Description}` : ""}`) };
    }
    case "Open": {
      const r = Open.safeParse(json);
      const at = r.success ? date(r.data.ReceivedAt) : undefined;
      if (!r.success || !at) return "malformed";
      return { ...common(r.data, r.data.Recipient), type: "open", occurredAt: at, eventId: derivedEventId("postmark", "Open", r.data.MessageID, r.data.ReceivedAt) };
    }
    case "Click": {
      const r = Click.safeParse(json);
      const at = r.success ? date(r.data.ReceivedAt) : undefined;
      if (!r.success || !at) return "malformed";
      return {
        ...common(r.data, r.data.Recipient),
        type: "click",
        occurredAt: at,
        url: r.data.OriginalLink,
        eventId: derivedEventId("postmark", "Click", r.data.MessageID, r.data.ReceivedAt, r.data.OriginalLink),
      };
    }
    case "SubscriptionChange": {
      const r = SubscriptionChange.safeParse(json);
      const at = r.success ? date(r.data.ChangedAt) : undefined;
      if (!r.success || !at) return "malformed";
      // Bounce and complaint suppressions arrive as their own events; a manual one is an unsubscribe.
      if (!r.data.SuppressSending || r.data.SuppressionReason !== "ManualSuppression") return undefined;
      return {
        ...common(r.data, r.data.Recipient),
        type: "unsubscribe",
        occurredAt: at,
        eventId: derivedEventId("postmark", "SubscriptionChange", r.data.MessageID, r.data.ChangedAt),
      };
    }
    default:
      return undefined;
  }
}

// Bounce IDs are 64-bit (Postmark's own examples exceed 2^53): keep their digits, or dedupe ids collide.
function keepLargeIds(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  return typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source ? context.source : value;
}

export function parsePostmarkWebhook(request: WebhookRequest, options: PostmarkWebhookOptions): WebhookResult {
  const failure = authenticate(request, options);
  if (failure) return unauthorized(failure);
  let json: unknown;
  try {
    json = JSON.parse(bodyText(request), keepLargeIds as (key: string, value: unknown) => unknown);
  } catch {
    return malformed("body is not JSON");
  }
  const event = normalize(json);
  if (event === "malformed") return malformed("not a Postmark webhook record");
  return event ? { ok: true, events: [event], ignored: 0 } : { ok: true, events: [], ignored: 1 };
}
