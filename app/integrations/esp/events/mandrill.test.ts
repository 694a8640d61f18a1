import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_METADATA_KEY } from "../types";
import { MANDRILL_SIGNATURE_HEADER, parseMandrillWebhook } from "./mandrill";

// The expected signature is computed here independently, straight from Mandrill's description
// (URL, then each POST key and value sorted by key, HMAC-SHA1, base64).

const webhookKey = "mandrill-webhook-key-123";
const url = "https://app.example/esp/mandrill/shop1";

function signedRequest(events: unknown[], extra: Record<string, string> = {}) {
  const form = new URLSearchParams({ mandrill_events: JSON.stringify(events), ...extra });
  const sortedKeys = [...form.keys()].sort();
  let data = url;
  for (const key of sortedKeys) data += key + form.get(key);
  const signature = createHmac("sha1", webhookKey).update(data).digest("base64");
  return { url, headers: { [MANDRILL_SIGNATURE_HEADER]: signature, "content-type": "application/x-www-form-urlencoded" }, rawBody: form.toString() };
}

const msg = (email: string) => ({
  ts: 1767261600,
  _id: "abc123",
  state: "sent",
  subject: "New arrivals",
  email,
  sender: "news@shop.example",
  tags: ["campaign-pilot"],
  metadata: { [IDEMPOTENCY_METADATA_KEY]: "send-9", shop: "shop1.myshopify.com" },
});
const events = [
  { event: "send", _id: "abc123", ts: 1767261601, msg: msg("Ada@Example.com") },
  { event: "hard_bounce", _id: "abc124", ts: 1767261602, msg: { ...msg("bob@example.com"), bounce_description: "bad_mailbox", diag: "smtp;550 5.1.1 bob@example.com unknown" } },
  { event: "soft_bounce", _id: "abc125", ts: 1767261603, msg: { ...msg("cy@example.com"), bounce_description: "mailbox_full" } },
  { event: "click", _id: "abc123", ts: 1767261604, url: "https://shop.example/p/1", msg: msg("ada@example.com") },
  { event: "spam", _id: "abc123", ts: 1767261605, msg: msg("ada@example.com") },
  { event: "unsub", _id: "abc123", ts: 1767261606, msg: msg("ada@example.com") },
  { event: "reject", _id: "abc126", ts: 1767261607, msg: msg("dan@example.com") },
  { type: "blacklist", action: "add", reject: { email: "dan@example.com", reason: "hard-bounce" } },
];

describe("Mandrill webhooks", () => {
  it("verifies X-Mandrill-Signature and normalizes message events", () => {
    const result = parseMandrillWebhook(signedRequest(events), { webhookKey });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ignored).toBe(1);
    expect(result.events.map((event) => [event.type, event.bounceType])).toEqual([
      ["delivered", undefined],
      ["bounce", "hard"],
      ["bounce", "soft"],
      ["click", undefined],
      ["complaint", undefined],
      ["unsubscribe", undefined],
      ["dropped", undefined],
    ]);
    expect(result.events[0]).toMatchObject({
      provider: "mandrill",
      email: "ada@example.com",
      occurredAt: new Date(1767261601 * 1000),
      providerMessageId: "abc123",
      idempotencyKey: "send-9",
      metadata: { shop: "shop1.myshopify.com" },
    });
    expect(result.events[1].reason).toBe("bad_mailbox");
    expect(result.events[3].url).toBe("https://shop.example/p/1");
    expect(new Set(result.events.map((event) => event.eventId)).size).toBe(result.events.length);
  });

  it("signs every POST field, not only mandrill_events", () => {
    expect(parseMandrillWebhook(signedRequest([], { extra: "field" }), { webhookKey })).toEqual({ ok: true, events: [], ignored: 0 });
  });

  it("refuses a changed body, another URL, another key and a missing header", () => {
    const request = signedRequest(events);
    expect(parseMandrillWebhook({ ...request, rawBody: request.rawBody.replace("abc123", "abc999") }, { webhookKey })).toMatchObject({
      ok: false,
      error: { type: "unauthorized" },
    });
    expect(parseMandrillWebhook({ ...request, url: `${url}/` }, { webhookKey })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    expect(parseMandrillWebhook(request, { webhookKey: "other-key" })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    expect(parseMandrillWebhook({ ...request, headers: {} }, { webhookKey })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
  });

  it("refuses a signed form without a JSON event array", () => {
    const form = signedRequest([]);
    const broken = new URLSearchParams({ mandrill_events: "{not json" });
    let data = url;
    for (const key of [...broken.keys()].sort()) data += key + broken.get(key);
    const headers = { [MANDRILL_SIGNATURE_HEADER]: createHmac("sha1", webhookKey).update(data).digest("base64") };
    expect(parseMandrillWebhook({ ...form, headers, rawBody: broken.toString() }, { webhookKey })).toMatchObject({ ok: false, error: { type: "malformed" } });
  });
});
