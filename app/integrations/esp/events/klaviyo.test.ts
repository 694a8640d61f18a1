import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KLAVIYO_SIGNATURE_HEADER, KLAVIYO_TIMESTAMP_HEADER, KLAVIYO_WEBHOOK_ID_HEADER, parseKlaviyoWebhook } from "./klaviyo";

// Body shape from Klaviyo's "Working with system webhooks" guide; payloads shaped like Get Event replies.

const secret = "klaviyo-webhook-secret-0001";
const now = Date.UTC(2026, 6, 20, 12, 0, 0);
const timestamp = new Date(now - 30_000).toISOString();

function signed(body: unknown, options: { ts?: string; webhookId?: string } = {}) {
  const rawBody = JSON.stringify(body);
  const ts = options.ts ?? timestamp;
  const signature = createHmac("sha256", secret).update(rawBody + ts).digest("hex");
  return {
    url: "https://app.example/esp/klaviyo/shop1",
    headers: { [KLAVIYO_SIGNATURE_HEADER]: signature, [KLAVIYO_TIMESTAMP_HEADER]: ts, [KLAVIYO_WEBHOOK_ID_HEADER]: options.webhookId ?? "wh_1" },
    rawBody,
  };
}

const event = (id: string, properties: Record<string, unknown>) => ({
  data: {
    type: "event",
    id,
    attributes: { timestamp: now / 1000 - 60, datetime: new Date(now - 60_000).toISOString(), event_properties: properties, uuid: `u-${id}` },
    relationships: { profile: { data: { type: "profile", id: "01PROFILE" } }, metric: { data: { type: "metric", id: "M1" } } },
  },
});

const body = {
  data: [
    { topic: "event:klaviyo.received_email", external_id: "x1", payload: event("ev1", { Subject: "New arrivals", $email: "Ada@Example.com" }) },
    { topic: "event:klaviyo.clicked_email", external_id: "x2", payload: event("ev2", { URL: "https://shop.example/p/1" }) },
    { topic: "event:klaviyo.bounced_email", external_id: "x3", payload: event("ev3", { "Bounce Type": "Soft" }) },
    { topic: "event:klaviyo.marked_email_as_spam", external_id: "x4", payload: event("ev4", {}) },
    { topic: "event:klaviyo.sent_sms", external_id: "x5", payload: event("ev5", {}) },
  ],
  meta: { klaviyo_account_id: "AbC123", klaviyo_webhook_id: "wh_1", timestamp },
};

describe("Klaviyo system webhooks", () => {
  it("verifies the HMAC and normalizes email topics; other topics are ignored", () => {
    const result = parseKlaviyoWebhook(signed(body), { secret, now: () => now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ignored).toBe(1);
    expect(result.events.map((e) => [e.type, e.eventId])).toEqual([
      ["delivered", "ev1"],
      ["click", "ev2"],
      ["bounce", "ev3"],
      ["complaint", "ev4"],
    ]);
    expect(result.events[0]).toEqual({
      provider: "klaviyo",
      type: "delivered",
      email: "ada@example.com",
      occurredAt: new Date(now - 60_000),
      eventId: "ev1",
      metadata: { klaviyo_profile_id: "01PROFILE" },
    });
    expect(result.events[1]).toMatchObject({ email: null, url: "https://shop.example/p/1" });
    expect(result.events[2]).toMatchObject({ bounceType: "soft" });
  });

  it("refuses a wrong signature, a body/header webhook id mismatch and missing headers", () => {
    const request = signed(body);
    expect(parseKlaviyoWebhook({ ...request, rawBody: request.rawBody.replace("ev1", "ev9") }, { secret, now: () => now })).toMatchObject({
      ok: false,
      error: { type: "unauthorized" },
    });
    expect(parseKlaviyoWebhook(request, { secret: "other", now: () => now })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    expect(parseKlaviyoWebhook(signed(body, { webhookId: "wh_2" }), { secret, now: () => now })).toMatchObject({
      ok: false,
      error: { type: "unauthorized", reason: expect.stringContaining("klaviyo_webhook_id") },
    });
    expect(parseKlaviyoWebhook({ ...request, headers: {} }, { secret, now: () => now })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
  });

  it("refuses stale deliveries when the timestamp is readable", () => {
    const old = new Date(now - 10 * 60_000).toISOString();
    expect(parseKlaviyoWebhook(signed(body, { ts: old }), { secret, now: () => now })).toMatchObject({ ok: false, error: { type: "stale" } });
    expect(parseKlaviyoWebhook(signed(body, { ts: String(Math.floor(now / 1000) - 10) }), { secret, now: () => now })).toMatchObject({ ok: true });
  });
});

describe("parseEspWebhook", () => {
  it("uses the connection's secret and refuses connections without one", async () => {
    const { parseEspWebhook } = await import("./parse");
    const klaviyo = { provider: "klaviyo" as const, privateApiKey: "pk", metricName: "M", consent: "leave" as const };
    expect(parseEspWebhook({ ...klaviyo, webhookSecret: secret }, signed(body), () => now)).toMatchObject({ ok: true });
    expect(parseEspWebhook(klaviyo, signed(body), () => now)).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    const smtp = { provider: "smtp" as const, host: "h", port: 25, secure: false, user: "u", pass: "p", requireTls: true, maxPerSecond: 5 };
    expect(parseEspWebhook(smtp, signed(body))).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    const postmark = { provider: "postmark" as const, serverToken: "t", messageStream: "broadcast" };
    expect(parseEspWebhook(postmark, signed(body))).toMatchObject({ ok: false, error: { type: "unauthorized" } });
  });
});
