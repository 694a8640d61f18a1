import { describe, expect, it } from "vitest";
import { KeyedTokenBuckets } from "./rate-limit";

describe("KeyedTokenBuckets", () => {
  it("allows the burst, refuses past it with the wait, and refills over time", () => {
    let now = 0;
    const buckets = new KeyedTokenBuckets({ capacity: 10, refillPerSecond: 2 }, { now: () => now });
    expect(buckets.take("a", 6)).toEqual({ ok: true });
    expect(buckets.take("a", 4)).toEqual({ ok: true });
    expect(buckets.take("a", 1)).toEqual({ ok: false, retryAfterMs: 500 });
    now = 1_000;
    expect(buckets.take("a", 2)).toEqual({ ok: true });
    expect(buckets.take("a", 1)).toMatchObject({ ok: false });
    now = 100_000;
    expect(buckets.take("a", 10)).toEqual({ ok: true });
  });

  it("keeps keys apart", () => {
    const buckets = new KeyedTokenBuckets({ capacity: 1, refillPerSecond: 1 }, { now: () => 0 });
    expect(buckets.take("shop-a|v1").ok).toBe(true);
    expect(buckets.take("shop-a|v1").ok).toBe(false);
    expect(buckets.take("shop-b|v1").ok).toBe(true);
  });

  it("refuses a cost above the capacity outright", () => {
    const buckets = new KeyedTokenBuckets({ capacity: 5, refillPerSecond: 1 }, { now: () => 0 });
    expect(buckets.take("a", 6)).toEqual({ ok: false, retryAfterMs: Number.POSITIVE_INFINITY });
    expect(buckets.take("a", 5)).toEqual({ ok: true });
  });

  it("forgets the least recently used keys past maxKeys", () => {
    const buckets = new KeyedTokenBuckets({ capacity: 1, refillPerSecond: 0.001 }, { now: () => 0, maxKeys: 2 });
    buckets.take("a");
    buckets.take("b");
    buckets.take("a"); // refused, but touches a
    buckets.take("c"); // evicts b
    expect(buckets.size).toBe(2);
    expect(buckets.take("a").ok).toBe(false);
    expect(buckets.take("b").ok).toBe(true);
  });
});
