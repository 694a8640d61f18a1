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
} from "./types";

// Mailchimp Transactional (Mandrill) API 1.0. No OpenAPI document is published for it in our specs, so
// the request shape follows its public reference (messages/send, users/info) and is held to our own zod
// contract in testing/mandrill-contract.ts. The API key travels in the JSON body, not a header.
// No sendBatch: Mandrill can fan one message out to many recipients, but headers are message-wide and
// our List-Unsubscribe header is per recipient, so each send is its own call.

const ORIGIN = "https://mandrillapp.com/api/1.0";
// Mandrill publishes no request rate, only an hourly quota that grows with reputation (users/info
// reports it); this pace is ours, and a 429 or quota reply still maps to a value.
const PACE = { perSecond: 20, burst: 40 };

const RecipientResult = z.object({
  email: z.string().optional(),
  status: z.enum(["sent", "queued", "scheduled", "rejected", "invalid"]),
  reject_reason: z.string().nullable().optional(),
  _id: z.string().optional(),
});
const ErrorReply = z.object({ status: z.literal("error"), code: z.number().optional(), name: z.string(), message: z.string().optional() });
const UserInfo = z.object({ username: z.string().optional(), hourly_quota: z.number().optional() });

export function buildMandrillSend(message: OutgoingEmail, connection: ConnectionFor<"mandrill">): Record<string, unknown> {
  const headers: Record<string, string> = outgoingHeaders(message);
  // Mandrill takes Reply-To as a header, not a field.
  if (message.replyTo) headers["Reply-To"] = message.replyTo;
  return {
    key: connection.apiKey,
    message: {
      html: message.html,
      text: message.text,
      subject: message.subject,
      from_email: message.from.email,
      ...(message.from.name ? { from_name: message.from.name } : {}),
      to: [{ email: message.to.email, ...(message.to.name ? { name: message.to.name } : {}), type: "to" }],
      headers,
      preserve_recipients: false,
      ...(message.tags?.length ? { tags: message.tags.filter((tag) => !tag.startsWith("_")) } : {}),
      ...(connection.subaccount ? { subaccount: connection.subaccount } : {}),
      metadata: eventMetadata(message),
    },
    async: false,
  };
}

/** reject_reason values from the messages/send reference. */
function rejection(reason: string | null | undefined): EspError {
  switch (reason) {
    case "hard-bounce":
    case "soft-bounce":
    case "spam":
    case "unsub":
    case "invalid":
      return espError.invalidRecipient(`Mandrill rejected the recipient (${reason})`);
    default:
      return espError.rejected(`Mandrill rejected the message (${reason ?? "no reason given"})`);
  }
}

/** Mandrill reports most errors as HTTP 500 with a named error in the body; the name decides. */
function mapError(reply: HttpReply, now: number): EspError {
  const parsed = ErrorReply.safeParse(reply.json);
  if (parsed.success) {
    const { name, message = "" } = parsed.data;
    if (name === "Invalid_Key") return espError.authFailed("invalid API key");
    if (name === "PaymentRequired" || name === "Unknown_Subaccount" || name === "ValidationError") {
      return espError.rejected(`${name}: ${message}`);
    }
    if (name === "GeneralError") return espError.providerDown(reply.status);
  }
  return commonStatusError(reply, now) ?? unexpectedReply(reply);
}

export function createMandrillAdapter(connection: ConnectionFor<"mandrill">, options: EspDeps = {}): EspAdapter {
  const deps = resolveDeps(options);
  const origin = deps.baseUrl ?? ORIGIN;
  const limiter = createRateLimiter([{ limit: PACE.burst, perMs: (PACE.burst / PACE.perSecond) * 1_000 }], deps.now);
  const post = (path: string, body: unknown) =>
    callHttp(deps, { method: "POST", url: `${origin}${path}`, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  return {
    id: "mandrill",
    rateLimit: PACE,

    async validateCredentials() {
      const call = await post("/users/info", { key: connection.apiKey });
      if (!call.ok) return call;
      if (call.reply.status !== 200) return { ok: false, error: mapError(call.reply, deps.now()) };
      const info = UserInfo.safeParse(call.reply.json);
      if (!info.success) return { ok: false, error: espError.providerDown(call.reply.status) };
      const warnings =
        info.data.hourly_quota !== undefined && info.data.hourly_quota < 100
          ? [`Mandrill's hourly quota for this account is ${info.data.hourly_quota} messages`]
          : undefined;
      return { ok: true, ...(info.data.username ? { account: info.data.username } : {}), ...(warnings ? { warnings } : {}) };
    },

    async send(message) {
      const checked = checkOutgoing(message);
      if (!checked.ok) return checked;
      const taken = limiter.take();
      if (!taken.ok) return { ok: false, error: espError.rateLimited(taken.waitMs) };
      const call = await post("/messages/send", buildMandrillSend(checked.message, connection));
      if (!call.ok) return call;
      const { reply } = call;
      if (reply.status !== 200) return { ok: false, error: mapError(reply, deps.now()) };
      const results = z.array(RecipientResult).safeParse(reply.json);
      const [first] = results.success ? results.data : [];
      if (!first) return { ok: false, error: espError.providerDown(reply.status) };
      if (first.status === "invalid") return { ok: false, error: espError.invalidRecipient("Mandrill: invalid address") };
      if (first.status === "rejected") return { ok: false, error: rejection(first.reject_reason) };
      if (!first._id) return { ok: false, error: espError.providerDown(reply.status) };
      return { ok: true, providerMessageId: first._id };
    },
  };
}
