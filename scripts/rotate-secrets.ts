// npm run secrets:rotate — moves every stored secret (Shopify access and refresh tokens, ESP
export {};
// credentials) under the first key of ENCRYPTION_KEYS, and encrypts tokens stored in plain text.
// Run it after putting a new key first; remove the old key once it reports nothing unreadable.
const { readyDb, disconnectDb } = await import("~/db.server");
const { rotateStoredSecrets } = await import("~/lib/rotate-secrets.server");
if (!process.env.ENCRYPTION_KEYS) {
  console.error("secrets:rotate: ENCRYPTION_KEYS is not set");
  process.exit(1);
}
const report = await rotateStoredSecrets(await readyDb());
await disconnectDb();
console.log(JSON.stringify(report));
process.exit(report.sessionTokens.unreadable + report.espConnections.unreadable > 0 ? 2 : 0);
