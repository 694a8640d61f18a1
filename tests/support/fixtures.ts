import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseJsonLossless } from "~/lib/json";

const dir = join(import.meta.dirname, "..", "fixtures", "shopify-webhooks");

/** Raw text of a committed Shopify example payload (ids keep their digits). */
export function webhookFixtureText(topic: string, variant = ""): string {
  return readFileSync(join(dir, `${topic.replace("/", "__")}${variant}.json`), "utf8");
}

/** Parsed as the app parses deliveries: ids above 2^53 stay exact strings. */
export function webhookFixture(topic: string, variant = ""): Record<string, unknown> {
  return parseJsonLossless(webhookFixtureText(topic, variant)) as Record<string, unknown>;
}

/** The example every subscribed topic is tested with (inventory's official example is empty). */
export function contractFixtureText(topic: string): string {
  return webhookFixtureText(topic, topic === "inventory_levels/update" ? ".documented" : "");
}
