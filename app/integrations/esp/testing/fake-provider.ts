import { createServer, type IncomingMessage } from "node:http";
import { type AddressInfo } from "node:net";
import { type ContractCheck, type OpenApiContract, type RequestToCheck } from "./openapi-contract";

// Test-only: a local HTTP server standing in for an ESP. Every request is checked against the provider's
// contract before the scripted handler answers; a request that breaks the contract gets the 400 a real
// gateway would give and is recorded, so a test asserts `violations` is empty. Replies the handler makes
// are checked against the documented response too, so a fake cannot drift from the provider.

export type RecordedRequest = RequestToCheck & { json: unknown; operation: string | undefined };

export type FakeReply = {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON with `contentType` (application/json unless given). */
  body?: unknown;
  contentType?: string;
  /** Hold the reply this long (to trigger client timeouts). */
  delayMs?: number;
};

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export type Validator = { checkRequest(request: RequestToCheck): ContractCheck } & Partial<Pick<OpenApiContract, "checkReply">>;

export type FakeProvider = {
  url: string;
  requests: RecordedRequest[];
  violations: string[];
  /** Replace the handler (each test scripts its own answers). */
  respond(handler: FakeHandler): void;
  close(): Promise<void>;
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeProvider(validator: Validator, handler: FakeHandler): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  let current = handler;
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://fake.local");
      const bodyText = await readBody(request);
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(request.headers)) {
        headers[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
      }
      const toCheck: RequestToCheck = {
        method: request.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: bodyText,
      };
      const check = validator.checkRequest(toCheck);
      let json: unknown;
      try {
        json = bodyText ? JSON.parse(bodyText) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = { ...toCheck, json, operation: check.operation };
      requests.push(recorded);
      if (check.problems.length > 0) {
        violations.push(...check.problems.map((problem) => `${toCheck.method} ${toCheck.path}: ${problem}`));
        response.writeHead(400, { "content-type": "application/json" });
        response.end(JSON.stringify({ fake: "contract violation", problems: check.problems }));
        return;
      }
      const reply = await current(recorded);
      if (reply.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, reply.delayMs);
          timers.add(timer);
        });
      }
      const contentType = reply.contentType ?? "application/json";
      const payload =
        reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      if (validator.checkReply && payload) {
        const replyProblems = validator.checkReply(toCheck.method, toCheck.path, reply.status, contentType, payload);
        violations.push(...replyProblems.map((problem) => `fake reply to ${toCheck.method} ${toCheck.path}: ${problem}`));
      }
      if (response.destroyed) return;
      response.writeHead(reply.status, { ...(payload ? { "content-type": contentType } : {}), ...reply.headers });
      response.end(payload);
    })().catch((error: unknown) => {
      violations.push(`fake crashed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(599);
      response.end();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    respond(next) {
      current = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: connect fails at once. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Reads a nested value out of recorded JSON (`dig(json, "data", "attributes", 0)`) without casts. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
