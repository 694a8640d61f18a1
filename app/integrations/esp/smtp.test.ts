import { type AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSmtpAdapter, mapSmtpError, messageIdFor } from "./smtp";
import { closedPortUrl } from "./testing/fake-provider";
import { sampleEmail } from "./testing/messages";
import { type EspAdapter, IDEMPOTENCY_HEADER } from "./types";

// A real SMTP server (smtp-server) on 127.0.0.1 with AUTH; what it receives is parsed back with mailparser.
// Recipients' local parts script the server's answers at RCPT TO.

const USER = "relay-user";
const PASS = "relay-pass-1234";

type Received = { parsed: ParsedMail; envelopeTo: string[] };

async function startSmtp(extra: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  let authAttempts = 0;
  const server = new SMTPServer({
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      authAttempts += 1;
      if (auth.username === USER && auth.password === PASS) return callback(null, { user: USER });
      return callback(Object.assign(new Error("Invalid credentials"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const local = address.address.split("@")[0];
      const scripted: Record<string, [number, string]> = {
        nobody: [550, "5.1.1 No such user here"],
        greylisted: [451, "4.7.1 Greylisted, please try again later"],
        closing: [421, "4.3.2 Service shutting down"],
        slowdown: [452, "4.5.3 Too many recipients this hour, rate limited"],
      };
      const answer = scripted[local];
      if (answer) return callback(Object.assign(new Error(answer[1]), { responseCode: answer[0] }));
      return callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({ parsed, envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address) });
          callback();
        })
        .catch(callback);
    },
    ...extra,
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    authAttempts: () => authAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
const adapters: EspAdapter[] = [];
function adapter(overrides: Partial<{ pass: string; requireTls: boolean; port: number; maxPerSecond: number }> = {}) {
  const created = createSmtpAdapter(
    { provider: "smtp", host: "127.0.0.1", port: smtp.port, secure: false, user: USER, pass: PASS, requireTls: false, maxPerSecond: 100, ...overrides },
    { timeoutMs: 5_000 },
  );
  adapters.push(created);
  return created;
}

/** A header's raw value with folding undone. */
function rawHeader(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim();
}

beforeAll(async () => {
  smtp = await startSmtp();
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((created) => created.close?.()));
  smtp.received.length = 0;
});
afterAll(() => smtp.close());

describe("SMTP adapter", () => {
  it("delivers a multipart message with unsubscribe headers and keeps its Message-ID", async () => {
    const message = sampleEmail();
    const result = await adapter().send(message);
    expect(result).toEqual({ ok: true, providerMessageId: messageIdFor(message) });
    expect(smtp.received).toHaveLength(1);
    const { parsed, envelopeTo } = smtp.received[0];
    expect(envelopeTo).toEqual([message.to.email]);
    expect(parsed.messageId).toBe(messageIdFor(message));
    expect(parsed.messageId).toMatch(/^<cp-[A-Za-z0-9_-]{32}@shop\.example>$/);
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value).toEqual([{ address: message.from.email, name: "Example Shop" }]);
    expect(parsed.replyTo?.value[0].address).toBe(message.replyTo);
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain("<h1>Hello Ada</h1>");
    expect(rawHeader(parsed, "content-type")).toMatch(/^multipart\/alternative/);
    expect(rawHeader(parsed, "List-Unsubscribe")).toBe(message.headers["List-Unsubscribe"]);
    expect(rawHeader(parsed, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(rawHeader(parsed, IDEMPOTENCY_HEADER)).toBe(message.idempotencyKey);
  });

  it("gives a retry of the same send the same Message-ID", async () => {
    const message = sampleEmail();
    const smtpAdapter = adapter();
    await smtpAdapter.send(message);
    await smtpAdapter.send(message);
    expect(smtp.received.map((item) => item.parsed.messageId)).toEqual([messageIdFor(message), messageIdFor(message)]);
  });

  it("verifies credentials with the server, and maps a wrong password to auth_failed", async () => {
    expect(await adapter().validateCredentials()).toEqual({ ok: true, account: `127.0.0.1:${smtp.port}` });
    expect(await adapter({ pass: "wrong" }).validateCredentials()).toMatchObject({ ok: false, error: { type: "auth_failed" } });
    expect(await adapter({ pass: "wrong" }).send(sampleEmail())).toMatchObject({ ok: false, error: { type: "auth_failed" } });
  });

  it.each([
    ["550 at RCPT", "nobody", { type: "invalid_recipient", retryable: false }],
    ["451 at RCPT", "greylisted", { type: "provider_down", retryable: true, status: 451 }],
    ["421 at RCPT", "closing", { type: "provider_down", retryable: true, status: 421 }],
    ["452 rate limited", "slowdown", { type: "rate_limited", retryable: true }],
  ])("maps %s", async (_name, local, expected) => {
    const result = await adapter().send(sampleEmail({ to: { email: `${local}@example.com` } }));
    expect(result).toMatchObject({ ok: false, error: expected });
    expect(JSON.stringify(result)).not.toContain("@example.com");
    expect(smtp.received).toHaveLength(0);
  });

  it("refuses to authenticate without TLS when TLS is required", async () => {
    const before = smtp.authAttempts();
    const result = await adapter({ requireTls: true }).send(sampleEmail());
    expect(result).toMatchObject({ ok: false, error: { type: "rejected", retryable: false } });
    expect(smtp.authAttempts()).toBe(before);
  });

  it("maps a refused connection to a network error", async () => {
    const port = Number(new URL(await closedPortUrl()).port);
    expect(await adapter({ port }).send(sampleEmail())).toMatchObject({ ok: false, error: { type: "network", retryable: true } });
  });

  it("maps a 554 on DATA to rejected", async () => {
    const strict = await startSmtp({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on("end", () => callback(Object.assign(new Error("5.7.1 Message content rejected"), { responseCode: 554 })));
      },
    });
    try {
      const created = adapter({ port: strict.port });
      expect(await created.send(sampleEmail())).toMatchObject({ ok: false, error: { type: "rejected", retryable: false } });
    } finally {
      await strict.close();
    }
  });

  it("paces sends with its token bucket", async () => {
    const slow = adapter({ maxPerSecond: 1 });
    expect(await slow.send(sampleEmail())).toMatchObject({ ok: true });
    expect(await slow.send(sampleEmail())).toMatchObject({ ok: false, error: { type: "rate_limited" } });
  });
});

describe("mapSmtpError", () => {
  it("classes errors that carry no SMTP reply", () => {
    expect(mapSmtpError({ code: "ETIMEDOUT", timeoutType: "GREETING_TIMEOUT" })).toEqual({
      type: "network",
      retryable: true,
      message: "SMTP timed out (GREETING_TIMEOUT)",
    });
    expect(mapSmtpError({ code: "EDNS" })).toMatchObject({ type: "network" });
    expect(mapSmtpError({ code: "EPROTOCOL" })).toMatchObject({ type: "provider_down" });
    expect(mapSmtpError({ code: "EENVELOPE", responseCode: 553, command: "MAIL FROM" })).toMatchObject({ type: "rejected" });
    expect(mapSmtpError({ code: "EMESSAGE", responseCode: 503, command: "DATA" })).toMatchObject({ type: "provider_down", status: 503 });
  });
});
