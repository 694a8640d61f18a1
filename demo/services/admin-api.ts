import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

// A local stand-in for the demo shop's Admin GraphQL API (the app is pointed at it with
// SHOPIFY_ADMIN_API_ORIGIN, which the app refuses in production). It answers the operations the app
// sends, by name, and serves bulk-operation results as JSONL; like Shopify, it announces a finished
// bulk operation with the bulk_operations/finish webhook. Anything else is an error, loudly.

export type BulkResource = "products" | "customers" | "orders";

export interface AdminApiStandIn {
  origin: string;
  /** Operation names received, in order (for the demo's test). */
  calls: string[];
  close(): Promise<void>;
}

export interface AdminApiOptions {
  shop: { name: string; email: string; currencyCode: string; ianaTimezone: string };
  /** The JSONL lines of each resource's bulk query. */
  bulkLines: Record<BulkResource, () => Iterable<string>>;
  /** Called once a bulk operation's file is ready (the demo sends bulk_operations/finish). */
  onBulkOperationFinished(operationId: string): void;
  /** Called with the names of operations nobody planned for. */
  onUnexpected(operation: string): void;
}

const requestSchema = z.object({ query: z.string(), variables: z.record(z.string(), z.unknown()).default({}) });

function resourceOf(query: string): BulkResource | null {
  const match = /\{\s*(products|customers|orders)\b/.exec(query);
  return match ? (match[1] as BulkResource) : null;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startAdminApiStandIn(options: AdminApiOptions): Promise<AdminApiStandIn> {
  const calls: string[] = [];
  const operations = new Map<string, { resource: BulkResource; objectCount: number }>();
  let nextId = 1;
  let nextDiscount = 1;
  let origin = "";

  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  const handlers: Record<string, (variables: Record<string, unknown>) => unknown> = {
    ShopInfo: () => ({ shop: { ...options.shop, plan: { displayName: "Development (demo)" } } }),
    BulkOperationRunQuery(variables) {
      const resource = resourceOf(String(variables.query ?? ""));
      if (!resource) return { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ message: "unknown bulk query", code: "INVALID" }] } };
      const id = `gid://shopify/BulkOperation/${nextId++}`;
      let objectCount = 0;
      for (const line of options.bulkLines[resource]()) if (line) objectCount++;
      operations.set(id, { resource, objectCount });
      // Shopify runs the query, then posts the webhook; the app records the run first (a short delay).
      setTimeout(() => options.onBulkOperationFinished(id), 300);
      return { bulkOperationRunQuery: { bulkOperation: { id, status: "CREATED" }, userErrors: [] } };
    },
    BulkOperationStatus(variables) {
      const id = String(variables.id);
      const operation = operations.get(id);
      if (!operation) return { node: null };
      const url = `${origin}/bulk/${encodeURIComponent(id)}.jsonl`;
      return { node: { id, status: "COMPLETED", errorCode: null, objectCount: String(operation.objectCount), url, partialDataUrl: null } };
    },
    DiscountCodeBasicCreate: () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${nextDiscount++}` }, userErrors: [] } }),
    DiscountRedeemCodeBulkAdd: () => ({ discountRedeemCodeBulkAdd: { bulkCreation: { id: `gid://shopify/DiscountRedeemCodeBulkCreation/${nextDiscount++}` }, userErrors: [] } }),
    CustomerEmailMarketingConsentUpdate: (variables) => {
      const input = variables.input as { customerId?: string } | undefined;
      return { customerEmailMarketingConsentUpdate: { customer: { id: input?.customerId ?? "" }, userErrors: [] } };
    },
  };

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://localhost");
      const file = /^\/bulk\/(.+)\.jsonl$/.exec(url.pathname);
      if (file && request.method === "GET") {
        const operation = operations.get(decodeURIComponent(file[1]));
        if (!operation) return void response.writeHead(404).end();
        response.writeHead(200, { "content-type": "application/jsonl" });
        for (const line of options.bulkLines[operation.resource]()) {
          if (!response.write(`${line}\n`)) await new Promise((resolve) => response.once("drain", resolve));
        }
        return void response.end();
      }
      if (request.method !== "POST" || !/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(url.pathname)) return void response.writeHead(404).end();
      const parsed = requestSchema.safeParse(JSON.parse(await readBody(request)));
      if (!parsed.success) return answer(response, 400, { errors: [{ message: "not a GraphQL request" }] });
      const operation = /(?:query|mutation)\s+(\w+)/.exec(parsed.data.query)?.[1] ?? "(anonymous)";
      calls.push(operation);
      const handler = handlers[operation];
      if (!handler) {
        options.onUnexpected(operation);
        return answer(response, 200, { errors: [{ message: `the demo's Admin API stand-in does not implement ${operation}` }] });
      }
      answer(response, 200, { data: handler(parsed.data.variables) });
    })().catch((error: unknown) => {
      if (!response.headersSent) answer(response, 500, { errors: [{ message: String(error) }] });
    });
  });
  // Longer than the app's idle keep-alive, so the app never reuses a socket this end just closed.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
