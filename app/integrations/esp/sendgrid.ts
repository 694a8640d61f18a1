import { z } from "zod";
import { type ConnectionFor } from "./connection";
import { callHttp, commonStatusError, type HttpReply, resolveDeps, unexpectedReply } from "./http";
import { createRateLimiter } from "./token-bucket";
import {
  checkOutgoing,
  type EspAdapter,
  type EspDeps,
  type EspError,
  espError,
  eventMetadata,
  type OutgoingEmail,
  outgoingHeaders,
  type SendResult,
} from "./types";

// Twilio SendGrid v3 Mail Send (POST /v3/mail/send, tests/fixtures/esp-specs/sendgrid-mail.json).
// Mail Send takes no idempotency key: a send retried after an ambiguous failure can go out twice, so the
// key travels in custom_args (echoed in every event) and our X-Campaign-Pilot-Key header, and the ledger
// dedupes events. Our own List-Unsubscribe headers are rendered per recipient, so SendGrid's
// subscription tracking is switched off to keep one unsubscribe mechanism.

const ORIGINS = { global: "https://api.sendgrid.com", eu: "https://api.eu.sendgrid.com" } as const;

/** Personalizations per request (spec: maxItems 1000). */
export const SENDGRID_MAX_PERSONALIZATIONS = 1000;

// SendGrid documents per-endpoint limits only through X-RateLimit-* reply headers and publishes no fixed
// Mail Send rate; this pace is ours, generous enough that a 429 (mapped below) is what really limits.
const PACE = { perSecond: 100, burst: 200 };

const ErrorBody = z.object({
  errors: z.array(z.object({ message: z.string().optional(), field: z.string().nullable().optional() })).default([]),
});

// GET /v3/scopes is in SendGrid's API-keys document, which tests/fixtures does not carry: this is its reply.
const ScopesReply = z.object({ scopes: z.array(z.string()) });

type Personalization = {
  to: { email: string; name?: string }[];
  subject: string;
  headers: Record<string, string>;
  custom_args: Record<string, string>;
};

function personalization(message: OutgoingEmail): Personalization {
  return {
    to: [message.to.name ? { email: message.to.email, name: message.to.name } : { email: message.to.email }],
    subject: message.subject,
    headers: outgoingHeaders(message),
    custom_args: eventMetadata(message),
  };
}

/** One request for messages that share sender and content (per-recipient parts go in personalizations). */
export function buildMailSendBody(messages: OutgoingEmail[]): Record<string, unknown> {
  const [first] = messages;
  const categories = [...new Set(first.tags ?? [])].slice(0, 10);
  return {
    personalizations: messages.map(personalization),
    from: first.from.name ? { email: first.from.email, name: first.from.name } : { email: first.from.email },
    ...(first.replyTo ? { reply_to: { email: first.replyTo } } : {}),
    subject: first.subject,
    // SendGrid requires text/plain before text/html.
    content: [
      { type: "text/plain", value: first.text },
      { type: "text/html", value: first.html },
    ],
    ...(categories.length ? { categories } : {}),
    tracking_settings: { subscription_tracking: { enable: false } },
  };
}

function mapError(reply: HttpReply, now: number): EspError {
  const errors = ErrorBody.safeParse(reply.json ?? {}).data?.errors ?? [];
  const messages = errors.map((error) => error.message ?? "").join("; ");
  if (reply.status === 403 && /sender identity|from address/i.test(messages)) {
    return espError.rejected(`sender not verified in SendGrid: ${messages}`);
  }
  const common = commonStatusError(reply, now);
  if (common) return common;
  if (reply.status === 400) {
    const recipientProblem = errors.some(
      (error) => /personalizations\.\d+\.to/.test(error.field ?? "") || /valid address|invalid email/i.test(error.message ?? ""),
    );
    if (recipientProblem && !errors.some((error) => /^from/.test(error.field ?? ""))) {
      return espError.invalidRecipient(messages || "invalid recipient");
    }
    return espError.rejected(messages || "bad request");
  }
  if (reply.status === 413) return espError.rejected("message too large for SendGrid (HTTP 413)");
  return unexpectedReply(reply);
}

function contentKey(message: OutgoingEmail): string {
  return JSON.stringify([message.from, message.replyTo ?? "", message.html, message.text, message.tags ?? []]);
}

export function createSendgridAdapter(connection: ConnectionFor<"sendgrid">, options: EspDeps = {}): EspAdapter {
  const deps = resolveDeps(options);
  const origin = deps.baseUrl ?? ORIGINS[connection.region];
  const limiter = createRateLimiter([{ limit: PACE.burst, perMs: (PACE.burst / PACE.perSecond) * 1_000 }], deps.now);
  const auth = { authorization: `Bearer ${connection.apiKey}` };

  async function post(messages: OutgoingEmail[]): Promise<SendResult> {
    const taken = limiter.take();
    if (!taken.ok) return { ok: false, error: espError.rateLimited(taken.waitMs) };
    const call = await callHttp(deps, {
      method: "POST",
      url: `${origin}/v3/mail/send`,
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(buildMailSendBody(messages)),
    });
    if (!call.ok) return call;
    const { reply } = call;
    if (reply.status === 202 || reply.status === 200) {
      // One X-Message-Id per request; SendGrid suffixes it per recipient in events' sg_message_id.
      const id = reply.headers.get("x-message-id");
      return { ok: true, providerMessageId: id ?? `sendgrid:${messages[0].idempotencyKey}` };
    }
    return { ok: false, error: mapError(reply, deps.now()) };
  }

  return {
    id: "sendgrid",
    rateLimit: PACE,
    maxBatchSize: SENDGRID_MAX_PERSONALIZATIONS,

    async validateCredentials() {
      const call = await callHttp(deps, { method: "GET", url: `${origin}/v3/scopes`, headers: auth });
      if (!call.ok) return call;
      if (call.reply.status !== 200) return { ok: false, error: mapError(call.reply, deps.now()) };
      const scopes = ScopesReply.safeParse(call.reply.json);
      if (!scopes.success) return { ok: false, error: espError.providerDown(call.reply.status) };
      if (!scopes.data.scopes.includes("mail.send")) {
        return { ok: false, error: espError.authFailed("the API key lacks the mail.send permission") };
      }
      return { ok: true };
    },

    async send(message) {
      const checked = checkOutgoing(message);
      if (!checked.ok) return checked;
      return post([checked.message]);
    },

    /**
     * Messages with the same sender and content share one request, one personalization each (their
     * subject, headers and custom_args stay per recipient); the rest go one by one. A request succeeds
     * or fails as a whole, so every message in it gets the same result.
     */
    async sendBatch(messages) {
      const results: SendResult[] = new Array(messages.length);
      const parsed: OutgoingEmail[] = new Array(messages.length);
      const groups = new Map<string, number[]>();
      messages.forEach((message, index) => {
        const checked = checkOutgoing(message);
        if (!checked.ok) {
          results[index] = checked;
          return;
        }
        parsed[index] = checked.message;
        const key = contentKey(checked.message);
        const group = groups.get(key) ?? [];
        if (group.length === 0) groups.set(key, group);
        group.push(index);
      });
      for (const indexes of groups.values()) {
        for (let start = 0; start < indexes.length; start += SENDGRID_MAX_PERSONALIZATIONS) {
          const chunk = indexes.slice(start, start + SENDGRID_MAX_PERSONALIZATIONS);
          const result = await post(chunk.map((index) => parsed[index]));
          for (const index of chunk) results[index] = result;
        }
      }
      return results;
    },
  };
}
