import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "~/lib/json";
import { contractFixtureText, webhookFixtureText } from "../../tests/support/fixtures";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS, parseWebhook, type WebhookTopic } from "./topics";

const topics = Object.keys(WEBHOOK_TOPICS) as WebhookTopic[];

describe("webhook payload contracts (Shopify's 2026-04 examples)", () => {
  it.each(topics)("%s parses into a command", (topic) => {
    const result = parseWebhook(topic, parseJsonLossless(contractFixtureText(topic)));
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  });

  it("keeps exact ids, prefers the GID, and converts the product record", () => {
    const result = parseWebhook("products/create", parseJsonLossless(webhookFixtureText("products/create")));
    if (!result.ok || result.command.kind !== "upsertProduct") throw new Error("expected a product");
    const { product } = result.command;
    expect(product.id).toBe("788032119674292922");
    expect(product.tags).toEqual(["example", "mens", "t-shirt"]);
    expect(product.variants?.map((variant) => [variant.id, variant.price, variant.compareAtPrice])).toEqual([
      ["642667041472713922", "19.99", "24.99"],
      ["757650484644203962", "19.99", "24.99"],
    ]);
  });

  it("reads checkouts by token (2026-04 has no checkout id) with their recovery URL", () => {
    const result = parseWebhook("checkouts/create", parseJsonLossless(webhookFixtureText("checkouts/create")));
    if (!result.ok || result.command.kind !== "upsertCheckout") throw new Error("expected a checkout");
    expect(result.command.checkout.token).toBe("123123123");
    expect(result.command.checkout.recoveryUrl).toContain("/recover?key=");
    expect(result.command.checkout.lineItems.length).toBeGreaterThan(0);
  });

  it("rejects Shopify's empty inventory example with a reason naming the missing fields", () => {
    const result = parseWebhook("inventory_levels/update", parseJsonLossless(webhookFixtureText("inventory_levels/update")));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/inventory_item_id/);
  });

  it("rejects wrong shapes and unknown topics as values", () => {
    expect(parseWebhook("orders/create", { id: 1 })).toMatchObject({ ok: false });
    expect(parseWebhook("products/create", { title: 42 })).toMatchObject({ ok: false });
    expect(parseWebhook("carts/update", {})).toEqual({ ok: false, reason: "unsupported topic carts/update" });
  });
});

describe("shopify.app.toml", () => {
  const toml = readFileSync(new URL("../../shopify.app.toml", import.meta.url), "utf8");

  it("subscribes every handled topic at its own path, and nothing else", () => {
    const subscribed = [...toml.matchAll(/(?:topics|compliance_topics) = \["([^"]+)"\]\s*\n\s*uri = "([^"]+)"/g)].map(
      ([, topic, uri]) => [topic, uri],
    );
    expect(subscribed.map(([topic]) => topic).sort()).toEqual([...topics].sort());
    for (const [topic, uri] of subscribed) expect(uri).toBe(`/webhooks/${topic}`);
  });

  it("declares the privacy topics as compliance topics", () => {
    for (const topic of COMPLIANCE_TOPICS) expect(toml).toContain(`compliance_topics = ["${topic}"]`);
  });
});
