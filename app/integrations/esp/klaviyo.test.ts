import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKlaviyoAdapter, KLAVIYO_RATE_LIMITS } from "./klaviyo";
import { dig, type FakeProvider, startFakeProvider } from "./testing/fake-provider";
import { sampleEmail } from "./testing/messages";
import { loadContract } from "./testing/openapi-contract";
import { IDEMPOTENCY_HEADER } from "./types";

// Contract: requests are checked against Klaviyo's OpenAPI document, revision 2026-07-15
// (tests/fixtures/esp-specs/klaviyo.json): path, revision header, Klaviyo-API-Key auth, JSON:API media
// type and body schema; error replies against its ClientError/ServerError schemas.

const contract = loadContract("klaviyo");
let fake: FakeProvider;
let clock = Date.UTC(2026, 6, 20, 9, 0, 0);
const now = () => clock;
const base = { provider: "klaviyo" as const, privateApiKey: "pk_test_0123456789", metricName: "Campaign Pilot Email", consent: "leave" as const };
const adapter = (extra: Partial<{ consent: "leave" | "subscribe"; listId: string }> = {}) =>
  createKlaviyoAdapter({ ...base, ...extra }, { baseUrl: fake.url, now });
const clientError = (code: string, detail: string, pointer?: string) => ({
  errors: [{ id: "e1", code, title: code, detail, ...(pointer ? { source: { pointer } } : {}) }],
});

beforeAll(async () => {
  fake = await startFakeProvider(contract, () => ({ status: 202 }));
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.requests.length = 0;
  fake.respond(() => ({ status: 202 }));
  clock += 60_000;
});
afterAll(() => fake.close());

