import { spawn } from "node:child_process";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Demo mode serves the admin without authentication, so it must be impossible in production: the
// built server refuses production and real credentials, binds to loopback whatever HOST says, and the
// demo launcher refuses the same environments before it starts anything.

const root = join(import.meta.dirname, "..", "..");

/** The environment without anything a test run or the developer's shell set for the app. */
function cleanEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(SHOPIFY_|DEMO_|DATABASE_URL|REDIS_|NODE_ENV|LOG_LEVEL|ENCRYPTION_KEYS|HOST|PORT)/.test(name)) delete env[name];
  }
  return { ...env, ...overrides };
}

interface Exit {
  code: number | null;
  output: string;
  listening?: string;
  stop(): Promise<void>;
}

/** Runs until it exits or prints "listening on"; `stop` ends a process that is still running. */
function run(args: string[], env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, args, { cwd: root, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ code: null, output, stop }), 25_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ code: null, output, listening: match[1], stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output, stop });
    });
  });
}

const DEMO = {
  DEMO_SHOP: "safety-demo.myshopify.com",
  SHOPIFY_API_KEY: "demo-api-key",
  SHOPIFY_API_SECRET: "demo-secret",
  SHOPIFY_APP_URL: "http://localhost:3000",
  PORT: "0",
  LOG_LEVEL: "silent",
};

function nonLoopbackAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal)?.address;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

describe("demo mode cannot reach production", () => {
  it("the server refuses to start in demo mode with NODE_ENV=production", async () => {
    const result = await run(["server.mjs"], { ...DEMO, NODE_ENV: "production", DATABASE_URL: process.env.DATABASE_URL! });
    expect(result.listening).toBeUndefined();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("demo mode (DEMO_SHOP) serves the admin without authentication: it cannot run with NODE_ENV=production");
  });

  it("the server refuses to start in demo mode with real Shopify credentials", async () => {
    const result = await run(["server.mjs"], { ...DEMO, SHOPIFY_API_KEY: "0123456789abcdef0123456789abcdef", NODE_ENV: "development", DATABASE_URL: process.env.DATABASE_URL! });
    expect(result.listening).toBeUndefined();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("demo mode (DEMO_SHOP) cannot run with real Shopify credentials");
  });

  it("the server refuses demo mode behind a public app URL", async () => {
    const result = await run(["server.mjs"], { ...DEMO, SHOPIFY_APP_URL: "https://campaign-pilot.example.com", NODE_ENV: "development", DATABASE_URL: process.env.DATABASE_URL! });
    expect(result.listening).toBeUndefined();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("SHOPIFY_APP_URL must be a localhost URL");
  });

  it("binds to 127.0.0.1 in demo mode even when HOST asks for every interface", async () => {
    const result = await run(["server.mjs"], { ...DEMO, NODE_ENV: "development", HOST: "0.0.0.0", DATABASE_URL: process.env.DATABASE_URL! });
    try {
      expect(result.listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const port = Number(new URL(result.listening!).port);
      expect(await canConnect("127.0.0.1", port)).toBe(true);
      const outside = nonLoopbackAddress();
      // A machine with no network interface besides loopback has nothing more to prove.
      if (outside) expect(await canConnect(outside, port)).toBe(false);
    } finally {
      await result.stop();
    }
  });

  it("the demo launcher refuses NODE_ENV=production and real credentials before starting anything", async () => {
    const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
    const production = await run([tsx, "demo/main.ts", "--port", "0"], { NODE_ENV: "production" });
    expect(production.code).toBe(1);
    expect(production.output).toContain("the demo refuses to run with NODE_ENV=production");
    const real = await run([tsx, "demo/main.ts", "--port", "0"], { SHOPIFY_API_KEY: "0123456789abcdef0123456789abcdef" });
    expect(real.code).toBe(1);
    expect(real.output).toContain("the demo refuses to run with real Shopify credentials");
  });
});
