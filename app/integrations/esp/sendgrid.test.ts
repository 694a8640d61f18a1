import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSendgridAdapter } from "./sendgrid";
import { closedPortUrl, dig, type FakeProvider, startFakeProvider } from "./testing/fake-provider";
import { sampleEmail } from "./testing/messages";
import { loadContract } from "./testing/openapi-contract";
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_METADATA_KEY } from "./types";

// Contract: every request is checked against POST /v3/mail/send in SendGrid's OpenAPI 3.1 document
// (tests/fixtures/esp-specs/sendgrid-mail.json); GET /v3/scopes is outside that fragment and checked by hand.

const mailContract = loadContract("sendgrid-mail");
const validator = {
  checkRequest: (request: Parameters<typeof mailContract.checkRequest>[0]) =>
    request.path === "/v3/scopes"
      ? {
          operation: "GetScopes",
          problems: /^Bearer \S+$/.test(request.headers.authorization ?? "") && request.method === "GET" ? [] : ["bad scopes request"],
        }
      : mailContract.checkRequest(request),
  checkReply: mailContract.checkReply,
};

let fake: FakeProvider;
const connection = { provider: "sendgrid" as const, apiKey: "SG.test-key-123456", region: "global" as const };
const now = () => Date.UTC(2026, 0, 1, 12, 0, 0);
const adapter = () => createSendgridAdapter(connection, { baseUrl: fake.url, now });

beforeAll(async () => {
  fake = await startFakeProvider(validator, () => ({ status: 202, headers: { "x-message-id": "sg-msg-1" } }));
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.requests.length = 0;
  fake.respond(() => ({ status: 202, headers: { "x-message-id": "sg-msg-1" } }));
});
afterAll(() => fake.close());

