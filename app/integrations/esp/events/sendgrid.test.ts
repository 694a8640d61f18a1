import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_METADATA_KEY } from "../types";
import { parseSendgridWebhook, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from "./sendgrid";

// A key pair generated here plays SendGrid: its private key signs, the base64 DER public key is what a
// merchant would paste from SendGrid's settings.

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const publicKeyBase64 = publicKey.export({ format: "der", type: "spki" }).toString("base64");
const now = 1_767_268_800_000; // 2026-01-01T12:00:00Z
const timestamp = String(now / 1000);

function signed(body: string, ts = timestamp, key = privateKey) {
  const signature = sign("sha256", Buffer.from(ts + body), { key, dsaEncoding: "der" }).toString("base64");
  return {
    url: "https://app.example/esp/sendgrid/shop1",
    headers: new Headers({ [SENDGRID_SIGNATURE_HEADER]: signature, [SENDGRID_TIMESTAMP_HEADER]: ts }),
    rawBody: body,
  };
}

const events = [
  { email: "Ada@Example.com", timestamp: now / 1000 - 60, event: "processed", sg_event_id: "e0", sg_message_id: "m1.filter0001" },
  { email: "ada@example.com", timestamp: now / 1000 - 50, event: "delivered", sg_event_id: "e1", sg_message_id: "m1.filter0001", [IDEMPOTENCY_METADATA_KEY]: "send-1", shop: "shop1.myshopify.com", response: "250 OK" },
  { email: "bob@example.com", timestamp: now / 1000 - 40, event: "bounce", type: "bounce", reason: "550 5.1.1 bob@example.com does not exist", sg_event_id: "e2", sg_message_id: "m2.f" },
  { email: "cy@example.com", timestamp: now / 1000 - 30, event: "bounce", type: "blocked", reason: "421 try later", sg_event_id: "e3", sg_message_id: "m3.f" },
  { email: "ada@example.com", timestamp: now / 1000 - 20, event: "click", url: "https://shop.example/p/1", sg_event_id: "e4", sg_message_id: "m1.f", useragent: "Mozilla" },
  { email: "ada@example.com", timestamp: now / 1000 - 10, event: "spamreport", sg_event_id: "e5", sg_message_id: "m1.f" },
  { email: "ada@example.com", timestamp: now / 1000 - 5, event: "group_unsubscribe", asm_group_id: 42, sg_event_id: "e6", sg_message_id: "m1.f" },
];

describe("SendGrid signed event webhook", () => {
  it("verifies the ECDSA signature and normalizes the events", () => {
    const result = parseSendgridWebhook(signed(JSON.stringify(events)), { publicKey: publicKeyBase64, now: () => now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ignored).toBe(1);
    expect(result.events.map((event) => [event.type, event.eventId])).toEqual([
      ["delivered", "e1"],
      ["bounce", "e2"],
      ["bounce", "e3"],
      ["click", "e4"],
      ["complaint", "e5"],
      ["unsubscribe", "e6"],
    ]);
    expect(result.events[0]).toEqual({
      provider: "sendgrid",
      type: "delivered",
      email: "ada@example.com",
      occurredAt: new Date(now - 50_000),
      eventId: "e1",
      providerMessageId: "m1.filter0001",
      idempotencyKey: "send-1",
      metadata: { [IDEMPOTENCY_METADATA_KEY]: "send-1", shop: "shop1.myshopify.com" },
    });
    expect(result.events[1]).toMatchObject({ bounceType: "hard", reason: "550 5.1.1 <email> does not exist" });
    expect(result.events[2]).toMatchObject({ bounceType: "soft" });
    expect(result.events[3]).toMatchObject({ url: "https://shop.example/p/1" });
  });

  it("accepts a PEM verification key too", () => {
    const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(parseSendgridWebhook(signed("[]"), { publicKey: pem, now: () => now })).toEqual({ ok: true, events: [], ignored: 0 });
  });

  it("refuses a changed body, a changed timestamp, another key's signature and missing headers", () => {
    const body = JSON.stringify(events);
    const request = signed(body);
    const options = { publicKey: publicKeyBase64, now: () => now };
    expect(parseSendgridWebhook({ ...request, rawBody: body.replace("e1", "e9") }, options)).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    const shifted = new Headers(request.headers);
    shifted.set(SENDGRID_TIMESTAMP_HEADER, String(Number(timestamp) + 1));
    expect(parseSendgridWebhook({ ...request, headers: shifted }, options)).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
    expect(parseSendgridWebhook(signed(body, timestamp, other), options)).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    expect(parseSendgridWebhook({ ...request, headers: {} }, options)).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    const garbage = new Headers(request.headers);
    garbage.set(SENDGRID_SIGNATURE_HEADER, "not-base64-der");
    expect(parseSendgridWebhook({ ...request, headers: garbage }, options)).toMatchObject({ ok: false, error: { type: "unauthorized" } });
  });

  it("refuses a correctly signed request older than five minutes (replay)", () => {
    const old = String(now / 1000 - 301);
    expect(parseSendgridWebhook(signed("[]", old), { publicKey: publicKeyBase64, now: () => now })).toEqual({
      ok: false,
      error: { type: "stale", ageMs: 301_000 },
    });
    const fresh = String(now / 1000 - 299);
    expect(parseSendgridWebhook(signed("[]", fresh), { publicKey: publicKeyBase64, now: () => now })).toMatchObject({ ok: true });
  });

  it("refuses a key that is not P-256, and a signed body that is not an event array", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "der", type: "spki" }).toString("base64");
    expect(parseSendgridWebhook(signed("[]"), { publicKey: rsa, now: () => now })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    expect(parseSendgridWebhook(signed('{"not":"an array"}'), { publicKey: publicKeyBase64, now: () => now })).toMatchObject({
      ok: false,
      error: { type: "malformed" },
    });
  });
});
