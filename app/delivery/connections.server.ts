import type { Db } from "~/db.server";
import { createEspAdapter } from "~/integrations/esp/factory";
import { parseConnection, type EspConnection } from "~/integrations/esp/connection";
import type { EspAdapter, EspDeps, EspError } from "~/integrations/esp/types";
import { decryptConnection, encryptConnection, keepUnchangedSecrets, redactConnection } from "~/lib/secrets";

// The shop's ESP connection: checked with the provider on save, stored encrypted with the shop as
// context (a row copied to another shop does not open), shown to the browser only redacted.

export type SaveResult =
  | { ok: true; account?: string; warnings?: string[] }
  | { ok: false; error: { kind: "invalid"; problems: string[] } | { kind: "rejected_by_provider"; error: EspError } | { kind: "no_encryption_key" } };

function encryptionConfigured(): boolean {
  return Boolean(process.env.ENCRYPTION_KEYS);
}

export async function loadConnection(db: Db, shop: string): Promise<EspConnection | null> {
  const row = await db.espConnection.findUnique({ where: { shop } });
  if (!row || !encryptionConfigured()) return null;
  const opened = decryptConnection(row.credentials, { context: shop });
  return opened.ok ? opened.connection : null;
}

/** For the settings page: what is connected, with every secret redacted. */
export async function describeConnection(db: Db, shop: string) {
  const row = await db.espConnection.findUnique({ where: { shop }, select: { provider: true, status: true, lastError: true, verifiedAt: true } });
  const connection = await loadConnection(db, shop);
  return row ? { ...row, connection: connection ? redactConnection(connection) : null } : null;
}

export async function saveConnection(db: Db, shop: string, input: unknown, deps: EspDeps = {}): Promise<SaveResult> {
  const parsed = parseConnection(input);
  if (!parsed.ok) return { ok: false, error: { kind: "invalid", problems: parsed.problems } };
  if (!encryptionConfigured()) return { ok: false, error: { kind: "no_encryption_key" } };
  const connection = keepUnchangedSecrets(parsed.connection, (await loadConnection(db, shop)) ?? undefined);
  const adapter = createEspAdapter(connection, deps);
  try {
    const check = await adapter.validateCredentials();
    if (!check.ok) return { ok: false, error: { kind: "rejected_by_provider", error: check.error } };
    const credentials = encryptConnection(connection, { context: shop });
    const values = { provider: connection.provider, credentials, status: "verified", lastError: null, verifiedAt: new Date() };
    await db.espConnection.upsert({ where: { shop }, create: { shop, ...values }, update: values });
    return { ok: true, account: check.account, warnings: check.warnings };
  } finally {
    await adapter.close?.();
  }
}

export async function adapterForShop(db: Db, shop: string, deps: EspDeps = {}): Promise<EspAdapter | null> {
  const connection = await loadConnection(db, shop);
  return connection ? createEspAdapter(connection, deps) : null;
}
