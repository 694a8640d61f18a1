import { createHmac } from "node:crypto";
import { z } from "zod";
import {
  bodyText,
  constantTimeEqual,
  type EspEvent,
  type EspEventType,
  header,
  malformed,
  MAX_WEBHOOK_AGE_MS,
  unauthorized,
  type WebhookRequest,
  type WebhookResult,
} from "./types";

// Klaviyo system webhooks. The OpenAPI document (revision 2026-07-15) has the Webhooks API, whose
// create_webhook takes a `secret_key` "used for webhook request signing", but it does not describe the
// request Klaviyo then sends. That comes from Klaviyo's guide "Working with system webhooks": headers
// Klaviyo-Signature, Klaviyo-Timestamp and Klaviyo-Webhook-Id; body { data: [{ topic, external_id,
// payload }], meta: { klaviyo_webhook_id, … } } where meta.klaviyo_webhook_id must equal the header and
// payload has the shape of a Get Event reply. The signature algorithm, a lower-case hex HMAC-SHA256 of
// the raw body followed by the timestamp, is as third-party guides describe it; confirm it against a
// real Klaviyo delivery before relying on it.
//
// Klaviyo delivers our sends through the merchant's flow, so its email events name the profile, not
// our send: `email` is null unless the payload carries it, and matching goes by profile id and time.

export const KLAVIYO_SIGNATURE_HEADER = "Klaviyo-Signature";
export const KLAVIYO_TIMESTAMP_HEADER = "Klaviyo-Timestamp";
export const KLAVIYO_WEBHOOK_ID_HEADER = "Klaviyo-Webhook-Id";

export function klaviyoSignature(secret: string, rawBody: string | Buffer, timestamp: string): string {
  return createHmac("sha256", secret).update(rawBody).update(timestamp, "utf8").digest("hex");
}

/** Metric topics (event:klaviyo.<metric>) for Klaviyo's own email metrics. */
const TOPICS: Record<string, EspEventType> = {
  received_email: "delivered",
  email_delivered: "delivered",
  opened_email: "open",
  clicked_email: "click",
  bounced_email: "bounce",
  marked_email_as_spam: "complaint",
  unsubscribed: "unsubscribe",
  unsubscribed_from_email_marketing: "unsubscribe",
  dropped_email: "dropped",
};

const Body = z.object({
  data: z.array(z.object({ topic: z.string(), external_id: z.string().optional(), payload: z.unknown() })),
  meta: z.looseObject({ klaviyo_webhook_id: z.string().optional() }),
});

const EventResource = z.looseObject({
  id: z.string(),
  attributes: z.looseObject({
    datetime: z.string().optional(),
    timestamp: z.number().optional(),
    event_properties: z.record(z.string(), z.unknown()).default({}),
  }),
  relationships: z
    .looseObject({ profile: z.object({ data: z.object({ id: z.string() }) }).optional() })
    .optional(),
});

/** Seconds, milliseconds or an ISO date; undefined when it is none of them. */
function parseTimestamp(text: string): number | undefined {
  if (/^\d{10}$/.test(text)) return Number(text) * 1000;
  if (/^\d{13}$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

function normalize(item: z.infer<typeof Body>["data"][number]): EspEvent | undefined {
  const metric = /^event:klaviyo\.(.+)$/.exec(item.topic)?.[1];
  const type = metric ? TOPICS[metric] : undefined;
  if (!type) return undefined;
  const payload = item.payload as { data?: unknown } | undefined;
  const resource = EventResource.safeParse(payload?.data ?? payload);
  if (!resource.success) return undefined;
  const { attributes, relationships, id } = resource.data;
  const properties = attributes.event_properties;
  const occurredAt = attributes.datetime ? new Date(attributes.datetime) : new Date((attributes.timestamp ?? 0) * 1000);
  const email = str(properties.$email) ?? str(properties.email) ?? str(properties.Email);
  const profileId = relationships?.profile?.data.id;
  const bounce = str(properties["Bounce Type"])?.toLowerCase();
  const key = str(properties.IdempotencyKey);
  return {
    provider: "klaviyo",
    type,
    email: email ? email.toLowerCase() : null,
    occurredAt,
    eventId: id,
    ...(profileId ? { metadata: { klaviyo_profile_id: profileId } } : {}),
    ...(key ? { idempotencyKey: key } : {}),
    ...(type === "click" && str(properties.URL) ? { url: str(properties.URL) } : {}),
    ...(type === "bounce" ? { bounceType: bounce === "soft" ? ("soft" as const) : ("hard" as const) } : {}),
  };
}

export type KlaviyoWebhookOptions = { secret: string; now?: () => number; maxAgeMs?: number };

export function parseKlaviyoWebhook(request: WebhookRequest, options: KlaviyoWebhookOptions): WebhookResult {
  const signature = header(request.headers, KLAVIYO_SIGNATURE_HEADER);
  const timestamp = header(request.headers, KLAVIYO_TIMESTAMP_HEADER);
  const webhookId = header(request.headers, KLAVIYO_WEBHOOK_ID_HEADER);
  if (!signature || !timestamp || !webhookId) return unauthorized("Klaviyo signature, timestamp or webhook id header missing");
  if (!constantTimeEqual(signature.trim().toLowerCase(), klaviyoSignature(options.secret, request.rawBody, timestamp))) {
    return unauthorized("signature does not match");
  }
  // A timestamp we cannot read leaves only the signature; one we can read must be recent.
  const sentAt = parseTimestamp(timestamp.trim());
  if (sentAt !== undefined) {
    const ageMs = (options.now ?? Date.now)() - sentAt;
    if (Math.abs(ageMs) > (options.maxAgeMs ?? MAX_WEBHOOK_AGE_MS)) return { ok: false, error: { type: "stale", ageMs } };
  }
  let json: unknown;
  try {
    json = JSON.parse(bodyText(request));
  } catch {
    return malformed("body is not JSON");
  }
  const body = Body.safeParse(json);
  if (!body.success) return malformed("not a Klaviyo webhook body");
  if (body.data.meta.klaviyo_webhook_id !== undefined && !constantTimeEqual(body.data.meta.klaviyo_webhook_id, webhookId)) {
    return unauthorized("meta.klaviyo_webhook_id does not match the Klaviyo-Webhook-Id header");
  }
  const events: EspEvent[] = [];
  let ignored = 0;
  for (const item of body.data.data) {
    const event = normalize(item);
    if (event) events.push(event);
    else ignored += 1;
  }
  return { ok: true, events, ignored };
}