describe("SendGrid adapter: send", () => {
  it("builds a Mail Send request the spec accepts and returns X-Message-Id", async () => {
    const message = sampleEmail();
    const result = await adapter().send(message);
    expect(result).toEqual({ ok: true, providerMessageId: "sg-msg-1" });
    const [request] = fake.requests;
    expect(request.operation).toBe("SendMail");
    expect(request.headers.authorization).toBe("Bearer SG.test-key-123456");
    const body = request.json;
    expect(dig(body, "personalizations")).toHaveLength(1);
    expect(dig(body, "personalizations", 0, "to")).toEqual([message.to]);
    expect(dig(body, "personalizations", 0, "headers")).toMatchObject({
      "List-Unsubscribe": message.headers["List-Unsubscribe"],
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      [IDEMPOTENCY_HEADER]: message.idempotencyKey,
    });
    expect(dig(body, "personalizations", 0, "custom_args")).toEqual({ ...message.metadata, [IDEMPOTENCY_METADATA_KEY]: message.idempotencyKey });
    expect((dig(body, "content") as unknown[]).map((part) => dig(part, "type"))).toEqual(["text/plain", "text/html"]);
    expect(dig(body, "categories")).toEqual(message.tags);
    expect(dig(body, "reply_to")).toEqual({ email: message.replyTo });
  });

  it.each([
    ["429 with X-RateLimit-Reset", { status: 429, headers: { "x-ratelimit-reset": String(now() / 1000 + 7) }, body: { errors: [{ message: "too many requests", field: null }] } }, { type: "rate_limited", retryable: true, retryAfterMs: 7000 }],
    ["429 with Retry-After", { status: 429, headers: { "retry-after": "3" } }, { type: "rate_limited", retryable: true, retryAfterMs: 3000 }],
    ["401", { status: 401, body: { errors: [{ message: "The provided authorization grant is invalid, expired, or revoked", field: null }] } }, { type: "auth_failed", retryable: false }],
    ["403 missing scope", { status: 403, body: { errors: [{ message: "access forbidden", field: null }] } }, { type: "auth_failed", retryable: false }],
    ["403 unverified sender", { status: 403, body: { errors: [{ message: "The from address does not match a verified Sender Identity.", field: "from" }] } }, { type: "rejected", retryable: false }],
    ["400 invalid recipient", { status: 400, body: { errors: [{ message: "Does not contain a valid address.", field: "personalizations.0.to.0.email" }] } }, { type: "invalid_recipient", retryable: false }],
    ["400 other", { status: 400, body: { errors: [{ message: "The content value must be a string at least one character in length.", field: "content.0.value" }] } }, { type: "rejected", retryable: false }],
    ["413", { status: 413, body: { errors: [{ message: "too large", field: null }] } }, { type: "rejected", retryable: false }],
    ["500", { status: 500, body: { errors: [{ message: "internal", field: null }] } }, { type: "provider_down", retryable: true, status: 500 }],
    ["503", { status: 503, body: "Service Unavailable", contentType: "text/plain" }, { type: "provider_down", retryable: true, status: 503 }],
  ])("maps %s", async (_name, reply, expected) => {
    fake.respond(() => reply);
    const result = await adapter().send(sampleEmail());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject(expected);
  });

  it("never lets an address from the reply into the error", async () => {
    fake.respond(() => ({ status: 400, body: { errors: [{ message: "customer9@example.com is not valid", field: "personalizations.0.to.0.email" }] } }));
    const result = await adapter().send(sampleEmail());
    expect(JSON.stringify(result)).not.toContain("@example.com");
  });

  it("maps a timeout and a refused connection to network errors", async () => {
    fake.respond(() => ({ status: 202, delayMs: 500 }));
    const slow = await createSendgridAdapter(connection, { baseUrl: fake.url, timeoutMs: 50 }).send(sampleEmail());
    expect(slow).toEqual({ ok: false, error: { type: "network", retryable: true, message: "timed out after 50 ms" } });
    const refused = await createSendgridAdapter(connection, { baseUrl: await closedPortUrl() }).send(sampleEmail());
    expect(refused).toMatchObject({ ok: false, error: { type: "network", retryable: true } });
  });

  it("refuses a malformed recipient without calling SendGrid", async () => {
    const result = await adapter().send(sampleEmail({ to: { email: "not-an-address" } }));
    expect(result).toMatchObject({ ok: false, error: { type: "invalid_recipient" } });
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses header injection without calling SendGrid", async () => {
    const result = await adapter().send(sampleEmail({ headers: { "X-Evil": "a\r\nBcc: victim@example.com" } }));
    expect(result).toMatchObject({ ok: false, error: { type: "rejected" } });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("SendGrid adapter: sendBatch", () => {
  it("puts messages with the same content in one request, one personalization each", async () => {
    const shared = { html: "<p>Same for all</p>", text: "Same for all" };
    const messages = [sampleEmail(shared), sampleEmail(shared), sampleEmail({ html: "<p>Different</p>" }), sampleEmail(shared)];
    const results = await adapter().sendBatch!(messages);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.requests).toHaveLength(2);
    const grouped = fake.requests[0].json as { personalizations: { to: { email: string }[]; headers: Record<string, string> }[] };
    expect(grouped.personalizations.map((p) => p.to[0].email)).toEqual([messages[0], messages[1], messages[3]].map((m) => m.to.email));
    expect(grouped.personalizations.map((p) => p.headers[IDEMPOTENCY_HEADER])).toEqual(
      [messages[0], messages[1], messages[3]].map((m) => m.idempotencyKey),
    );
  });

  it("gives every message of a failed request that request's error, in order", async () => {
    fake.respond((request) =>
      (request.json as { personalizations: unknown[] }).personalizations.length > 1 ? { status: 503 } : { status: 202, headers: { "x-message-id": "single" } },
    );
    const shared = { html: "<p>Same</p>", text: "Same" };
    const results = await adapter().sendBatch!([sampleEmail(shared), sampleEmail({ html: "<p>Own</p>" }), sampleEmail(shared)]);
    expect(results.map((result) => (result.ok ? "ok" : result.error.type))).toEqual(["provider_down", "ok", "provider_down"]);
  });
});

describe("SendGrid adapter: validateCredentials", () => {
  it("accepts a key with mail.send and refuses one without", async () => {
    fake.respond(() => ({ status: 200, body: { scopes: ["mail.send", "user.profile.read"] } }));
    expect(await adapter().validateCredentials()).toEqual({ ok: true });
    fake.respond(() => ({ status: 200, body: { scopes: ["user.profile.read"] } }));
    expect(await adapter().validateCredentials()).toMatchObject({ ok: false, error: { type: "auth_failed" } });
    fake.respond(() => ({ status: 401, body: { errors: [{ message: "authorization required", field: null }] } }));
    expect(await adapter().validateCredentials()).toMatchObject({ ok: false, error: { type: "auth_failed" } });
  });
});
