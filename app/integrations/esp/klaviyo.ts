import { z } from "zod";
import { type ConnectionFor } from "./connection";
import { callHttp, commonStatusError, type HttpReply, resolveDeps, unexpectedReply } from "./http";
import { createRateLimiter, parseRateWindow, type RateLimiter, type RateWindow, summarize } from "./token-bucket";
import {
  checkOutgoing,
  type EspAdapter,
  type EspDeps,
  type EspError,
  espError,
  type OutgoingEmail,
  outgoingHeaders,
  type RateLimit,
  type SendResult,
} from "./types";

// Klaviyo has no "send this HTML to this address" endpoint: its email goes out through campaigns and
// flows built in Klaviyo. So a send here is an EVENT (POST /api/events, revision 2026-07-15, see
// tests/fixtures/esp-specs/klaviyo.json) on a metric the merchant names ("Campaign Pilot Email" by
// default), carrying the rendered subject, HTML, text and unsubscribe URL as properties. The merchant
// sets up, once, a Klaviyo flow triggered by that metric whose email template prints those properties
// ({{ event.Subject }}, {{ event.extra.html|safe }}, …); Klaviyo then delivers, tracks and reports it.
//
// - providerMessageId is the event's unique_id, which we set to the idempotency key: Klaviyo records
//   only the first event per (profile, metric, unique_id), so a retried send cannot trigger the flow twice.
// - Consent: Klaviyo's flows decide who may get marketing email. With consent "subscribe" the adapter
//   first records email-marketing consent (POST /api/profile-subscription-bulk-create-jobs). Klaviyo
//   documents that this call lifts UNSUBSCRIBE / SPAM_REPORT suppressions, so it is opt-in per connection.
// - Rate limits are Klaviyo's published per-endpoint limits (x-klaviyo-ratelimit in the spec), enforced
//   locally with token buckets so a campaign slows down before Klaviyo answers 429.
// - customers/redact: Klaviyo keeps a profile for every address we send an event for, so the adapter
//   asks for its deletion (POST /api/data-privacy-deletion-jobs, by email; one identifier per request,
//   as the spec requires). 202 means queued at Klaviyo; deleted profiles then show on its Deleted
//   Profiles page. Needs the key's data-privacy:write scope: a 403 is auth_failed, not a success.

export const KLAVIYO_REVISION = "2026-07-15";
const ORIGIN = "https://a.klaviyo.com";
/** Klaviyo's per-string limit on event properties (100 KB). */
const MAX_PROPERTY_BYTES = 100 * 1024;
/** event-bulk-create-jobs: up to 1,000 events and 5 MB per request; we keep a margin under 5 MB. */
export const KLAVIYO_MAX_BATCH = 1000;
const MAX_BULK_BYTES = 4.5 * 1024 * 1024;

/** Published limits, copied from x-klaviyo-ratelimit in the spec (a test checks they still match). */
export const KLAVIYO_RATE_LIMITS = {
  "POST /api/events": { burst: "350/s", steady: "3500/m" },
  "POST /api/event-bulk-create-jobs": { burst: "10/s", steady: "150/m" },
  "POST /api/profile-subscription-bulk-create-jobs": { burst: "75/s", steady: "750/m" },
  "GET /api/accounts": { burst: "1/s", steady: "15/m" },
  "POST /api/data-privacy-deletion-jobs": { burst: "3/s", steady: "60/m" },
} as const;
export type KlaviyoEndpoint = keyof typeof KLAVIYO_RATE_LIMITS;

function windows(endpoint: KlaviyoEndpoint): RateWindow[] {
  const { burst, steady } = KLAVIYO_RATE_LIMITS[endpoint];
  return [parseRateWindow(burst), parseRateWindow(steady)];
}

const ClientError = z.object({
  errors: z.array(
    z.object({
      code: z.string().optional(),
      title: z.string().optional(),
      detail: z.string().optional(),
      source: z.object({ pointer: z.string().optional() }).partial().optional(),
    }),
  ),
});
const Accounts = z.object({
  data: z.array(z.object({ attributes: z.object({ contact_information: z.object({ organization_name: z.string() }).partial() }) })),
});

/** The https URL from List-Unsubscribe, for templates that print their own unsubscribe link. */
function unsubscribeUrl(headers: Record<string, string>): string | undefined {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === "list-unsubscribe")?.[1];
  return value?.match(/<(https:[^>]+)>/)?.[1];
}

