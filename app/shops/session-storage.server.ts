import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { Db } from "~/db.server";
import { log } from "~/lib/logger.server";
import { decryptSecret, encryptSecret, isEncryptedValue } from "~/lib/secrets";

// Shopify access and refresh tokens at rest (ADR 020). PrismaSessionStorage writes them as plain text;
// this wrapper encrypts both with ENCRYPTION_KEYS (AES-256-GCM, lib/secrets.ts) before they reach the
// table, bound to the shop and the field so a value copied to another row or field does not open.
// - Without ENCRYPTION_KEYS (development and tests only: production refuses to boot without it, see
//   env.server.ts) tokens are stored as they come.
// - A row written before encryption (plain text) still loads; `npm run secrets:rotate` encrypts it.
// - A token that cannot be opened (a removed key, a tampered row) makes the session absent, so the
//   library re-authenticates the shop instead of calling Shopify with garbage.

type TokenField = "accessToken" | "refreshToken";
const TOKEN_FIELDS: TokenField[] = ["accessToken", "refreshToken"];

export const sessionTokenContext = (shop: string, field: TokenField) => `session:${shop}:${field}`;

const keysConfigured = () => Boolean(process.env.ENCRYPTION_KEYS);

/** A stored token as the app needs it: decrypted, or plain text from before encryption; null if unreadable. */
export function openSessionToken(value: string, shop: string, field: TokenField = "accessToken"): string | null {
  if (!isEncryptedValue(value)) return value;
  if (!keysConfigured()) {
    log.warn("session token is encrypted but ENCRYPTION_KEYS is not set", { shop, field });
    return null;
  }
  const opened = decryptSecret(value, { context: sessionTokenContext(shop, field) });
  if (opened.ok) return opened.plaintext;
  log.warn("session token could not be decrypted", { shop, field, error: opened.error.type });
  return null;
}

/** The value to store for a token: encrypted when keys are configured. */
export function sealSessionToken(value: string, shop: string, field: TokenField = "accessToken"): string {
  if (!keysConfigured() || isEncryptedValue(value)) return value;
  return encryptSecret(value, { context: sessionTokenContext(shop, field) });
}

function mapTokens(session: Session, map: (value: string, field: TokenField) => string | null): Session | undefined {
  const params = session.toObject();
  for (const field of TOKEN_FIELDS) {
    const value = params[field];
    if (typeof value !== "string" || value === "") continue;
    const mapped = map(value, field);
    if (mapped === null) return undefined;
    params[field] = mapped;
  }
  return new Session(params);
}

export class EncryptedSessionStorage implements SessionStorage {
  constructor(private readonly inner: SessionStorage) {}

  async storeSession(session: Session): Promise<boolean> {
    const sealed = mapTokens(session, (value, field) => sealSessionToken(value, session.shop, field))!;
    return this.inner.storeSession(sealed);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    return stored && mapTokens(stored, (value, field) => openSessionToken(value, stored.shop, field));
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const sessions = await this.inner.findSessionsByShop(shop);
    return sessions.flatMap((session) => mapTokens(session, (value, field) => openSessionToken(value, session.shop, field)) ?? []);
  }
}

/** The app's session storage: Shopify's Prisma storage with the tokens encrypted. */
export function shopSessionStorage(db: Db): SessionStorage {
  return new EncryptedSessionStorage(new PrismaSessionStorage(db));
}
