import { type OutgoingEmail } from "../types";

// Test-only: a realistic outgoing campaign email (per-recipient unsubscribe headers, metadata).

let counter = 0;

export function sampleEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  counter += 1;
  const key = overrides.idempotencyKey ?? `send-${String(counter).padStart(6, "0")}-shop1-c42`;
  return {
    idempotencyKey: key,
    to: { email: `customer${counter}@example.com`, name: "Ada Lovelace" },
    from: { email: "news@shop.example", name: "Example Shop" },
    replyTo: "help@shop.example",
    subject: "New arrivals picked for you",
    html: `<html><body><h1>Hello Ada</h1><p>Three new things.</p><a href="https://shop.example/p/1">See</a></body></html>`,
    text: "Hello Ada\n\nThree new things: https://shop.example/p/1",
    headers: {
      "List-Unsubscribe": `<https://app.example/email/unsubscribe?t=${key}>, <mailto:unsubscribe@app.example?subject=${key}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    tags: ["campaign-pilot", "new-arrivals"],
    metadata: { shop: "shop1.myshopify.com", campaignId: "c42", sendId: `s${counter}` },
    ...overrides,
  };
}
