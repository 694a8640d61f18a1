import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { z } from "zod";
import { scrubEmails } from "../types";
import {
  bodyText,
  type EspEvent,
  type EspEventType,
  header,
  malformed,
  MAX_WEBHOOK_AGE_MS,
  stringEntries,
  unauthorized,
  type WebhookRequest,
  type WebhookResult,
  withMetadata,
} from "./types";

// SendGrid's signed Event Webhook: ECDSA (P-256, SHA-256) over the timestamp header followed by the raw
// body; the signature is base64 DER, the verification key is the base64 DER (SPKI) public key SendGrid
// shows in the webhook's settings (PEM is accepted too). Custom args the adapter set come back as
// top-level fields of each event.

export const SENDGRID_SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
export const SENDGRID_TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

export function sendgridPublicKey(text: string): KeyObject | undefined {
  try {
    const trimmed = text.trim();
    const key = trimmed.startsWith("-----BEGIN")
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
    return key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1" ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Fields SendGrid itself puts on events; every other string field is a custom arg we set. */
const STANDARD_FIELDS = new Set([
  "email", "timestamp", "event", "sg_event_id", "sg_message_id", "smtp-id", "category", "url", "url_offset",
  "useragent", "ip", "reason", "status", "response", "attempt", "type", "bounce_classification", "tls",
  "cert_err", "asm_group_id", "sg_machine_open", "sg_content_type", "sg_template_id", "sg_template_name",
  "marketing_campaign_id", "marketing_campaign_name", "marketing_campaign_version", "marketing_campaign_split_id",
  "mc_stats", "pool", "send_at", "singlesend_id", "singlesend_name", "template_id", "phase_id", "post_type",
]);

const SendgridEvent = z.looseObject({
  email: z.string(),
  timestamp: z.number(),
  event: z.string(),
  sg_event_id: z.string(),
  sg_message_id: z.string().optional(),
  url: z.string().optional(),
  reason: z.string().optional(),
  type: z.string().optional(),
});

const TYPES: Record<string, EspEventType | undefined> = {
  delivered: "delivered",
  deferred: "deferred",
  bounce: "bounce",
  dropped: "dropped",
  open: "open",
  click: "click",
  spamreport: "complaint",
  unsubscribe: "unsubscribe",
  group_unsubscribe: "unsubscribe",
};

function normalize(raw: z.infer<typeof SendgridEvent>): EspEvent | undefined {
  const type = TYPES[raw.event];
  if (!type) return undefined; // processed, group_resubscribe and events we do not act on
  const custom = stringEntries(Object.fromEntries(Object.entries(raw).filter(([key]) => !STANDARD_FIELDS.has(key))));
  return {
    provider: "sendgrid",
    type,
    email: raw.email.toLowerCase(),
    occurredAt: new Date(raw.timestamp * 1000),
    eventId: raw.sg_event_id,
    ...(raw.sg_message_id ? { providerMessageId: raw.sg_message_id } : {}),
    ...withMetadata(custom),
    ...(type === "click" && raw.url ? { url: raw.url } : {}),
    // "blocked" is SendGrid's temporary bounce; "bounce" is a permanent one.
    ...(type === "bounce" ? { bounceType: raw.type === "blocked" ? ("soft" as const) : ("hard" as const) } : {}),
    ...(raw.reason ? { reason: scrubEmails(raw.reason) } : {}),
  };
}

export type SendgridWebhookOptions = { publicKey: string; now?: () => number; maxAgeMs?: number };

export function parseSendgridWebhook(request: WebhookRequest, options: SendgridWebhookOptions): WebhookResult {
  const key = sendgridPublicKey(options.publicKey);
  if (!key) return unauthorized("the configured SendGrid verification key is not a P-256 public key");
  const signature = header(request.headers, SENDGRID_SIGNATURE_HEADER);
  const timestamp = header(request.headers, SENDGRID_TIMESTAMP_HEADER);
  if (!signature || !timestamp) return unauthorized("signature or timestamp header missing");
  if (!/^\d{1,12}$/.test(timestamp)) return unauthorized("timestamp is not epoch seconds");

  const raw = typeof request.rawBody === "string" ? Buffer.from(request.rawBody, "utf8") : request.rawBody;
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), raw]);
  let valid = false;
  try {
    valid = verify("sha256", signed, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    valid = false;
  }
  if (!valid) return unauthorized("signature does not verify");

  // Checked after the signature, so an attacker cannot learn our clock window from unsigned probes.
  const ageMs = (options.now ?? Date.now)() - Number(timestamp) * 1000;
  if (Math.abs(ageMs) > (options.maxAgeMs ?? MAX_WEBHOOK_AGE_MS)) return { ok: false, error: { type: "stale", ageMs } };

  let json: unknown;
  try {
    json = JSON.parse(bodyText(request));
  } catch {
    return malformed("body is not JSON");
  }
  const batch = z.array(z.unknown()).safeParse(json);
  if (!batch.success) return malformed("body is not an array of events");
  const events: EspEvent[] = [];
  let ignored = 0;
  for (const item of batch.data) {
    const parsed = SendgridEvent.safeParse(item);
    const event = parsed.success ? normalize(parsed.data) : undefined;
    if (event) events.push(event);
    else ignored += 1;
  }
  return { ok: true, events, ignored };
}
