import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { ESP_SECRET_FIELDS, type EspConnection, EspConnectionSchema } from "~/integrations/esp/connection";

// Credentials at rest: AES-256-GCM, a fresh random 96-bit IV per encryption, stored as
//   v1:<keyId>:<iv>:<ciphertext>:<tag>          (iv, ciphertext, tag in base64url)
// Keys come from ENCRYPTION_KEYS="keyId:base64key,keyId:base64key"; the first encrypts, all decrypt.
// Rotation: put a new key first, keep the old ones after it, run reencrypt() over stored values, then
// drop the old key. The version and key id are authenticated (GCM additional data) together with an
// optional context, e.g. the shop domain, so a ciphertext copied to another shop's row fails to open.
// Failures to decrypt are values; only a broken ENCRYPTION_KEYS (a deploy mistake) throws.

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export type Keyring = { currentId: string; keys: ReadonlyMap<string, Buffer> };

export type SecretError = { type: "malformed" } | { type: "unknown_key"; keyId: string } | { type: "tampered" };
export type DecryptResult = { ok: true; plaintext: string } | { ok: false; error: SecretError };
export type ReencryptResult = { ok: true; ciphertext: string; rotated: boolean } | { ok: false; error: SecretError };

export type SecretOptions = {
  keyring?: Keyring;
  /** Bound into the authentication tag; decrypt must pass the same value. */
  context?: string;
};

function decodeKey(text: string): Buffer | undefined {
  const normalized = text.trim().replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(normalized)) return undefined;
  const key = Buffer.from(normalized, "base64");
  return key.length === 32 ? key : undefined;
}

/** Parses ENCRYPTION_KEYS; throws with a message naming the bad entry (never the key material). */
export function parseKeyring(spec: string | undefined): Keyring {
  const entries = (spec ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("ENCRYPTION_KEYS is empty: set keyId:base64(32 random bytes)[,older…]");
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(":");
    const id = separator > 0 ? entry.slice(0, separator) : "";
    if (!KEY_ID.test(id)) throw new Error(`ENCRYPTION_KEYS entry ${index + 1}: key id must match ${KEY_ID}`);
    if (keys.has(id)) throw new Error(`ENCRYPTION_KEYS entry ${index + 1}: duplicate key id "${id}"`);
    const key = decodeKey(entry.slice(separator + 1));
    if (!key) throw new Error(`ENCRYPTION_KEYS entry ${index + 1} ("${id}"): key must be base64 of exactly 32 bytes`);
    keys.set(id, key);
  });
  return { currentId: entries[0].slice(0, entries[0].indexOf(":")), keys };
}

let envKeyring: { spec: string | undefined; keyring: Keyring } | undefined;
function keyringFrom(options: SecretOptions): Keyring {
  if (options.keyring) return options.keyring;
  const spec = process.env.ENCRYPTION_KEYS;
  if (!envKeyring || envKeyring.spec !== spec) envKeyring = { spec, keyring: parseKeyring(spec) };
  return envKeyring.keyring;
}

function additionalData(keyId: string, context: string | undefined): Buffer {
  return Buffer.from(context === undefined ? `${VERSION}:${keyId}` : `${VERSION}:${keyId}:${context}`, "utf8");
}

export function encryptSecret(plaintext: string, options: SecretOptions = {}): string {
  const keyring = keyringFrom(options);
  const key = keyring.keys.get(keyring.currentId)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(keyring.currentId, options.context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyring.currentId, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(":");
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function parseEnvelope(value: string) {
  const parts = value.split(":");
  if (parts.length !== 5) return undefined;
  const [version, keyId, iv, ciphertext, tag] = parts;
  if (version !== VERSION || !KEY_ID.test(keyId) || ![iv, ciphertext, tag].every((part) => BASE64URL.test(part))) return undefined;
  const envelope = {
    keyId,
    iv: Buffer.from(iv, "base64url"),
    ciphertext: Buffer.from(ciphertext, "base64url"),
    tag: Buffer.from(tag, "base64url"),
  };
  return envelope.iv.length === IV_BYTES && envelope.tag.length === TAG_BYTES ? envelope : undefined;
}

export function decryptSecret(value: string, options: SecretOptions = {}): DecryptResult {
  const envelope = parseEnvelope(value);
  if (!envelope) return { ok: false, error: { type: "malformed" } };
  const key = keyringFrom(options).keys.get(envelope.keyId);
  if (!key) return { ok: false, error: { type: "unknown_key", keyId: envelope.keyId } };
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, envelope.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(envelope.keyId, options.context));
    decipher.setAuthTag(envelope.tag);
    const plaintext = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString("utf8");
    return { ok: true, plaintext };
  } catch {
    // GCM's tag check failed: wrong key, wrong context, or the bytes were changed.
    return { ok: false, error: { type: "tampered" } };
  }
}

