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

// Postmark server API: POST /email, POST /email/batch, GET /server (tests/fixtures/esp-specs/postmark.json).
// The 2019 document predates MessageStream and Metadata; both exist on the official client's Message model
// (postmark 5.1.0). Marketing mail must go through a Broadcast stream, hence messageStream on the
// connection. Postmark takes no idempotency key; Metadata (echoed in every webhook) carries ours.

const ORIGIN = "https://api.postmarkapp.com";
/** Postmark's documented cap for /email/batch (500 messages, 50 MB). */
export const POSTMARK_MAX_BATCH = 500;
// Postmark publishes no sending rate for its API; this pace is ours and a 429 still maps to rate_limited.
const PACE = { perSecond: 50, burst: 100 };

const SendReply = z.object({
  ErrorCode: z.number(),
  Message: z.string().optional(),
  MessageID: z.string().optional(),
});
const ServerReply = z.object({ Name: z.string().optional() });

/** `"Name" <email>` with RFC 5322 quoting, or the bare address. */
export function formatAddress(address: { email: string; name?: string }): string {
  if (!address.name) return address.email;
  return `"${address.name.replace(/(["\\])/g, "\\$1")}" <${address.email}>`;
}

export function buildPostmarkMessage(message: OutgoingEmail, messageStream: string): Record<string, unknown> {
  return {
    From: formatAddress(message.from),
    To: formatAddress(message.to),
    ...(message.replyTo ? { ReplyTo: message.replyTo } : {}),
    Subject: message.subject,
    HtmlBody: message.html,
    TextBody: message.text,
    Headers: Object.entries(outgoingHeaders(message)).map(([Name, Value]) => ({ Name, Value })),
    // Postmark keeps one tag per message.
    ...(message.tags?.length ? { Tag: message.tags[0] } : {}),
    Metadata: eventMetadata(message),
    MessageStream: messageStream,
  };
}

/**
 * Postmark's API error codes (postmarkapp.com/developer/api/overview#error-codes): 300 invalid request
 * (often the To address), 406 inactive recipient (suppressed after a bounce, complaint or unsubscribe),
 * 10 bad token, 400/401 sender signature missing or unconfirmed, 405/412 account not allowed to send.
 */
export function mapPostmarkCode(code: number, message: string): EspError {
  if (code === 406) return espError.invalidRecipient(`inactive recipient: ${message}`);
  if (code === 300 && /'To'|recipient|address/i.test(message) && !/'From'|sender/i.test(message)) {
    return espError.invalidRecipient(message);
  }
  if (code === 10) return espError.authFailed(message);
  if (code === 429) return espError.rateLimited(1_000);
  return espError.rejected(`Postmark error ${code}: ${message}`);
}

function mapError(reply: HttpReply, now: number): EspError {
  const parsed = SendReply.safeParse(reply.json);
  if (reply.status === 422 && parsed.success) return mapPostmarkCode(parsed.data.ErrorCode, parsed.data.Message ?? "");
  return commonStatusError(reply, now) ?? unexpectedReply(reply);
}

function toResult(item: z.infer<typeof SendReply>): SendResult {
  if (item.ErrorCode === 0 && item.MessageID) return { ok: true, providerMessageId: item.MessageID };
  return { ok: false, error: mapPostmarkCode(item.ErrorCode, item.Message ?? "") };
}

export function createPostmarkAdapter(connection: ConnectionFor<"postmark">, options: EspDeps = {}): EspAdapter {
  const deps = resolveDeps(options);
  const origin = deps.baseUrl ?? ORIGIN;
  const limiter = createRateLimiter([{ limit: PACE.burst, perMs: (PACE.burst / PACE.perSecond) * 1_000 }], deps.now);
  const headers = {
    accept: "application/json",
    "content-type": "application/json",
    "x-postmark-server-token": connection.serverToken,
  };

  async function post(path: string, body: unknown) {
    const taken = limiter.take();
    if (!taken.ok) return { ok: false as const, error: espError.rateLimited(taken.waitMs) };
    return callHttp(deps, { method: "POST", url: `${origin}${path}`, headers, body: JSON.stringify(body) });
  }

  async function sendChunk(messages: OutgoingEmail[]): Promise<SendResult[]> {
    const call = await post("/email/batch", messages.map((message) => buildPostmarkMessage(message, connection.messageStream)));
    if (!call.ok) return messages.map(() => call);
    const { reply } = call;
    if (reply.status !== 200) {
      const error = mapError(reply, deps.now());
      return messages.map(() => ({ ok: false, error }));
    }
    const items = z.array(SendReply).safeParse(reply.json);
    if (!items.success || items.data.length !== messages.length) {
      const error = espError.providerDown(reply.status);
      return messages.map(() => ({ ok: false, error }));
    }
    // Postmark answers per message, in request order.
    return items.data.map(toResult);
  }

  return {
    id: "postmark",
    rateLimit: PACE,
    maxBatchSize: POSTMARK_MAX_BATCH,

    async validateCredentials() {
      const call = await callHttp(deps, { method: "GET", url: `${origin}/server`, headers: { accept: "application/json", "x-postmark-server-token": connection.serverToken } });
      if (!call.ok) return call;
      if (call.reply.status !== 200) return { ok: false, error: mapError(call.reply, deps.now()) };
      const server = ServerReply.safeParse(call.reply.json);
      return server.success && server.data.Name ? { ok: true, account: server.data.Name } : { ok: true };
    },

    async send(message) {
      const checked = checkOutgoing(message);
      if (!checked.ok) return checked;
      const call = await post("/email", buildPostmarkMessage(checked.message, connection.messageStream));
      if (!call.ok) return call;
      const { reply } = call;
      if (reply.status === 200) {
        const parsed = SendReply.safeParse(reply.json);
        return parsed.success ? toResult(parsed.data) : { ok: false, error: espError.providerDown(reply.status) };
      }
      return { ok: false, error: mapError(reply, deps.now()) };
    },

    async sendBatch(messages) {
      const results: SendResult[] = new Array(messages.length);
      const valid: { index: number; message: OutgoingEmail }[] = [];
      messages.forEach((message, index) => {
        const checked = checkOutgoing(message);
        if (checked.ok) valid.push({ index, message: checked.message });
        else results[index] = checked;
      });
      for (let start = 0; start < valid.length; start += POSTMARK_MAX_BATCH) {
        const chunk = valid.slice(start, start + POSTMARK_MAX_BATCH);
        const chunkResults = await sendChunk(chunk.map((item) => item.message));
        chunk.forEach((item, position) => (results[item.index] = chunkResults[position]));
      }
      return results;
    },
  };
}
