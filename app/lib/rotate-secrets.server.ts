import type { Db } from "~/db.server";
import { sessionTokenContext } from "~/shops/session-storage.server";
import { encryptSecret, isEncryptedValue, reencrypt } from "./secrets";

// `npm run secrets:rotate` (scripts/rotate-secrets.ts): after a new key is put first in
// ENCRYPTION_KEYS, moves every stored secret under it, and encrypts Shopify tokens stored before
// encryption existed. Then the old key can be removed. Values that do not open are counted and left
// as they are (a key already removed, a tampered row): the shop re-authenticates, or the merchant
// re-enters the ESP credentials.

export interface RotationReport {
  sessionTokens: { rotated: number; encrypted: number; current: number; unreadable: number };
  espConnections: { rotated: number; current: number; unreadable: number };
}

const TOKEN_FIELDS = ["accessToken", "refreshToken"] as const;

export async function rotateStoredSecrets(db: Db): Promise<RotationReport> {
  const report: RotationReport = {
    sessionTokens: { rotated: 0, encrypted: 0, current: 0, unreadable: 0 },
    espConnections: { rotated: 0, current: 0, unreadable: 0 },
  };
  const sessions = await db.session.findMany({ select: { id: true, shop: true, accessToken: true, refreshToken: true } });
  for (const session of sessions) {
    const data: Partial<Record<(typeof TOKEN_FIELDS)[number], string>> = {};
    for (const field of TOKEN_FIELDS) {
      const value = session[field];
      if (!value) continue;
      const context = sessionTokenContext(session.shop, field);
      if (!isEncryptedValue(value)) {
        data[field] = encryptSecret(value, { context });
        report.sessionTokens.encrypted++;
        continue;
      }
      const moved = reencrypt(value, { context });
      if (!moved.ok) report.sessionTokens.unreadable++;
      else if (moved.rotated) {
        data[field] = moved.ciphertext;
        report.sessionTokens.rotated++;
      } else report.sessionTokens.current++;
    }
    if (Object.keys(data).length) await db.session.update({ where: { id: session.id }, data });
  }
  for (const connection of await db.espConnection.findMany({ select: { shop: true, credentials: true } })) {
    const moved = reencrypt(connection.credentials, { context: connection.shop });
    if (!moved.ok) report.espConnections.unreadable++;
    else if (moved.rotated) {
      await db.espConnection.update({ where: { shop: connection.shop }, data: { credentials: moved.ciphertext } });
      report.espConnections.rotated++;
    } else report.espConnections.current++;
  }
  return report;
}
