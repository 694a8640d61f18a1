import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import { type ConnectionFor } from "./connection";
import { createRateLimiter } from "./token-bucket";
import { checkOutgoing, type EspAdapter, type EspDeps, type EspError, espError, type OutgoingEmail, outgoingHeaders } from "./types";

// Any SMTP relay the merchant already uses (their ESP's SMTP endpoint, Google Workspace, a local sink in
// demo mode) through nodemailer's pooled transport. The Message-ID is derived from the idempotency key,
// so a retry of the same send carries the same Message-ID and receivers or the relay can spot the
// duplicate; bounces (DSNs) quote it, which is how they match back.

type SmtpFailure = {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
};

/** `<cp-HASH@sender-domain>`: deterministic per send, and no customer data in the header. */
export function messageIdFor(message: OutgoingEmail): string {
  const digest = createHash("sha256").update(message.idempotencyKey).digest("base64url").slice(0, 32);
  const domain = message.from.email.split("@").pop()?.toLowerCase() ?? "localhost";
  return `<cp-${digest}@${domain}>`;
}

const THROTTLING = /\brate\b|rate.limit|too many|throttl/i;

/** SMTP replies by RFC 5321 class and by the command that drew them. */
export function mapSmtpError(error: unknown): EspError {
  const failure = (error ?? {}) as SmtpFailure;
  const code = failure.code ?? "";
  const reply = failure.response ?? "";
  const status = failure.responseCode;

  if (code === "EAUTH" || code === "ENOAUTH") return espError.authFailed(status ? `SMTP ${status}` : "authentication failed");
  if (code === "ETLS" || code === "EREQUIRETLS") {
    return espError.rejected("the SMTP server did not offer TLS, so credentials were not sent");
  }
  if (status !== undefined && status >= 400 && status < 500) {
    if (THROTTLING.test(reply)) return espError.rateLimited(60_000);
    return espError.providerDown(status);
  }
  if (status !== undefined && status >= 500) {
    if (status === 503) return espError.providerDown(status); // bad sequence: a new session may succeed
    const command = (failure.command ?? "").toUpperCase();
    if (command.startsWith("RCPT")) return espError.invalidRecipient(`SMTP ${status}: ${reply}`);
    if (command.startsWith("MAIL")) return espError.rejected(`sender refused, SMTP ${status}: ${reply}`);
    return espError.rejected(`SMTP ${status}: ${reply}`);
  }
  if (code === "ETIMEDOUT") return espError.network(`SMTP timed out (${failure.timeoutType ?? "socket"})`);
  if (["ECONNECTION", "ESOCKET", "EDNS", "EPROXY", "EABORT"].includes(code)) return espError.network(`SMTP connection failed (${code})`);
  if (code === "EPROTOCOL") return espError.providerDown();
  return espError.network(`SMTP error${code ? ` (${code})` : ""}`);
}

export function createSmtpAdapter(connection: ConnectionFor<"smtp">, options: EspDeps = {}): EspAdapter {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 5,
    // nodemailer reconnects (TCP, greeting, AUTH) every 100 messages by default; campaigns send thousands.
    maxMessages: 1_000,
    host: connection.host,
    port: connection.port,
    secure: connection.secure,
    // Credentials never cross an unencrypted connection unless the merchant (or a local sink) says so.
    requireTLS: !connection.secure && connection.requireTls,
    auth: { user: connection.user, pass: connection.pass },
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 15_000),
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
  });
  const perSecond = connection.maxPerSecond;
  const burst = Math.max(1, Math.ceil(perSecond));
  const limiter = createRateLimiter([{ limit: burst, perMs: (burst / perSecond) * 1_000 }], now);

  return {
    id: "smtp",
    rateLimit: { perSecond, burst },

    async validateCredentials() {
      try {
        await transport.verify();
        return { ok: true, account: `${connection.host}:${connection.port}` };
      } catch (error) {
        return { ok: false, error: mapSmtpError(error) };
      }
    },

    async send(message) {
      const checked = checkOutgoing(message);
      if (!checked.ok) return checked;
      const taken = limiter.take();
      if (!taken.ok) return { ok: false, error: espError.rateLimited(taken.waitMs) };
      const { to, from } = checked.message;
      try {
        const info = await transport.sendMail({
          from: from.name ? { name: from.name, address: from.email } : from.email,
          to: to.name ? { name: to.name, address: to.email } : to.email,
          ...(checked.message.replyTo ? { replyTo: checked.message.replyTo } : {}),
          subject: checked.message.subject,
          text: checked.message.text,
          html: checked.message.html,
          headers: outgoingHeaders(checked.message),
          messageId: messageIdFor(checked.message),
          // Rendered content is ours; never let it pull local files or URLs into the message.
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        if (info.rejected.length > 0) return { ok: false, error: espError.invalidRecipient("recipient refused by the SMTP server") };
        return { ok: true, providerMessageId: info.messageId };
      } catch (error) {
        return { ok: false, error: mapSmtpError(error) };
      }
    },

    async close() {
      transport.close();
    },
  };
}
