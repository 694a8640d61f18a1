import { type EspError } from "./types";

// When to try a failed send again. Pure: the caller (the delivery job) supplies the attempt number and,
// for tests, the random source. Permanent failures give up at once; a provider's Retry-After wins over
// our own backoff; everything else backs off exponentially with full jitter so a fleet of workers that
// failed together does not retry together.

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

export type RetryOptions = {
  /** Attempts in total, the first one included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** In [0, 1); Math.random by default. */
  random?: () => number;
};

const DEFAULTS = { maxAttempts: 6, baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 };

/** `attempt` is the number of the attempt that just failed, starting at 1. */
export function retryDecision(error: EspError, attempt: number, options: RetryOptions = {}): RetryDecision {
  const { maxAttempts, baseDelayMs, maxDelayMs } = { ...DEFAULTS, ...options };
  const random = options.random ?? Math.random;

  if (!error.retryable) return { retry: false, reason: `${error.type} is permanent` };
  if (attempt >= maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };

  if (error.type === "rate_limited") {
    // The provider said when; a small jitter on top keeps a burst of workers from lining up again.
    const jitter = Math.floor(random() * Math.min(1_000, baseDelayMs));
    return { retry: true, delayMs: Math.min(maxDelayMs, error.retryAfterMs + jitter) };
  }

  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  // Full jitter, but never less than a quarter of the ceiling: an instant retry of an outage is noise.
  const delayMs = Math.floor(ceiling / 4 + random() * ((ceiling * 3) / 4));
  return { retry: true, delayMs };
}
