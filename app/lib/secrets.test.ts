import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type EspConnection } from "~/integrations/esp/connection";
import {
  decryptConnection,
  decryptSecret,
  encryptConnection,
  encryptSecret,
  keepUnchangedSecrets,
  needsRotation,
  parseKeyring,
  redactConnection,
  reencrypt,
} from "./secrets";

const key = () => randomBytes(32).toString("base64");
const k1 = key();
const k2 = key();
const oldRing = parseKeyring(`k1:${k1}`);
const rotatedRing = parseKeyring(`k2:${k2},k1:${k1}`);
const newOnlyRing = parseKeyring(`k2:${k2}`);

/** Flips one bit of the byte at `index` inside part `part` (2 iv, 3 ciphertext, 4 tag) of the envelope. */
function flip(value: string, part: number, index = 0): string {
  const parts = value.split(":");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[index] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(":");
}

describe("secrets: AES-256-GCM envelope", () => {
  it("round-trips any text, with a fresh IV every time", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (plaintext) => {
        const a = encryptSecret(plaintext, { keyring: oldRing });
        const b = encryptSecret(plaintext, { keyring: oldRing });
        expect(a).not.toBe(b);
        expect(a).toMatch(/^v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]*:[A-Za-z0-9_-]{22}$/);
        expect(decryptSecret(a, { keyring: oldRing })).toEqual({ ok: true, plaintext });
      }),
      { numRuns: 50 },
    );
  });

  it("detects a changed byte anywhere as tampering", () => {
    const value = encryptSecret("SG.super-secret-api-key", { keyring: oldRing });
    for (const part of [2, 3, 4]) {
      expect(decryptSecret(flip(value, part), { keyring: oldRing })).toEqual({ ok: false, error: { type: "tampered" } });
    }
  });

  it("binds the key id and the context into the tag", () => {
    const value = encryptSecret("pm-token", { keyring: rotatedRing, context: "shop-a.myshopify.com" });
    expect(decryptSecret(value, { keyring: rotatedRing, context: "shop-a.myshopify.com" })).toMatchObject({ ok: true });
    expect(decryptSecret(value, { keyring: rotatedRing, context: "shop-b.myshopify.com" })).toEqual({ ok: false, error: { type: "tampered" } });
    expect(decryptSecret(value.replace(":k2:", ":k1:"), { keyring: rotatedRing })).toEqual({ ok: false, error: { type: "tampered" } });
  });

  it("reports malformed values and unknown key ids as values", () => {
    expect(decryptSecret("plaintext-key", { keyring: oldRing })).toEqual({ ok: false, error: { type: "malformed" } });
    expect(decryptSecret("v2:k1:a:b:c", { keyring: oldRing })).toEqual({ ok: false, error: { type: "malformed" } });
    const value = encryptSecret("x", { keyring: newOnlyRing });
    expect(decryptSecret(value, { keyring: oldRing })).toEqual({ ok: false, error: { type: "unknown_key", keyId: "k2" } });
  });

  it("rotates: old values still open, reencrypt moves them to the current key", () => {
    const old = encryptSecret("mandrill-key", { keyring: oldRing, context: "shop" });
    expect(needsRotation(old, { keyring: rotatedRing })).toBe(true);
    expect(decryptSecret(old, { keyring: rotatedRing, context: "shop" })).toEqual({ ok: true, plaintext: "mandrill-key" });
    const moved = reencrypt(old, { keyring: rotatedRing, context: "shop" });
    expect(moved).toMatchObject({ ok: true, rotated: true });
    if (!moved.ok) return;
    expect(moved.ciphertext.startsWith("v1:k2:")).toBe(true);
    expect(decryptSecret(moved.ciphertext, { keyring: newOnlyRing, context: "shop" })).toEqual({ ok: true, plaintext: "mandrill-key" });
    expect(reencrypt(moved.ciphertext, { keyring: rotatedRing, context: "shop" })).toEqual({ ok: true, ciphertext: moved.ciphertext, rotated: false });
    expect(reencrypt(flip(old, 3), { keyring: rotatedRing, context: "shop" })).toEqual({ ok: false, error: { type: "tampered" } });
  });
});

describe("secrets: ENCRYPTION_KEYS", () => {
  const saved = process.env.ENCRYPTION_KEYS;
  afterEach(() => {
    process.env.ENCRYPTION_KEYS = saved;
  });

  it("reads keys from the environment, first one current", () => {
    process.env.ENCRYPTION_KEYS = `k2:${k2}, k1:${k1}`;
    const value = encryptSecret("hello");
    expect(value.startsWith("v1:k2:")).toBe(true);
    expect(decryptSecret(encryptSecret("x", { keyring: oldRing }))).toEqual({ ok: true, plaintext: "x" });
  });

  it("fails fast on a bad configuration without printing key material", () => {
    const short = randomBytes(16).toString("base64");
    expect(() => parseKeyring("")).toThrow(/empty/);
    expect(() => parseKeyring(`k1:${short}`)).toThrow(/32 bytes/);
    // A literal check: base64 has "+" and "/", which a RegExp built from it would misread.
    expect(() => parseKeyring(`k1:${short}`)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(short.slice(0, 8)) }));
    expect(() => parseKeyring(`k1:${k1},k1:${k2}`)).toThrow(/duplicate/);
    expect(() => parseKeyring(`bad id:${k1}`)).toThrow(/key id/);
    expect(parseKeyring(`url:${randomBytes(32).toString("base64url")}`).currentId).toBe("url");
  });
});

describe("secrets: ESP connections", () => {
  const postmark: EspConnection = {
    provider: "postmark",
    serverToken: "0b9b0f3e-3b1d-4d8a-9a55-8d2c51f2a9c1",
    messageStream: "broadcast",
    webhookBasicAuth: { username: "postmark", password: "correct-horse-battery" },
    webhookToken: "short",
  };

  it("encrypts a whole connection and parses it back", () => {
    const value = encryptConnection(postmark, { keyring: oldRing, context: "shop" });
    expect(value).not.toContain("0b9b0f3e");
    expect(decryptConnection(value, { keyring: oldRing, context: "shop" })).toEqual({ ok: true, connection: postmark });
    expect(decryptConnection(encryptSecret("{}", { keyring: oldRing }), { keyring: oldRing })).toMatchObject({
      ok: false,
      error: { type: "invalid_connection" },
    });
  });

  it("redacts every secret to dots plus the last four characters", () => {
    expect(redactConnection(postmark)).toEqual({
      provider: "postmark",
      serverToken: "••••a9c1",
      messageStream: "broadcast",
      webhookBasicAuth: { username: "postmark", password: "••••tery" },
      webhookToken: "••••",
    });
    expect(postmark.serverToken).toBe("0b9b0f3e-3b1d-4d8a-9a55-8d2c51f2a9c1");
    const smtp: EspConnection = { provider: "smtp", host: "smtp.example.com", port: 587, secure: false, user: "me", pass: "app-password-1234", requireTls: true, maxPerSecond: 5 };
    expect(redactConnection(smtp)).toMatchObject({ host: "smtp.example.com", user: "me", pass: "••••1234" });
  });

  it("keeps stored secrets when a form posts the redacted values back", () => {
    const submitted = { ...redactConnection(postmark), messageStream: "newsletters" };
    expect(keepUnchangedSecrets(submitted, postmark)).toEqual({ ...postmark, messageStream: "newsletters" });
    const replaced = { ...submitted, serverToken: "new-token-value-000" };
    expect(keepUnchangedSecrets(replaced, postmark)).toMatchObject({ serverToken: "new-token-value-000" });
  });
});