/** Event properties: short, segmentable fields at the top; bulky content under $extra as Klaviyo advises. */
export function eventProperties(message: OutgoingEmail): Record<string, unknown> {
  const unsubscribe = unsubscribeUrl(message.headers);
  return {
    Subject: message.subject,
    ...(unsubscribe ? { UnsubscribeUrl: unsubscribe } : {}),
    ...(message.to.name ? { RecipientName: message.to.name } : {}),
    FromEmail: message.from.email,
    ...(message.from.name ? { FromName: message.from.name } : {}),
    ...(message.replyTo ? { ReplyTo: message.replyTo } : {}),
    ...(message.tags?.length ? { Tags: message.tags } : {}),
    ...message.metadata,
    IdempotencyKey: message.idempotencyKey,
    $extra: { html: message.html, text: message.text, headers: outgoingHeaders(message) },
  };
}

const profile = (message: OutgoingEmail) => ({ data: { type: "profile", attributes: { email: message.to.email } } });
const metric = (name: string) => ({ data: { type: "metric", attributes: { name } } });

export function buildCreateEvent(message: OutgoingEmail, metricName: string, now: number) {
  return {
    data: {
      type: "event",
      attributes: {
        properties: eventProperties(message),
        time: new Date(now).toISOString(),
        unique_id: message.idempotencyKey,
        metric: metric(metricName),
        profile: profile(message),
      },
    },
  };
}

export function buildBulkCreateEvents(messages: OutgoingEmail[], metricName: string, now: number) {
  const time = new Date(now).toISOString();
  return {
    data: {
      type: "event-bulk-create-job",
      attributes: {
        "events-bulk-create": {
          data: messages.map((message) => ({
            type: "event-bulk-create",
            attributes: {
              profile: profile(message),
              events: {
                data: [
                  {
                    type: "event",
                    attributes: { properties: eventProperties(message), time, unique_id: message.idempotencyKey, metric: metric(metricName) },
                  },
                ],
              },
            },
          })),
        },
      },
    },
  };
}

export function buildDeletionRequest(email: string) {
  return {
    data: {
      type: "data-privacy-deletion-job",
      attributes: { profile: { data: { type: "profile", attributes: { email } } } },
    },
  };
}

export function buildSubscribeProfiles(messages: OutgoingEmail[], listId: string | undefined) {
  const emails = [...new Set(messages.map((message) => message.to.email.toLowerCase()))];
  return {
    data: {
      type: "profile-subscription-bulk-create-job",
      attributes: {
        custom_source: "Campaign Pilot",
        profiles: {
          data: emails.map((email) => ({
            type: "profile",
            attributes: { email, subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } } },
          })),
        },
      },
      ...(listId ? { relationships: { list: { data: { type: "list", id: listId } } } } : {}),
    },
  };
}

function mapError(reply: HttpReply, now: number): EspError {
  const common = commonStatusError(reply, now);
  if (common) return common;
  const errors = ClientError.safeParse(reply.json).data?.errors ?? [];
  const detail = errors.map((error) => error.detail ?? error.title ?? error.code ?? "").join("; ");
  const aboutEmail = errors.some((error) => /\/email$/.test(error.source?.pointer ?? "") || /email/i.test(error.detail ?? ""));
  if (reply.status === 400 && aboutEmail) return espError.invalidRecipient(detail || "invalid email");
  if (reply.status >= 400 && reply.status < 500) return espError.rejected(detail || `HTTP ${reply.status}`);
  return unexpectedReply(reply);
}

function oversized(message: OutgoingEmail): EspError | undefined {
  const bytes = Math.max(Buffer.byteLength(message.html), Buffer.byteLength(message.text));
  return bytes > MAX_PROPERTY_BYTES
    ? espError.rejected(`email body is ${Math.ceil(bytes / 1024)} KB; Klaviyo event properties are capped at 100 KB`)
    : undefined;
}

export type KlaviyoAdapter = EspAdapter & Required<Pick<EspAdapter, "requestDeletion">> & { readonly endpointLimits: typeof KLAVIYO_RATE_LIMITS };

