import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRateLimiter, parseRateWindow, summarize } from "./token-bucket";

describe("token bucket", () => {
  it("allows a burst, then refills at the steady rate", () => {
    let now = 0;
    const limiter = createRateLimiter([{ limit: 3, perMs: 1_000 }], () => now);
    expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(limiter.take()).toEqual({ ok: false, waitMs: 334 });
    now = 334;
    expect(limiter.take()).toEqual({ ok: true });
    expect(limiter.take()).toMatchObject({ ok: false });
  });

  it("takes from every window or from none (Klaviyo's burst + steady)", () => {
    let now = 0;
    const limiter = createRateLimiter([parseRateWindow("2/s"), parseRateWindow("3/m")], () => now);
    expect(limiter.take(2)).toEqual({ ok: true });
    now = 1_000; // the burst window is full again; the steady one has refilled only 0.05 tokens
    expect(limiter.take()).toEqual({ ok: true });
    const refused = limiter.take();
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.waitMs).toBeGreaterThan(15_000);
    // The refusal took nothing from the burst window.
    expect(limiter.peek(1)).toBe(refused.ok ? 0 : refused.waitMs);
  });

  it("never lets more through in a window than the limit allows (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 100, max: 10_000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 }),
        (limit, perMs, gaps) => {
          let now = 0;
          const limiter = createRateLimiter([{ limit, perMs }], () => now);
          const granted: number[] = [];
          for (const gap of gaps) {
            now += gap;
            if (limiter.take().ok) granted.push(now);
          }
          // In any span of perMs, at most limit + (span refill) = 2 × limit requests pass.
          for (let i = 0; i < granted.length; i++) {
            const inWindow = granted.filter((t) => t >= granted[i] && t < granted[i] + perMs).length;
            expect(inWindow).toBeLessThanOrEqual(2 * limit);
          }
        },
      ),
    );
  });

  it("says when a request can never fit", () => {
    const limiter = createRateLimiter([{ limit: 5, perMs: 1_000 }], () => 0);
    expect(limiter.take(6)).toEqual({ ok: false, waitMs: Number.POSITIVE_INFINITY });
  });

  it("parses published limits and summarises them", () => {
    expect(parseRateWindow("350/s")).toEqual({ limit: 350, perMs: 1_000 });
    expect(parseRateWindow("3500/m")).toEqual({ limit: 3500, perMs: 60_000 });
    expect(() => parseRateWindow("fast")).toThrow(RangeError);
    expect(summarize([parseRateWindow("75/s"), parseRateWindow("750/m")])).toEqual({ perSecond: 12.5, burst: 75 });
  });
});
