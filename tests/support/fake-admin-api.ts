// A local HTTP server that plays Shopify's Admin GraphQL endpoint (answering by operation name and
// failing on any operation a test did not expect) and serves bulk-operation JSONL files.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type OperationHandler = (variables: Record<string, unknown>, request: { shop: string; token: string }) =>
  | { status?: number; body: unknown; headers?: Record<string, string> }
  | Promise<{ status?: number; body: unknown; headers?: Record<string, string> }>;

export interface FakeAdminApi {
  origin: string;
  calls: Array<{ operation: string; variables: Record<string, unknown>; shop: string }>;
  unexpected: string[];
  handle(operation: string, handler: OperationHandler): void;
  serveFile(path: string, lines: () => AsyncIterable<string> | Iterable<string>): string;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<{ query?: string; variables?: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startFakeAdminApi(): Promise<FakeAdminApi> {
  const handlers = new Map<string, OperationHandler>();
  const files = new Map<string, () => AsyncIterable<string> | Iterable<string>>();
  const calls: FakeAdminApi["calls"] = [];
  const unexpected: string[] = [];

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const file = files.get(url.pathname);
    if (file && request.method === "GET") {
      response.writeHead(200, { "content-type": "application/jsonl" });
      for await (const line of file()) {
        if (!response.write(`${line}\n`)) await new Promise((resolve) => response.once("drain", resolve));
      }
      response.end();
      return;
    }
    const match = /^\/admin\/api\/[\w-]+\/graphql\.json$/.exec(url.pathname);
    if (!match || request.method !== "POST") {
      response.writeHead(404).end();
      return;
    }
    const { query = "", variables = {} } = await readJson(request);
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "(anonymous)";
    const shop = String(request.headers.host ?? "");
    calls.push({ operation, variables, shop });
    const handler = handlers.get(operation);
    if (!handler) {
      unexpected.push(operation);
      response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: `unexpected ${operation}` }] }));
      return;
    }
    const token = String(request.headers["x-shopify-access-token"] ?? "");
    const result = await handler(variables, { shop, token });
    response.writeHead(result.status ?? 200, { "content-type": "application/json", ...result.headers });
    response.end(JSON.stringify(result.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    calls,
    unexpected,
    handle: (operation, handler) => void handlers.set(operation, handler),
    serveFile(path, lines) {
      files.set(path, lines);
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
