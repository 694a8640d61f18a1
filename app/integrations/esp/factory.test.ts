import { describe, expect, it } from "vitest";
import { ESP_SECRET_FIELDS, EspConnectionSchema, parseConnection } from "./connection";
import { createEspAdapter } from "./factory";
import { ESP_IDS, checkOutgoing } from "./types";
import * as publicApi from "./index";
import { sampleEmail } from "./testing/messages";

const inputs = {
  smtp: { provider: "smtp", host: "smtp.example.com", port: "587", secure: false, user: "u", pass: "p4ssword" },
  klaviyo: { provider: "klaviyo", privateApiKey: "pk_live_abcdef" },
  sendgrid: { provider: "sendgrid", apiKey: "SG.abcdef" },
  postmark: { provider: "postmark", serverToken: "pm-token" },
  mandrill: { provider: "mandrill", apiKey: "md-key" },
} as const;

describe("connections and the factory", () => {
  it("parses each provider's connection with defaults and builds the matching adapter", async () => {
    for (const id of ESP_IDS) {
      const parsed = parseConnection(inputs[id]);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      const adapter = createEspAdapter(parsed.connection);
      expect(adapter.id).toBe(id);
      expect(adapter.rateLimit.perSecond).toBeGreaterThan(0);
      await adapter.close?.();
    }
    const postmark = EspConnectionSchema.parse(inputs.postmark);
    expect(postmark).toMatchObject({ messageStream: "broadcast" });
    expect(EspConnectionSchema.parse(inputs.klaviyo)).toMatchObject({ metricName: "Campaign Pilot Email", consent: "leave" });
    expect(EspConnectionSchema.parse(inputs.smtp)).toMatchObject({ port: 587, requireTls: true });
  });

  it("reports problems by field without echoing secret values", () => {
    const parsed = parseConnection({ provider: "sendgrid", apiKey: "" });
    expect(parsed).toEqual({ ok: false, problems: [expect.stringMatching(/^apiKey: /)] });
    const wrong = parseConnection({ provider: "smtp", host: "h", port: 25, secure: "yes", user: "u", pass: "hunter2-secret" });
    expect(JSON.stringify(wrong)).not.toContain("hunter2-secret");
    expect(parseConnection({ provider: "mailgun", apiKey: "k" }).ok).toBe(false);
  });

  it("names every secret field of every provider", () => {
    expect(Object.keys(ESP_SECRET_FIELDS).sort()).toEqual([...ESP_IDS].sort());
  });

  it("marks which adapters can batch", async () => {
    const batching = Object.fromEntries(
      ESP_IDS.map((id) => {
        const adapter = createEspAdapter(EspConnectionSchema.parse(inputs[id]));
        void adapter.close?.();
        return [id, adapter.sendBatch ? adapter.maxBatchSize : undefined];
      }),
    );
    expect(batching).toEqual({ smtp: undefined, klaviyo: 1000, sendgrid: 1000, postmark: 500, mandrill: undefined });
  });
});

describe("public surface", () => {
  it("exports the port, the factory, the helpers and the webhook parsers from index", () => {
    for (const name of ["createEspAdapter", "parseConnection", "retryDecision", "createRateLimiter", "parseEspWebhook", "parseSendgridWebhook", "checkOutgoing"]) {
      expect(typeof (publicApi as Record<string, unknown>)[name]).toBe("function");
    }
    expect(publicApi.ESP_EVENT_TYPES).toContain("complaint");
  });
});

describe("outgoing message checks", () => {
  it("accepts the sample and rejects CR/LF in display names", () => {
    expect(checkOutgoing(sampleEmail()).ok).toBe(true);
    expect(checkOutgoing(sampleEmail({ from: { email: "a@shop.example", name: "A\r\nBcc: x@y.z" } }))).toMatchObject({
      ok: false,
      error: { type: "rejected" },
    });
    expect(checkOutgoing(sampleEmail({ idempotencyKey: "has space" }))).toMatchObject({ ok: false, error: { type: "rejected" } });
  });
});