describe("Klaviyo adapter: send as an event", () => {
  it("posts one create_event the spec accepts, with unique_id = idempotency key", async () => {
    const message = sampleEmail();
    expect(await adapter().send(message)).toEqual({ ok: true, providerMessageId: message.idempotencyKey });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.operation).toBe("create_event");
    expect(request.headers.revision).toBe("2026-07-15");
    expect(request.headers.authorization).toBe("Klaviyo-API-Key pk_test_0123456789");
    const attributes = dig(request.json, "data", "attributes");
    expect(dig(attributes, "unique_id")).toBe(message.idempotencyKey);
    expect(dig(attributes, "metric", "data", "attributes", "name")).toBe("Campaign Pilot Email");
    expect(dig(attributes, "profile", "data", "attributes")).toEqual({ email: message.to.email });
    expect(dig(attributes, "properties")).toMatchObject({
      Subject: message.subject,
      UnsubscribeUrl: `https://app.example/email/unsubscribe?t=${message.idempotencyKey}`,
      IdempotencyKey: message.idempotencyKey,
      campaignId: "c42",
      $extra: { html: message.html, text: message.text, headers: { [IDEMPOTENCY_HEADER]: message.idempotencyKey } },
    });
    expect(dig(attributes, "time")).toBe(new Date(clock).toISOString());
  });

  it("records consent first when the connection asks for it, into the configured list", async () => {
    const message = sampleEmail();
    expect(await adapter({ consent: "subscribe", listId: "Y6nRLr" }).send(message)).toMatchObject({ ok: true });
    expect(fake.requests.map((request) => request.operation)).toEqual(["bulk_subscribe_profiles", "create_event"]);
    const job = fake.requests[0].json;
    expect(dig(job, "data", "attributes", "profiles", "data", 0, "attributes")).toEqual({
      email: message.to.email,
      subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
    });
    expect(dig(job, "data", "relationships", "list", "data")).toEqual({ type: "list", id: "Y6nRLr" });
  });

  it("does not send the event when recording consent fails", async () => {
    fake.respond(() => ({ status: 403, contentType: "application/vnd.api+json", body: clientError("permission_denied", "missing scope subscriptions:write") }));
    expect(await adapter({ consent: "subscribe" }).send(sampleEmail())).toMatchObject({ ok: false, error: { type: "auth_failed" } });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ["429 throttled with Retry-After", { status: 429, headers: { "retry-after": "5" }, contentType: "application/vnd.api+json", body: clientError("throttled", "Request was throttled. Expected available in 5 seconds.") }, { type: "rate_limited", retryAfterMs: 5000 }],
    ["401", { status: 401, contentType: "application/vnd.api+json", body: clientError("not_authenticated", "Missing or invalid private key.") }, { type: "auth_failed" }],
    ["400 invalid email", { status: 400, contentType: "application/vnd.api+json", body: clientError("invalid", "Invalid email address", "/data/attributes/profile/data/attributes/email") }, { type: "invalid_recipient" }],
    ["400 other", { status: 400, contentType: "application/vnd.api+json", body: clientError("invalid", "properties exceeds 400 keys", "/data/attributes/properties") }, { type: "rejected" }],
    ["500", { status: 500, contentType: "application/vnd.api+json", body: clientError("error", "A server error occurred.") }, { type: "provider_down", status: 500 }],
    ["503", { status: 503 }, { type: "provider_down", status: 503 }],
  ])("maps %s", async (_name, reply, expected) => {
    fake.respond(() => reply);
    expect(await adapter().send(sampleEmail())).toMatchObject({ ok: false, error: expected });
  });

  it("refuses an HTML body over Klaviyo's 100 KB property limit without calling", async () => {
    const result = await adapter().send(sampleEmail({ html: `<p>${"x".repeat(101 * 1024)}</p>` }));
    expect(result).toMatchObject({ ok: false, error: { type: "rejected" } });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("Klaviyo adapter: batches and limits", () => {
  it("sends a batch as one event-bulk-create-job the spec accepts", async () => {
    const messages = [sampleEmail(), sampleEmail(), sampleEmail({ to: { email: "bad" } })];
    const results = await adapter({ consent: "subscribe" }).sendBatch!(messages);
    expect(fake.requests.map((request) => request.operation)).toEqual(["bulk_subscribe_profiles", "bulk_create_events"]);
    const entries = dig(fake.requests[1].json, "data", "attributes", "events-bulk-create", "data") as unknown[];
    expect(entries.map((entry) => dig(entry, "attributes", "events", "data", 0, "attributes", "unique_id"))).toEqual([messages[0].idempotencyKey, messages[1].idempotencyKey]);
    expect(results).toEqual([
      { ok: true, providerMessageId: messages[0].idempotencyKey },
      { ok: true, providerMessageId: messages[1].idempotencyKey },
      expect.objectContaining({ ok: false, error: expect.objectContaining({ type: "invalid_recipient" }) }),
    ]);
  });

  it("exposes the spec's published limits and enforces the burst locally", async () => {
    const spec = JSON.parse(readFileSync(new URL("../../../tests/fixtures/esp-specs/klaviyo.json", import.meta.url), "utf8"));
    for (const [endpoint, limits] of Object.entries(KLAVIYO_RATE_LIMITS)) {
      const [method, path] = endpoint.split(" ");
      expect(spec.paths[path][method.toLowerCase()]["x-klaviyo-ratelimit"]).toEqual(limits);
    }
    expect(adapter().rateLimit).toEqual({ perSecond: 58.333, burst: 350 });
    expect(adapter({ consent: "subscribe" }).rateLimit).toEqual({ perSecond: 12.5, burst: 75 });

    // GET /api/accounts allows 1/s: the second call in the same instant is refused locally.
    fake.respond(() => ({ status: 200, contentType: "application/vnd.api+json", body: { data: [] } }));
    const klaviyo = adapter();
    expect(await klaviyo.validateCredentials()).toMatchObject({ ok: true });
    expect(await klaviyo.validateCredentials()).toEqual({ ok: false, error: { type: "rate_limited", retryable: true, retryAfterMs: 1000 } });
    expect(fake.requests).toHaveLength(1);
    clock += 1_000;
    expect(await klaviyo.validateCredentials()).toMatchObject({ ok: true });
  });
});

describe("Klaviyo adapter: validateCredentials", () => {
  it("reads the account with GET /api/accounts and explains the flow it needs", async () => {
    fake.respond(() => ({
      status: 200,
      contentType: "application/vnd.api+json",
      body: {
        data: [
          {
            type: "account",
            id: "AbC123",
            attributes: {
              test_account: false,
              contact_information: { default_sender_name: "Shop", default_sender_email: "news@shop.example", organization_name: "Example Shop", street_address: {} },
              timezone: "US/Eastern",
              preferred_currency: "USD",
              public_api_key: "AbC123",
              locale: "en-US",
            },
            links: { self: "https://a.klaviyo.com/api/accounts/AbC123/" },
          },
        ],
        links: { self: "https://a.klaviyo.com/api/accounts/" },
      },
    }));
    const result = await adapter().validateCredentials();
    expect(result).toMatchObject({ ok: true, account: "Example Shop", warnings: [expect.stringContaining("Campaign Pilot Email")] });
    expect(fake.requests[0].operation).toBe("get_accounts");
  });

  it("maps a revoked key", async () => {
    fake.respond(() => ({ status: 401, contentType: "application/vnd.api+json", body: clientError("not_authenticated", "Incorrect authentication credentials.") }));
    expect(await adapter().validateCredentials()).toMatchObject({ ok: false, error: { type: "auth_failed" } });
  });
});

describe("Klaviyo adapter: privacy deletion (customers/redact)", () => {
  it("asks for the profile's deletion by email, as the spec's request_profile_deletion", async () => {
    expect(await adapter().requestDeletion({ email: "zelda@example.net" })).toEqual({ ok: true });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.operation).toBe("request_profile_deletion");
    expect(request.json).toEqual({
      data: { type: "data-privacy-deletion-job", attributes: { profile: { data: { type: "profile", attributes: { email: "zelda@example.net" } } } } },
    });
  });

  it("answers throttling, outages and a key without the data-privacy scope as values", async () => {
    fake.respond(() => ({ status: 429, headers: { "retry-after": "3" }, body: clientError("throttled", "Request was throttled.") }));
    expect(await adapter().requestDeletion({ email: "zelda@example.net" })).toEqual({ ok: false, error: { type: "rate_limited", retryable: true, retryAfterMs: 3_000 } });
    fake.respond(() => ({ status: 503, body: { errors: [{ id: "e", code: "server_error", title: "Unavailable", detail: "try later" }] } }));
    expect(await adapter().requestDeletion({ email: "zelda@example.net" })).toMatchObject({ ok: false, error: { type: "provider_down", retryable: true } });
    fake.respond(() => ({ status: 403, body: clientError("permission_denied", "Missing scope data-privacy:write") }));
    expect(await adapter().requestDeletion({ email: "zelda@example.net" })).toMatchObject({ ok: false, error: { type: "auth_failed", retryable: false } });
  });

  it("keeps Klaviyo's published limit for the deletion endpoint (3/s, 60/m) and waits instead of drawing a 429", async () => {
    const limited = adapter();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limited.requestDeletion({ email: `p${i}@example.net` }));
    expect(results.slice(0, 3).every((result) => result.ok)).toBe(true);
    expect(results[3]).toMatchObject({ ok: false, error: { type: "rate_limited" } });
    expect(fake.requests).toHaveLength(3);
  });
});
