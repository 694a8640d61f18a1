import { type EspDeps, type EspError, espError } from "./types";

// The one place HTTP adapters touch the network: timeouts, transport failures and the status codes every
// provider uses the same way. Provider files add what is specific to them (error codes in bodies).

export type ResolvedDeps = {
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
  baseUrl?: string;
};

export function resolveDeps(deps: EspDeps = {}, defaultTimeoutMs = 15_000): ResolvedDeps {
  return {
    fetch: deps.fetch ?? globalThis.fetch,
    now: deps.now ?? Date.now,
    timeoutMs: deps.timeoutMs ?? defaultTimeoutMs,
    baseUrl: deps.baseUrl?.replace(/\/+$/, ""),
  };
}

export type HttpReply = { status: number; headers: Headers; text: string; json: unknown };

export type HttpCall = { ok: true; reply: HttpReply } | { ok: false; error: EspError };

export type HttpRequest = {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body?: string;
};

export async function callHttp(deps: ResolvedDeps, request: HttpRequest): Promise<HttpCall> {
  let response: Response;
  try {
    response = await deps.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: "error",
    });
  } catch (error) {
    return { ok: false, error: transportError(error, deps.timeoutMs) };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { ok: false, error: transportError(error, deps.timeoutMs) };
  }
  return { ok: true, reply: { status: response.status, headers: response.headers, text, json: parseJson(text) } };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A timeout or connection failure. The message names the failure, never the URL or headers. */
export function transportError(error: unknown, timeoutMs: number): EspError {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return espError.network(`timed out after ${timeoutMs} ms`);
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  return espError.network(code ? `connection failed (${code})` : "connection failed");
}

/**
 * Retry-After as seconds or an HTTP date (RFC 9110), else the epoch-seconds reset header SendGrid and
 * others send. Undefined when neither is usable.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1_000;
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("x-ratelimit-reset");
  if (reset !== null && /^\d+$/.test(reset.trim())) {
    const value = Number(reset.trim());
    // An epoch in seconds is ~1.7e9; a small number is "seconds from now".
    return value > 1e9 ? Math.max(0, value * 1_000 - now) : value * 1_000;
  }
  return undefined;
}

/** When a provider throttles without saying for how long. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** The statuses every provider uses the same way; undefined for the ones the provider file must read. */
export function commonStatusError(reply: HttpReply, now: number): EspError | undefined {
  const { status } = reply;
  if (status === 429) return espError.rateLimited(retryAfterMs(reply.headers, now) ?? DEFAULT_RETRY_AFTER_MS);
  if (status === 401 || status === 403) return espError.authFailed(`HTTP ${status}`);
  if (status === 408) return espError.network("provider timed out (HTTP 408)");
  if (status >= 500) return espError.providerDown(status);
  return undefined;
}

/** A reply body is described, not quoted: provider bodies may hold addresses or our own content. */
export function unexpectedReply(reply: HttpReply): EspError {
  if (reply.status >= 200 && reply.status < 300) return espError.providerDown(reply.status);
  return espError.rejected(`unexpected HTTP ${reply.status}`);
}
