import { createAdminApiClient } from "@shopify/admin-api-client";
import type { z } from "zod";
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { openSessionToken } from "~/shops/session-storage.server";
import { SHOPIFY_API_VERSION } from "./api-version";

// The Admin GraphQL port. Operations live one per file (operations/*), each with the zod schema of
// its data, and every expected failure comes back as a value the caller switches on.

export interface AdminOperation<TData, TVariables = Record<string, unknown>> {
  name: string;
  query: string;
  data: z.ZodType<TData>;
  /** Only for typing the variables. */
  variables?: TVariables;
}

export type AdminError =
  | { kind: "no_session" }
  | { kind: "unauthorized" }
  | { kind: "throttled"; retryAfterMs: number }
  | { kind: "server"; status: number }
  | { kind: "network"; message: string }
  | { kind: "graphql"; messages: string[] }
  | { kind: "invalid_response"; message: string };

export type AdminResult<T> = { ok: true; data: T } | { ok: false; error: AdminError };

export interface AdminGraphql {
  request<TData, TVariables>(
    operation: AdminOperation<TData, TVariables>,
    variables?: TVariables,
  ): Promise<AdminResult<TData>>;
}

export function isRetryable(error: AdminError): boolean {
  return error.kind === "throttled" || error.kind === "server" || error.kind === "network";
}

export function describeAdminError(error: AdminError): string {
  switch (error.kind) {
    case "graphql":
      return `GraphQL errors: ${error.messages.join("; ")}`;
    case "server":
      return `Admin API answered ${error.status}`;
    case "throttled":
      return `Admin API throttled (retry in ${error.retryAfterMs} ms)`;
    case "network":
    case "invalid_response":
      return error.message;
    default:
      return error.kind;
  }
}

/**
 * Tests and the demo point the client at a local server that plays the Admin API
 * (SHOPIFY_ADMIN_API_ORIGIN; refused in production by the env schema).
 */
function fetchFor(origin: string | undefined): typeof fetch | undefined {
  if (!origin) return undefined;
  return (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return fetch(new URL(url.pathname + url.search, origin), init);
  };
}

export function createAdminGraphql(shop: string, accessToken: string): AdminGraphql {
  const client = createAdminApiClient({
    storeDomain: shop,
    apiVersion: SHOPIFY_API_VERSION,
    accessToken,
    customFetchApi: fetchFor(env().SHOPIFY_ADMIN_API_ORIGIN),
  });
  return {
    async request(operation, variables) {
      let response;
      try {
        response = await client.request(operation.query, {
          variables: variables as Record<string, unknown> | undefined,
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        return { ok: false, error: { kind: "network", message: error instanceof Error ? error.message : String(error) } };
      }
      const { errors } = response;
      if (errors) {
        const status = errors.networkStatusCode;
        if (status === 401 || status === 403) return { ok: false, error: { kind: "unauthorized" } };
        if (status === 429) {
          const retryAfter = Number(errors.response?.headers.get("Retry-After") ?? 2);
          return { ok: false, error: { kind: "throttled", retryAfterMs: Math.max(1, retryAfter) * 1_000 } };
        }
        if (status && status >= 500) return { ok: false, error: { kind: "server", status } };
        const graphQLErrors = errors.graphQLErrors ?? [];
        if (graphQLErrors.some((error) => error.extensions?.code === "THROTTLED")) {
          return { ok: false, error: { kind: "throttled", retryAfterMs: 2_000 } };
        }
        if (graphQLErrors.length) {
          return { ok: false, error: { kind: "graphql", messages: graphQLErrors.map((error) => error.message) } };
        }
        if (status) return { ok: false, error: { kind: "server", status } };
        return { ok: false, error: { kind: "network", message: errors.message ?? "request failed" } };
      }
      const parsed = operation.data.safeParse(response.data);
      if (!parsed.success) {
        return {
          ok: false,
          error: { kind: "invalid_response", message: `${operation.name}: ${parsed.error.issues[0]?.message}` },
        };
      }
      return { ok: true, data: parsed.data };
    },
  };
}

/** The client for a shop's offline session, or a `no_session` error (not installed, or uninstalled). */
export async function adminForShop(db: Db, shop: string): Promise<AdminResult<AdminGraphql>> {
  const session = await db.session.findFirst({
    where: { shop, isOnline: false },
    select: { accessToken: true },
  });
  // Stored encrypted (shops/session-storage.server.ts); an unreadable token is as good as none.
  const accessToken = session?.accessToken ? openSessionToken(session.accessToken, shop) : null;
  if (!accessToken) return { ok: false, error: { kind: "no_session" } };
  return { ok: true, data: createAdminGraphql(shop, accessToken) };
}
