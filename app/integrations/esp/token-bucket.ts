// Token buckets to stay under a provider's published limits before the provider has to say 429.
// Pure arithmetic over an injected clock: no timers, no sleeping; a caller that gets `waitMs` decides
// whether to wait, requeue or report rate_limited.

export type Clock = () => number;

/** A limit as providers publish it: `limit` requests per `perMs` window (e.g. Klaviyo "750/m"). */
export type RateWindow = { limit: number; perMs: number };

export type TakeResult = { ok: true } | { ok: false; waitMs: number };

export type TokenBucketState = { tokens: number; updatedAt: number };

/** Refills continuously at capacity/perMs, never above capacity. */
export function refill(state: TokenBucketState, window: RateWindow, now: number): TokenBucketState {
  const elapsed = Math.max(0, now - state.updatedAt);
  const tokens = Math.min(window.limit, state.tokens + (elapsed * window.limit) / window.perMs);
  return { tokens, updatedAt: Math.max(now, state.updatedAt) };
}

/** How long until `count` tokens are available (0 when they are now). */
export function waitFor(state: TokenBucketState, window: RateWindow, count: number): number {
  if (count > window.limit) return Number.POSITIVE_INFINITY;
  const missing = count - state.tokens;
  return missing <= 0 ? 0 : Math.ceil((missing * window.perMs) / window.limit);
}

export interface RateLimiter {
  /** Takes `count` tokens from every window, or none of them. */
  take(count?: number): TakeResult;
  /** Milliseconds until `count` tokens could be taken, without taking them. */
  peek(count?: number): number;
}

/**
 * Several windows at once (Klaviyo publishes a burst and a steady limit per endpoint); a request must
 * fit in all of them, so a refusal reports the longest wait.
 */
export function createRateLimiter(windows: readonly RateWindow[], now: Clock = Date.now): RateLimiter {
  for (const window of windows) {
    if (!(window.limit > 0) || !(window.perMs > 0)) throw new RangeError("rate windows need a positive limit and period");
  }
  const start = now();
  let states: TokenBucketState[] = windows.map((window) => ({ tokens: window.limit, updatedAt: start }));

  function refreshed(): TokenBucketState[] {
    const at = now();
    states = states.map((state, index) => refill(state, windows[index], at));
    return states;
  }

  function peek(count = 1): number {
    return Math.max(0, ...refreshed().map((state, index) => waitFor(state, windows[index], count)));
  }

  return {
    peek,
    take(count = 1) {
      const waitMs = peek(count);
      if (waitMs > 0) return { ok: false, waitMs };
      states = states.map((state) => ({ ...state, tokens: state.tokens - count }));
      return { ok: true };
    },
  };
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses Klaviyo's "350/s" / "3500/m" notation (x-klaviyo-ratelimit in its OpenAPI document). */
export function parseRateWindow(text: string): RateWindow {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*([smhd])\s*$/.exec(text);
  if (!match) throw new RangeError(`Not a rate like "10/s": ${text}`);
  return { limit: Number(match[1]), perMs: UNIT_MS[match[2]] };
}

/** The `{ perSecond, burst }` summary adapters expose, from burst and steady windows. */
export function summarize(windows: readonly RateWindow[]): { perSecond: number; burst: number } {
  const perSecond = Math.min(...windows.map((window) => (window.limit * 1_000) / window.perMs));
  const burst = Math.min(...windows.map((window) => window.limit));
  return { perSecond: Math.round(perSecond * 1000) / 1000, burst };
}
