// In-process token buckets keyed by visitor or shop. Pure arithmetic over an injected clock.
// Each web process has its own buckets, so with N processes behind a load balancer the effective
// limit is up to N times the configured one (ADR 007); the limits protect the database from floods,
// they are not a quota.

export interface BucketLimit {
  /** Tokens a full bucket holds: the burst. */
  capacity: number;
  /** Tokens added per second: the sustained rate. */
  refillPerSecond: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: BucketLimit,
    private readonly options: { maxKeys?: number; now?: () => number } = {},
  ) {
    if (!(limit.capacity > 0) || !(limit.refillPerSecond > 0)) throw new Error("a bucket needs a positive capacity and rate");
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes `cost` tokens from `key`'s bucket, or none when there are not enough. */
  take(key: string, cost = 1): TakeResult {
    const now = (this.options.now ?? Date.now)();
    const { capacity, refillPerSecond } = this.limit;
    const previous = this.buckets.get(key);
    const tokens = previous
      ? Math.min(capacity, previous.tokens + (Math.max(0, now - previous.updatedAt) * refillPerSecond) / 1000)
      : capacity;
    if (cost > capacity) return { ok: false, retryAfterMs: Number.POSITIVE_INFINITY };
    if (tokens < cost) {
      this.store(key, { tokens, updatedAt: now });
      return { ok: false, retryAfterMs: Math.ceil(((cost - tokens) * 1000) / refillPerSecond) };
    }
    this.store(key, { tokens: tokens - cost, updatedAt: now });
    return { ok: true };
  }

  // Most recently used last (Map keeps insertion order). Past maxKeys the least recently used keys
  // are forgotten: an evicted visitor starts again with a full bucket, which only forgives.
  private store(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    const maxKeys = this.options.maxKeys ?? 100_000;
    while (this.buckets.size > maxKeys) {
      const oldest = this.buckets.keys().next().value as string;
      this.buckets.delete(oldest);
    }
  }
}
