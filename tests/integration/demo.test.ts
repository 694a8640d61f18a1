import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait";

// The one-command demo, end to end on a smaller slice of the data: the launcher seeds the shop through
// the real paths (bulk JSONL from the Admin API stand-in, signed webhooks), the app's own jobs suggest
// a campaign of every kind, approving one through the admin's action sends it, and the mail arrives in
// the local SMTP sink, visible on the Demo inbox page.

const root = join(import.meta.dirname, "..", "..");
const dataDir = mkdtempSync(join(tmpdir(), "campaign-pilot-demo-"));
let launcher: ChildProcess;
let output = "";
let appUrl: string;
let readyAfterSeconds: number;

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(SHOPIFY_|DEMO_|DATABASE_URL|REDIS_|NODE_ENV|LOG_LEVEL|ENCRYPTION_KEYS|HOST|PORT)/.test(name)) delete env[name];
  return env;
}

beforeAll(async () => {
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  launcher = spawn(process.execPath, [tsx, "--no-experimental-require-module", "demo/main.ts", "--port", "0", "--customers", "60", "--data-dir", dataDir], {
    cwd: root,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  launcher.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => launcher.once("exit", (code) => reject(new Error(`the demo exited (${code}):\n${output}`))));
  const ready = (async () => {
    for (;;) {
      const match = /Ready after ([\d.]+) s[\s\S]*Open (http:\/\/\S+)\/app /.exec(output);
      if (match) return match;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const match = await Promise.race([ready, exited]);
  readyAfterSeconds = Number(match[1]);
  appUrl = match[2].replace("localhost", "127.0.0.1");
}, 120_000);

afterAll(async () => {
  if (launcher && launcher.exitCode === null) {
    await new Promise((resolve) => {
      launcher.once("exit", resolve);
      launcher.kill("SIGTERM");
    });
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** A Remix data request, as the admin's own pages make them (demo mode: no Shopify session). */
async function data<T>(path: string, route: string, form?: Record<string, string>): Promise<T> {
  const url = new URL(path, appUrl);
  url.searchParams.set("_data", route);
  const response = await fetch(url, form ? { method: "POST", body: new URLSearchParams(form) } : {});
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe("npm run demo", () => {
  it("suggests a promotional, a win-back and a cart-recovery campaign from the seeded data", async () => {
    expect(output).toMatch(/Backfill \(bulk JSONL\): orders .* done in/);
    expect(output).toMatch(/Webhooks processed by the app\s+\d+ \/ \d+/);
    expect(readyAfterSeconds).toBeGreaterThan(0);
    const { rows } = await data<{ rows: Array<{ id: string; kind: string; status: string }> }>("/app/campaigns", "routes/app.campaigns._index");
    const suggested = rows.filter((row) => row.status === "suggested");
    expect(new Set(suggested.map((row) => row.kind))).toEqual(new Set(["promotional", "winback", "cart_recovery"]));
  });

  it("sends an approved campaign through the shop's SMTP connection into the demo inbox", async () => {
    const { rows } = await data<{ rows: Array<{ id: string; kind: string; status: string }> }>("/app/campaigns", "routes/app.campaigns._index");
    const campaign = rows.find((row) => row.kind === "promotional" && row.status === "suggested")!;
    const result = await data<{ ok: boolean; message: string }>(`/app/campaigns/${campaign.id}`, "routes/app.campaigns.$id", { intent: "send_now" });
    expect(result).toMatchObject({ ok: true, message: "Sending now" });

    const inbox = await waitFor(
      async () => {
        const current = await data<{ total: number; messages: Array<{ id: string; to: string[]; subject: string }> }>("/app/demo-inbox", "routes/app.demo-inbox");
        return current.total > 0 ? current : undefined;
      },
      30_000,
    );
    expect(inbox.messages[0].to[0]).toMatch(/^customer-\d+@example\.com$/);
    expect(inbox.messages[0].subject).not.toBe("");

    const page = await fetch(new URL(`/app/demo-inbox?id=${inbox.messages[0].id}`, appUrl));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('sandbox=""');
    expect(html).toContain("Demo inbox");
  });
});
