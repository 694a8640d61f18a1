// The reference for bench:ingest: the least a webhook endpoint can do (verify the HMAC over the raw
// body, insert one row into SQLite, answer 200) with node:http and better-sqlite3, nothing else.
import Database from "better-sqlite3";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = process.env.REFERENCE_SECRET;
const db = new Database(process.env.REFERENCE_DB);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(`CREATE TABLE IF NOT EXISTS reference_inbox (webhook_id TEXT PRIMARY KEY, shop TEXT, topic TEXT, payload TEXT)`);
const insert = db.prepare(`INSERT OR IGNORE INTO reference_inbox VALUES (?, ?, ?, ?)`);

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const raw = Buffer.concat(chunks);
    const expected = createHmac("sha256", secret).update(raw).digest();
    const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.writeHead(401).end();
      return;
    }
    insert.run(request.headers["x-shopify-webhook-id"], request.headers["x-shopify-shop-domain"], request.headers["x-shopify-topic"], raw.toString("utf8"));
    response.writeHead(200).end();
  });
});
server.listen(0, "127.0.0.1", () => process.send?.({ url: `http://127.0.0.1:${server.address().port}` }));