export function createKlaviyoAdapter(connection: ConnectionFor<"klaviyo">, options: EspDeps = {}): KlaviyoAdapter {
  const deps = resolveDeps(options);
  const origin = deps.baseUrl ?? ORIGIN;
  const limiters = Object.fromEntries(
    (Object.keys(KLAVIYO_RATE_LIMITS) as KlaviyoEndpoint[]).map((endpoint) => [endpoint, createRateLimiter(windows(endpoint), deps.now)]),
  ) as Record<KlaviyoEndpoint, RateLimiter>;
  const subscribing = connection.consent === "subscribe";
  const sendWindows = [...windows("POST /api/events"), ...(subscribing ? windows("POST /api/profile-subscription-bulk-create-jobs") : [])];
  const rateLimit: RateLimit = summarize(sendWindows);
  const headers = {
    authorization: `Klaviyo-API-Key ${connection.privateApiKey}`,
    revision: KLAVIYO_REVISION,
    accept: "application/vnd.api+json",
  };

  async function call(endpoint: KlaviyoEndpoint, body?: unknown): Promise<{ ok: true; reply: HttpReply } | { ok: false; error: EspError }> {
    const taken = limiters[endpoint].take();
    if (!taken.ok) return { ok: false, error: espError.rateLimited(taken.waitMs) };
    const [method, path] = endpoint.split(" ") as ["GET" | "POST", string];
    const result = await callHttp(deps, {
      method,
      url: `${origin}${path}`,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/vnd.api+json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!result.ok) return result;
    if (result.reply.status >= 200 && result.reply.status < 300) return result;
    return { ok: false, error: mapError(result.reply, deps.now()) };
  }

  async function subscribe(messages: OutgoingEmail[]): Promise<EspError | undefined> {
    if (!subscribing) return undefined;
    const result = await call("POST /api/profile-subscription-bulk-create-jobs", buildSubscribeProfiles(messages, connection.listId));
    return result.ok ? undefined : result.error;
  }

  async function sendChunk(messages: OutgoingEmail[]): Promise<SendResult[]> {
    const failed = await subscribe(messages);
    const result = failed
      ? { ok: false as const, error: failed }
      : await call("POST /api/event-bulk-create-jobs", buildBulkCreateEvents(messages, connection.metricName, deps.now()));
    // A bulk job is accepted or refused as a whole (202 means queued, not processed).
    return messages.map((message) => (result.ok ? { ok: true, providerMessageId: message.idempotencyKey } : { ok: false, error: result.error }));
  }

  return {
    id: "klaviyo",
    rateLimit,
    endpointLimits: KLAVIYO_RATE_LIMITS,
    maxBatchSize: KLAVIYO_MAX_BATCH,

    async validateCredentials() {
      const result = await call("GET /api/accounts");
      if (!result.ok) return result;
      const accounts = Accounts.safeParse(result.reply.json);
      const name = accounts.success ? accounts.data.data[0]?.attributes.contact_information.organization_name : undefined;
      const warnings = [
        `Emails are delivered by a Klaviyo flow triggered by the metric "${connection.metricName}"; it must exist and be live.`,
        ...(subscribing && !connection.listId ? ["No list set: Klaviyo's account-level default opt-in applies to new subscriptions."] : []),
      ];
      return { ok: true, ...(name ? { account: name } : {}), warnings };
    },

    async send(message) {
      const checked = checkOutgoing(message);
      if (!checked.ok) return checked;
      const tooBig = oversized(checked.message);
      if (tooBig) return { ok: false, error: tooBig };
      const failed = await subscribe([checked.message]);
      if (failed) return { ok: false, error: failed };
      const result = await call("POST /api/events", buildCreateEvent(checked.message, connection.metricName, deps.now()));
      return result.ok ? { ok: true, providerMessageId: checked.message.idempotencyKey } : result;
    },

    async requestDeletion({ email }) {
      const result = await call("POST /api/data-privacy-deletion-jobs", buildDeletionRequest(email));
      return result.ok ? { ok: true } : result;
    },

    async sendBatch(messages) {
      const results: SendResult[] = new Array(messages.length);
      let chunk: { index: number; message: OutgoingEmail }[] = [];
      let bytes = 0;
      const flush = async () => {
        if (chunk.length === 0) return;
        const chunkResults = await sendChunk(chunk.map((item) => item.message));
        chunk.forEach((item, position) => (results[item.index] = chunkResults[position]));
        chunk = [];
        bytes = 0;
      };
      for (const [index, message] of messages.entries()) {
        const checked = checkOutgoing(message);
        const problem = checked.ok ? oversized(checked.message) : checked.error;
        if (problem || !checked.ok) {
          results[index] = { ok: false, error: problem ?? espError.rejected("invalid message") };
          continue;
        }
        const size = Buffer.byteLength(checked.message.html) + Buffer.byteLength(checked.message.text) + 2048;
        if (chunk.length === KLAVIYO_MAX_BATCH || bytes + size > MAX_BULK_BYTES) await flush();
        chunk.push({ index, message: checked.message });
        bytes += size;
      }
      await flush();
      return results;
    },
  };
}
