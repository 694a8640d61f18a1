import { z } from "zod";
import type { Db } from "~/db.server";
import { describeConnection, saveConnection } from "~/delivery/connections.server";
import { env } from "~/env.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";

// The integrations page: the ESP connection (checked with the provider, stored encrypted, shown
// redacted) and the copywriter settings.

const PROVIDER_FIELDS: Record<string, string[]> = {
  smtp: ["host", "port", "user", "pass"],
  sendgrid: ["apiKey", "webhookPublicKey"],
  postmark: ["serverToken", "messageStream"],
  mandrill: ["apiKey", "webhookKey"],
  klaviyo: ["privateApiKey", "metricName", "webhookSecret"],
};

export async function integrationsPage(db: Db, shop: string) {
  const [connection, settings, spend] = await Promise.all([
    describeConnection(db, shop),
    loadShopSettings(db, shop),
    db.copySpend.findUnique({ where: { shop_month: { shop, month: new Date().toISOString().slice(0, 7) } } }),
  ]);
  return {
    connection,
    copy: settings.copy,
    openAiConfigured: Boolean(env().OPENAI_API_KEY),
    spentMicros: spend?.spentMicros ?? 0,
    eventWebhookUrl: connection ? `${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/esp/${connection.provider}/${shop}` : null,
    encryptionConfigured: Boolean(env().ENCRYPTION_KEYS),
  };
}

/** Form fields → the provider's connection shape (the schema in integrations/esp decides). */
export function connectionFromForm(form: FormData): Record<string, unknown> {
  const provider = String(form.get("provider") ?? "");
  const values: Record<string, unknown> = { provider };
  for (const field of PROVIDER_FIELDS[provider] ?? []) {
    const value = String(form.get(field) ?? "").trim();
    if (value) values[field] = value;
  }
  if (provider === "smtp") {
    values.secure = form.get("secure") === "on";
    // A relay on this machine (a local sink) needs no TLS; anything else must use it.
    values.requireTls = !["127.0.0.1", "localhost"].includes(String(values.host ?? ""));
  }
  return values;
}

export async function connectEsp(db: Db, shop: string, form: FormData) {
  const result = await saveConnection(db, shop, connectionFromForm(form));
  if (result.ok) return { ok: true as const, message: `Connected${result.account ? ` (${result.account})` : ""}`, fieldErrors: {} };
  switch (result.error.kind) {
    case "invalid":
      return {
        ok: false as const,
        message: "Check the highlighted fields",
        fieldErrors: Object.fromEntries(result.error.problems.map((problem) => problem.split(": ")).map(([field, message]) => [field, message])),
      };
    case "rejected_by_provider":
      return { ok: false as const, message: `The provider refused the connection (${result.error.error.type})`, fieldErrors: {} };
    case "no_encryption_key":
      return { ok: false as const, message: "Set ENCRYPTION_KEYS on the server before connecting a provider", fieldErrors: {} };
  }
}

const copySettingsSchema = z.object({
  provider: z.enum(["builtin", "openai"]),
  model: z.string().trim().min(1, "Enter a model").max(100),
  monthlyBudget: z.coerce.number({ message: "Enter an amount" }).min(0, "0 or more").max(10_000, "At most 10,000"),
});

export async function saveCopySettings(db: Db, shop: string, form: FormData) {
  const parsed = copySettingsSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return { ok: false as const, message: "Check the highlighted fields", fieldErrors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  }
  const settings = await loadShopSettings(db, shop);
  settings.copy = { provider: parsed.data.provider, model: parsed.data.model, monthlyBudgetMicros: Math.round(parsed.data.monthlyBudget * 1_000_000) };
  await saveShopSettings(db, shop, settings);
  return { ok: true as const, message: "Copywriter settings saved", fieldErrors: {} };
}
