import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(import.meta.dirname, "..", "fixtures", "shopify-webhooks");

/** Raw text of a committed Shopify example payload (ids keep their digits). */
export function webhookFixtureText(topic: string, variant = ""): string {
  return readFileSync(join(dir, `${topic.replace("/", "__")}${variant}.json`), "utf8");
}

export function webhookFixture(topic: string, variant = ""): Record<string, unknown> {
  return JSON.parse(webhookFixtureText(topic, variant));
}

/** The example every subscribed topic is tested with (inventory's official example is empty). */
export function contractFixtureText(topic: string): string {
  return webhookFixtureText(topic, topic === "inventory_levels/update" ? ".documented" : "");
}
