import { createHmac } from "node:crypto";
import { z } from "zod";
import { scrubEmails } from "../types";
import {
  bodyText,
  constantTimeEqual,
  derivedEventId,
  type EspEvent,
  type EspEventType,
  header,
  malformed,
  stringEntries,
  unauthorized,
  type WebhookRequest,
  type WebhookResult,
  withMetadata,
} from "./types";

// Mandrill (Mailchimp Transactional) webhooks: a form-encoded POST whose `mandrill_events` field is a
// JSON array. X-Mandrill-Signature is base64(HMAC-SHA1(webhook key, URL + each POST key and value,
// keys sorted)), with the URL exactly as registered in Mandrill. Mandrill sends no per-event id; ours is
// derived from message id, event, timestamp (and URL for clicks).

export const MANDRILL_SIGNATURE_HEADER = "X-Mandrill-Signature";

export function mandrillSignature(webhookKey: string, url: string, params: URLSearchParams): string {
  const keys = [...new Set(params.keys())].sort();
  const signed = url + keys.map((key) => key + (params.get(key) ?? "")).join("");
  return createHmac("sha1", webhookKey).update(signed, "utf8").digest("base64");
}

const MessageEvent = z.looseObject({
  event: z.string(),
  ts: z.number(),
  _id: z.string(),
  url: z.string().optional(),
  msg: z.looseObject({
    email: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    bounce_description: z.string().nullish(),
    diag: z.string().nullish(),
  }),
});

const TYPES: Record<string, EspEventType | undefined> = {
  send: "delivered",
  delivered: "delivered",
  deferral: "deferred",
  hard_bounce: "bounce",
  soft_bounce: "bounce",
  open: "open",
  click: "click",
  spam: "complaint",
  unsub: "unsubscribe",
  reject: "dropped",
};

function normalize(raw: z.infer<typeof MessageEvent>): EspEvent | undefined {
  const type = TYPES[raw.event];
  if (!type) return undefined;
  const reason = raw.msg.bounce_description ?? raw.msg.diag ?? undefined;
  return {
    provider: "mandrill",
    type,
    email: raw.msg.email.toLowerCase(),
    occurredAt: new Date(raw.ts * 1000),
    providerMessageId: raw._id,
    eventId: derivedEventId("mandrill", raw._id, raw.event, raw.ts, raw.url),
    ...withMetadata(stringEntries(raw.msg.metadata ?? undefined)),
    ...(type === "click" && raw.url ? { url: raw.url } : {}),
    ...(type === "bounce" ? { bounceType: raw.event === "hard_bounce" ? ("hard" as const) : ("soft" as const) } : {}),
    ...(reason && (type === "bounce" || type === "dropped" || type === "deferred") ? { reason: scrubEmails(reason) } : {}),
  };
}

export type MandrillWebhookOptions = { webhookKey: string };

export function parseMandrillWebhook(request: WebhookRequest, options: MandrillWebhookOptions): WebhookResult {
  const params = new URLSearchParams(bodyText(request));
  const signature = header(request.headers, MANDRILL_SIGNATURE_HEADER);
  if (!signature) return unauthorized("signature header missing");
  if (!constantTimeEqual(signature, mandrillSignature(options.webhookKey, request.url, params))) {
    return unauthorized("signature does not match (check the webhook URL matches the one registered)");
  }
  const field = params.get("mandrill_events");
  if (field === null) return malformed("no mandrill_events field");
  let json: unknown;
  try {
    json = JSON.parse(field);
  } catch {
    return malformed("mandrill_events is not JSON");
  }
  const batch = z.array(z.unknown()).safeParse(json);
  if (!batch.success) return malformed("mandrill_events is not an array");
  const events: EspEvent[] = [];
  let ignored = 0;
  for (const item of batch.data) {
    // Sync events (allow/deny-list changes) have `type` instead of `event` and fail this parse: ignored.
    const parsed = MessageEvent.safeParse(item);
    const event = parsed.success ? normalize(parsed.data) : undefined;
    if (event) events.push(event);
    else ignored += 1;
  }
  return { ok: true, events, ignored };
}
