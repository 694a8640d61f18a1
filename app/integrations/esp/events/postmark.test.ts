import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_METADATA_KEY } from "../types";
import { parsePostmarkWebhook } from "./postmark";

// Payloads follow Postmark's webhook reference (Delivery, Bounce, SpamComplaint, Open, Click,
// SubscriptionChange), trimmed to the fields we read plus a few we ignore.

const basicAuth = { username: "postmark", password: "long-random-webhook-password" };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const metadata = { [IDEMPOTENCY_METADATA_KEY]: "send-7", campaignId: "c42" };

// JSON.stringify would round the 64-bit bounce ID before the parser sees it; write it as Postmark does.
const BIG_ID = "4323372036854775807";
const stringify = (body: unknown) => JSON.stringify(body).replace('"ID":"BIG_ID"', `"ID":${BIG_ID}`);

function request(body: unknown, authorization = basic(basicAuth.username, basicAuth.password), url = "https://app.example/esp/postmark/shop1") {
  return { url, headers: { authorization }, rawBody: stringify(body) };
}

const bounce = {
  RecordType: "Bounce",
  ID: "BIG_ID",
  Type: "HardBounce",
  TypeCode: 1,
  Name: "Hard bounce",
  MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
  MessageStream: "broadcast",
  Description: "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
  Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
  Email: "Ada@Example.com",
  From: "news@shop.example",
  BouncedAt: "2026-01-01T10:00:00Z",
  Inactive: true,
  Metadata: metadata,
};

describe("Postmark webhooks", () => {
  it("accepts matching basic-auth credentials and normalizes a hard bounce", () => {
    const result = parsePostmarkWebhook(request(bounce), { basicAuth });
    expect(result).toEqual({
      ok: true,
      ignored: 0,
      events: [
        {
          provider: "postmark",
          type: "bounce",
          bounceType: "hard",
          email: "ada@example.com",
          occurredAt: new Date("2026-01-01T10:00:00Z"),
          providerMessageId: "883953f4-6105-42a2-a16a-77a8eac79483",
          idempotencyKey: "send-7",
          metadata,
          eventId: "postmark:Bounce:4323372036854775807",
          reason: expect.stringContaining("HardBounce"),
        },
      ],
    });
  });

  it("refuses wrong, missing or partial credentials, and a connection without any", () => {
    expect(parsePostmarkWebhook(request(bounce, basic("postmark", "guess")), { basicAuth })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    expect(parsePostmarkWebhook(request(bounce, basic("postmark", `${basicAuth.password}x`)), { basicAuth })).toMatchObject({ ok: false });
    expect(parsePostmarkWebhook(request(bounce, ""), { basicAuth })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
    expect(parsePostmarkWebhook(request(bounce), {})).toMatchObject({ ok: false, error: { type: "unauthorized" } });
  });

  it("accepts a URL token instead", () => {
    const token = "0f9e8d7c6b5a49382716";
    const withToken = request(bounce, "", `https://app.example/esp/postmark/shop1?token=${token}`);
    expect(parsePostmarkWebhook(withToken, { token })).toMatchObject({ ok: true });
    const wrong = request(bounce, "", `https://app.example/esp/postmark/shop1?token=${token.slice(0, -1)}0`);
    expect(parsePostmarkWebhook(wrong, { token })).toMatchObject({ ok: false, error: { type: "unauthorized" } });
  });

  it.each([
    ["Delivery", { RecordType: "Delivery", MessageID: "m1", Recipient: "a@example.com", DeliveredAt: "2026-01-01T10:00:00Z", Details: "250 OK", Metadata: metadata }, { type: "delivered", idempotencyKey: "send-7" }],
    ["soft bounce", { ...bounce, Type: "SoftBounce", Inactive: false }, { type: "bounce", bounceType: "soft" }],
    ["spam complaint", { ...bounce, RecordType: "SpamComplaint", Type: "SpamComplaint" }, { type: "complaint" }],
    ["Open", { RecordType: "Open", MessageID: "m1", Recipient: "a@example.com", ReceivedAt: "2026-01-01T11:00:00Z", FirstOpen: true, Metadata: metadata }, { type: "open" }],
    ["Click", { RecordType: "Click", MessageID: "m1", Recipient: "a@example.com", ReceivedAt: "2026-01-01T11:00:00Z", OriginalLink: "https://shop.example/p/1", ClickLocation: "HTML" }, { type: "click", url: "https://shop.example/p/1" }],
    ["manual suppression", { RecordType: "SubscriptionChange", MessageID: "m1", Recipient: "a@example.com", ChangedAt: "2026-01-01T12:00:00Z", SuppressSending: true, SuppressionReason: "ManualSuppression", Metadata: metadata }, { type: "unsubscribe" }],
  ])("normalizes %s", (_name, body, expected) => {
    const result = parsePostmarkWebhook(request(body), { basicAuth });
    expect(result).toMatchObject({ ok: true, events: [expected] });
  });

  it("ignores records that need no action and refuses ones that are not Postmark's", () => {
    const reactivated = { RecordType: "SubscriptionChange", MessageID: "m1", Recipient: "a@example.com", ChangedAt: "2026-01-01T12:00:00Z", SuppressSending: false };
    expect(parsePostmarkWebhook(request(reactivated), { basicAuth })).toEqual({ ok: true, events: [], ignored: 1 });
    expect(parsePostmarkWebhook(request({ ...bounce, Type: "AutoResponder" }), { basicAuth })).toEqual({ ok: true, events: [], ignored: 1 });
    expect(parsePostmarkWebhook(request({ RecordType: "Delivery" }), { basicAuth })).toMatchObject({ ok: false, error: { type: "malformed" } });
    expect(parsePostmarkWebhook({ ...request(bounce), rawBody: "<xml/>" }, { basicAuth })).toMatchObject({ ok: false, error: { type: "malformed" } });
  });

  it("derives stable event ids for records without one", () => {
    const open = { RecordType: "Open", MessageID: "m1", Recipient: "a@example.com", ReceivedAt: "2026-01-01T11:00:00Z" };
    const first = parsePostmarkWebhook(request(open), { basicAuth });
    const again = parsePostmarkWebhook(request(open), { basicAuth });
    const later = parsePostmarkWebhook(request({ ...open, ReceivedAt: "2026-01-01T11:05:00Z" }), { basicAuth });
    const id = (result: typeof first) => (result.ok ? result.events[0].eventId : "");
    expect(id(first)).toBe(id(again));
    expect(id(first)).not.toBe(id(later));
  });
});