/** Re-encrypts under the current key; values already under it are returned unchanged. */
export function reencrypt(value: string, options: SecretOptions = {}): ReencryptResult {
  const keyring = keyringFrom(options);
  const envelope = parseEnvelope(value);
  if (!envelope) return { ok: false, error: { type: "malformed" } };
  const opened = decryptSecret(value, options);
  if (!opened.ok) return opened;
  if (envelope.keyId === keyring.currentId) return { ok: true, ciphertext: value, rotated: false };
  return { ok: true, ciphertext: encryptSecret(opened.plaintext, options), rotated: true };
}

/** Whether a stored value is one of our envelopes (as opposed to plain text from before encryption). */
export function isEncryptedValue(value: string): boolean {
  return parseEnvelope(value) !== undefined;
}

export function needsRotation(value: string, options: SecretOptions = {}): boolean {
  return parseEnvelope(value)?.keyId !== keyringFrom(options).currentId;
}

// ---------------------------------------------------------------------------------------------------------
// ESP connections

export type ConnectionDecryptResult =
  | { ok: true; connection: EspConnection }
  | { ok: false; error: SecretError | { type: "invalid_connection"; problems: string[] } };

/** The whole connection, secrets and settings, as one encrypted JSON value. */
export function encryptConnection(connection: EspConnection, options: SecretOptions = {}): string {
  return encryptSecret(JSON.stringify(connection), options);
}

export function decryptConnection(value: string, options: SecretOptions = {}): ConnectionDecryptResult {
  const opened = decryptSecret(value, options);
  if (!opened.ok) return opened;
  let json: unknown;
  try {
    json = JSON.parse(opened.plaintext);
  } catch {
    return { ok: false, error: { type: "invalid_connection", problems: ["not JSON"] } };
  }
  const parsed = EspConnectionSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: { type: "invalid_connection", problems: parsed.error.issues.map((issue) => issue.path.join(".")) } };
  }
  return { ok: true, connection: parsed.data };
}

export const REDACTION_PREFIX = "••••";

/** "••••" plus the last 4 characters, and only the dots for short secrets (4 of 8 would be half). */
export function redactSecret(secret: string): string {
  return secret.length >= 12 ? `${REDACTION_PREFIX}${secret.slice(-4)}` : REDACTION_PREFIX;
}

function mapSecretFields<T extends EspConnection>(connection: T, map: (value: string, path: string) => string): T {
  const copy = structuredClone(connection) as T;
  for (const path of ESP_SECRET_FIELDS[connection.provider]) {
    const keys = path.split(".");
    let holder: Record<string, unknown> | undefined = copy as unknown as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) holder = holder?.[key] as Record<string, unknown> | undefined;
    const last = keys.at(-1)!;
    if (holder && typeof holder[last] === "string") holder[last] = map(holder[last] as string, path);
  }
  return copy;
}

/** For the settings UI: the connection with every secret redacted. */
export function redactConnection<T extends EspConnection>(connection: T): T {
  return mapSecretFields(connection, redactSecret);
}

/**
 * A settings form posts back the redacted values it was shown; wherever a secret field still holds a
 * redaction, keep the stored secret instead of saving the dots.
 */
export function keepUnchangedSecrets(submitted: EspConnection, stored: EspConnection | undefined): EspConnection {
  if (!stored || stored.provider !== submitted.provider) return submitted;
  const storedValues = new Map<string, string>();
  mapSecretFields(stored, (value, path) => {
    storedValues.set(path, value);
    return value;
  });
  return mapSecretFields(submitted, (value, path) => {
    const previous = storedValues.get(path);
    return value.startsWith(REDACTION_PREFIX) && previous !== undefined && value === redactSecret(previous) ? previous : value;
  });
}
