import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPostmarkAdapter, formatAddress } from "./postmark";
import { dig, type FakeProvider, type FakeReply, startFakeProvider } from "./testing/fake-provider";
import { sampleEmail } from "./testing/messages";
import { loadContract } from "./testing/openapi-contract";
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_METADATA_KEY } from "./types";

// Contract: requests are checked against Postmark's server API document (POST /email, POST /email/batch,
// GET /server in tests/fixtures/esp-specs/postmark.json); fake replies against its response schemas.

const contract = loadContract("postmark");
let fake: FakeProvider;
const connection = { provider: "postmark" as const, serverToken: "pm-server-token-0001", messageStream: "broadcast" };
const adapter = () => createPostmarkAdapter(connection, { baseUrl: fake.url });

const accepted = (to: string, id: string) => ({
  ErrorCode: 0,
  Message: "OK",
  MessageID: id,
  SubmittedAt: "2026-01-01T12:00:00.0000000-05:00",
  To: to,
});
const defaultReply = (request: { path: string; json: unknown }): FakeReply =>
  request.path === "/email/batch"
    ? { status: 200, body: (request.json as { To: string }[]).map((m, i) => accepted(m.To, `pm-${i}`)) }
    : { status: 200, body: accepted((request.json as { To: string }).To, "pm-0b9b0f3e") };

beforeAll(async () => {
  fake = await startFakeProvider(contract, defaultReply);
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.requests.length = 0;
  fake.respond(defaultReply);
});
afterAll(() => fake.close());

describe("Postmark adapter: send", () => {
  it("builds a POST /email the spec accepts, on the broadcast stream, with metadata and headers", async () => {
    const message = sampleEmail();
    expect(await adapter().send(message)).toEqual({ ok: true, providerMessageId: "pm-0b9b0f3e" });
    const [request] = fake.requests;
    expect(request.operation).toBe("sendEmail");
    expect(request.headers["x-postmark-server-token"]).toBe("pm-server-token-0001");
    const body = request.json;
    expect(dig(body, "MessageStream")).toBe("broadcast");
    expect(dig(body, "To")).toBe(`"Ada Lovelace" <${message.to.email}>`);
    expect(dig(body, "Metadata")).toEqual({ ...message.metadata, [IDEMPOTENCY_METADATA_KEY]: message.idempotencyKey });
    expect(dig(body, "Headers")).toEqual(
      expect.arrayContaining([
        { Name: "List-Unsubscribe", Value: message.headers["List-Unsubscribe"] },
        { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
        { Name: IDEMPOTENCY_HEADER, Value: message.idempotencyKey },
      ]),
    );
    expect(dig(body, "Tag")).toBe("campaign-pilot");
  });

  it("quotes display names", () => {
    expect(formatAddress({ email: "a@example.com", name: 'Shop "Best" \\ Co' })).toBe('"Shop \\"Best\\" \\\\ Co" <a@example.com>');
  });

  it.each([
    ["422/406 inactive recipient", { status: 422, body: { ErrorCode: 406, Message: "You tried to send to recipient(s) that have been marked as inactive." } }, { type: "invalid_recipient" }],
    ["422/300 bad To", { status: 422, body: { ErrorCode: 300, Message: "Error parsing 'To': Illegal email address 'x'." } }, { type: "invalid_recipient" }],
    ["422/300 bad From", { status: 422, body: { ErrorCode: 300, Message: "Error parsing 'From': Illegal email address." } }, { type: "rejected" }],
    ["422/400 sender signature", { status: 422, body: { ErrorCode: 400, Message: "The 'From' address you supplied is not a Sender Signature on your account." } }, { type: "rejected" }],
    ["401 bad token", { status: 401, body: { ErrorCode: 10, Message: "Request does not contain a valid Server token." } }, { type: "auth_failed" }],
    ["422/10 bad token", { status: 422, body: { ErrorCode: 10, Message: "Bad or missing API token" } }, { type: "auth_failed" }],
    ["429 with Retry-After", { status: 429, headers: { "retry-after": "12" }, body: { ErrorCode: 429, Message: "Rate limit exceeded" } }, { type: "rate_limited", retryAfterMs: 12000 }],
    ["500", { status: 500 }, { type: "provider_down", status: 500 }],
    ["503", { status: 503, body: "down", contentType: "text/plain" }, { type: "provider_down", status: 503 }],
  ])("maps %s", async (_name, reply, expected) => {
    fake.respond(() => reply);
    const result = await adapter().send(sampleEmail());
    expect(result).toMatchObject({ ok: false, error: expected });
  });
});

describe("Postmark adapter: sendBatch", () => {
  it("sends one POST /email/batch and maps each per-message answer in order", async () => {
    fake.respond((request) => ({
      status: 200,
      body: (request.json as { To: string }[]).map((m, i) =>
        i === 1 ? { ErrorCode: 406, Message: "You tried to send to recipient(s) that have been marked as inactive.", To: m.To } : accepted(m.To, `pm-${i}`),
      ),
    }));
    const messages = [sampleEmail(), sampleEmail(), sampleEmail()];
    const results = await adapter().sendBatch!(messages);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].operation).toBe("sendEmailBatch");
    expect(results).toEqual([
      { ok: true, providerMessageId: "pm-0" },
      { ok: false, error: expect.objectContaining({ type: "invalid_recipient" }) },
      { ok: true, providerMessageId: "pm-2" },
    ]);
  });

  it("splits batches above 500 messages and keeps malformed messages out of the request", async () => {
    const messages = Array.from({ length: 502 }, () => sampleEmail());
    messages[7] = sampleEmail({ to: { email: "broken" } });
    const results = await adapter().sendBatch!(messages);
    expect(fake.requests.map((request) => (request.json as unknown[]).length)).toEqual([500, 1]);
    expect(results[7]).toMatchObject({ ok: false, error: { type: "invalid_recipient" } });
    expect(results.filter((result) => result.ok)).toHaveLength(501);
  });

  it("gives every message the error when the whole batch fails", async () => {
    fake.respond(() => ({ status: 503 }));
    const results = await adapter().sendBatch!([sampleEmail(), sampleEmail()]);
    expect(results).toEqual([
      { ok: false, error: { type: "provider_down", retryable: true, status: 503 } },
      { ok: false, error: { type: "provider_down", retryable: true, status: 503 } },
    ]);
  });
});

describe("Postmark adapter: validateCredentials", () => {
  it("reads the server name with GET /server, and maps a bad token", async () => {
    fake.respond(() => ({ status: 200, body: { ID: 1, Name: "Shop broadcasts", ApiTokens: ["x"] } }));
    expect(await adapter().validateCredentials()).toEqual({ ok: true, account: "Shop broadcasts" });
    expect(fake.requests[0].operation).toBe("getCurrentServerConfiguration");
    fake.respond(() => ({ status: 401, body: { ErrorCode: 10, Message: "Bad or missing Server API token." } }));
    expect(await adapter().validateCredentials()).toMatchObject({ ok: false, error: { type: "auth_failed" } });
  });
});
