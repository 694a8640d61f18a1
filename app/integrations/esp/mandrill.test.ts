import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMandrillAdapter } from "./mandrill";
import { dig, type FakeProvider, type FakeReply, startFakeProvider } from "./testing/fake-provider";
import { mandrillContract } from "./testing/mandrill-contract";
import { sampleEmail } from "./testing/messages";
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_METADATA_KEY } from "./types";

// Contract: our own zod contract for Mandrill (testing/mandrill-contract.ts); no published spec exists.

let fake: FakeProvider;
const connection = { provider: "mandrill" as const, apiKey: "md-test-key-abcdef" };
const adapter = (extra: Partial<typeof connection> & { subaccount?: string } = {}) =>
  createMandrillAdapter({ ...connection, ...extra }, { baseUrl: `${fake.url}/api/1.0` });

const sent = (request: { json: unknown }): FakeReply => {
  const to = (request.json as { message: { to: { email: string }[] } }).message.to;
  return { status: 200, body: to.map((recipient) => ({ email: recipient.email, status: "sent", reject_reason: null, _id: "abc123def456" })) };
};

beforeAll(async () => {
  fake = await startFakeProvider(mandrillContract, sent);
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.requests.length = 0;
  fake.respond(sent);
});
afterAll(() => fake.close());

describe("Mandrill adapter: send", () => {
  it("builds a messages/send request our contract accepts, with the key in the body", async () => {
    const message = sampleEmail();
    expect(await adapter({ subaccount: "shop1" }).send(message)).toEqual({ ok: true, providerMessageId: "abc123def456" });
    const [request] = fake.requests;
    expect(request.operation).toBe("messages/send");
    const body = request.json;
    expect(dig(body, "key")).toBe("md-test-key-abcdef");
    expect(dig(body, "message", "to")).toEqual([{ email: message.to.email, name: "Ada Lovelace", type: "to" }]);
    expect(dig(body, "message", "headers")).toMatchObject({
      "List-Unsubscribe": message.headers["List-Unsubscribe"],
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "Reply-To": message.replyTo,
      [IDEMPOTENCY_HEADER]: message.idempotencyKey,
    });
    expect(dig(body, "message", "metadata", IDEMPOTENCY_METADATA_KEY)).toBe(message.idempotencyKey);
    expect(dig(body, "message", "subaccount")).toBe("shop1");
    expect(request.headers.authorization).toBeUndefined();
  });

  it.each([
    ["rejected hard-bounce", { status: 200, body: [{ email: "x@example.com", status: "rejected", reject_reason: "hard-bounce", _id: "1" }] }, { type: "invalid_recipient" }],
    ["rejected unsub", { status: 200, body: [{ email: "x@example.com", status: "rejected", reject_reason: "unsub", _id: "1" }] }, { type: "invalid_recipient" }],
    ["rejected invalid-sender", { status: 200, body: [{ email: "x@example.com", status: "rejected", reject_reason: "invalid-sender", _id: "1" }] }, { type: "rejected" }],
    ["invalid", { status: 200, body: [{ email: "x@example.com", status: "invalid", _id: "1" }] }, { type: "invalid_recipient" }],
    ["Invalid_Key (HTTP 500)", { status: 500, body: { status: "error", code: -1, name: "Invalid_Key", message: "Invalid API key" } }, { type: "auth_failed" }],
    ["PaymentRequired", { status: 500, body: { status: "error", code: -1, name: "PaymentRequired", message: "This feature is only available for paid accounts." } }, { type: "rejected" }],
    ["GeneralError", { status: 500, body: { status: "error", code: -1, name: "GeneralError", message: "boom" } }, { type: "provider_down", status: 500 }],
    ["429", { status: 429, headers: { "retry-after": "30" } }, { type: "rate_limited", retryAfterMs: 30000 }],
    ["503 without a body", { status: 503 }, { type: "provider_down", status: 503 }],
  ])("maps %s", async (_name, reply, expected) => {
    fake.respond(() => reply);
    expect(await adapter().send(sampleEmail())).toMatchObject({ ok: false, error: expected });
  });

  it("counts queued messages as accepted", async () => {
    fake.respond(() => ({ status: 200, body: [{ email: "x@example.com", status: "queued", queued_reason: "attachments", _id: "q1" }] }));
    expect(await adapter().send(sampleEmail())).toEqual({ ok: true, providerMessageId: "q1" });
  });

  it("drops tags Mandrill reserves (leading underscore)", async () => {
    await adapter().send(sampleEmail({ tags: ["_internal", "ok"] }));
    expect((fake.requests[0].json as { message: { tags: string[] } }).message.tags).toEqual(["ok"]);
  });

  it("has no sendBatch: per-recipient List-Unsubscribe headers cannot share a message", () => {
    expect(adapter().sendBatch).toBeUndefined();
  });
});

describe("Mandrill adapter: validateCredentials", () => {
  it("calls users/info and reports the account name; an invalid key is auth_failed", async () => {
    fake.respond(() => ({ status: 200, body: { username: "shop-owner", hourly_quota: 250, reputation: 70 } }));
    expect(await adapter().validateCredentials()).toEqual({ ok: true, account: "shop-owner" });
    expect(fake.requests[0].operation).toBe("users/info");
    fake.respond(() => ({ status: 200, body: { username: "new-account", hourly_quota: 25 } }));
    expect(await adapter().validateCredentials()).toMatchObject({ ok: true, warnings: [expect.stringContaining("25")] });
    fake.respond(() => ({ status: 500, body: { status: "error", code: -1, name: "Invalid_Key", message: "Invalid API key" } }));
    expect(await adapter().validateCredentials()).toMatchObject({ ok: false, error: { type: "auth_failed" } });
  });
});
