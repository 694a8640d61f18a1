// The per-shop limit in scale mode (ADR 005, 021). BullMQ's open-source edition has no per-group
// concurrency, so each shop lane keeps three Redis keys of its own:
//   slots   sorted set: job id -> lease expiry (a crashed worker cannot hold a slot for ever);
//   line    sorted set: job id -> when it was parked (the jobs waiting their turn, oldest first);
//   waiter  the one job that waits, polling, to take the next slot the moment it is free.
// A job that finds the lane full and it not its turn is parked: it gets in line and is moved to
// BullMQ's delayed set for PARK_MS; whoever frees the waiter's role wakes the first in line early.
// Putting every such job back after a short delay instead churned a burst's whole backlog through
// Redis: two workers spent most of their CPU re-delaying jobs they could not run (ADR 021).

/** How long a parked job waits if nobody wakes it (a lost wake-up costs at most this). */
export const PARK_MS = 60_000;
/** How often the waiter looks for a free slot, and how long it waits before it parks too. */
const WAITER_POLL_MS = 3;
const WAITER_MAX_WAIT_MS = 5_000;
/** The waiter refreshes its key on every poll, so a dead waiter blocks the role this long at most. */
const WAITER_TTL_MS = 2_000;
/** Line entries older than this are dropped (a job that waited longer gets back in at the end). */
const LINE_TTL_MS = 10 * 60_000;

// KEYS: slots, line, waiter. ARGV: now, lease expiry, job id, limit, slots ttl, waiter ttl, line ttl.
// 1: the slot is held; 2: this job is the waiter; 0: parked in line.
const TAKE_TURN = `
local now = tonumber(ARGV[1])
local member = ARGV[3]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[7]))
if redis.call('ZSCORE', KEYS[1], member) then
  redis.call('ZADD', KEYS[1], ARGV[2], member)
  return 1
end
local waiter = redis.call('GET', KEYS[3])
local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
local turn = (waiter == member) or (not waiter and (not head or head == member))
if turn and redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], member)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  if waiter == member then redis.call('DEL', KEYS[3]) end
  redis.call('ZREM', KEYS[2], member)
  return 1
end
if turn then
  redis.call('SET', KEYS[3], member, 'PX', ARGV[6])
  redis.call('ZREM', KEYS[2], member)
  return 2
end
redis.call('ZADD', KEYS[2], 'NX', now, member)
redis.call('PEXPIRE', KEYS[2], ARGV[7])
return 0
`;

// A waiter that gave up goes back to the front of the line. KEYS: line, waiter. ARGV: now, job id, line ttl.
const STOP_WAITING = `
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local score = first[2] and (tonumber(first[2]) - 1) or tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], score, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0
`;

// The running job keeps its lease (taking a slot again if its lease ran out and one is free).
// KEYS: slots. ARGV: now, lease expiry, job id, limit, slots ttl.
const KEEP_SLOT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0
`;

// The first in line, when nobody holds the waiter's role (else the waiter will wake it). KEYS: line, waiter.
const NEXT_IN_LINE = `
if redis.call('GET', KEYS[2]) then return false end
return redis.call('ZRANGE', KEYS[1], 0, 0)[1] or false
`;

/** The commands the lanes need from BullMQ's ioredis connection. */
export interface LaneClient {
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  zrem(key: string, member: string): Promise<unknown>;
}

/** What wake-up needs to know of a parked job: where it is, and a way to bring it forward. */
export type ParkedJobLookup = (jobId: string) => Promise<{ state: string; promote(): Promise<void> } | undefined>;

export interface ShopLaneOptions {
  prefix: string;
  shop: string | null;
  lane: string | undefined;
  limit: number;
  leaseMs: number;
}

/** The Redis keys of a shop lane (also read by bench:scale and the Redis tests). */
export function shopLaneKeys(prefix: string, shop: string | null, lane: string | undefined) {
  const slots = `${prefix}:shop-slots:${shop ?? "-"}|${lane ?? ""}`;
  return { slots, line: `${slots}:line`, waiter: `${slots}:waiter` };
}

export class ShopLane {
  private readonly slots: string;
  private readonly line: string;
  private readonly waiter: string;

  constructor(
    private readonly client: LaneClient,
    private readonly options: ShopLaneOptions,
  ) {
    ({ slots: this.slots, line: this.line, waiter: this.waiter } = shopLaneKeys(options.prefix, options.shop, options.lane));
  }

  /** Takes a slot (true), waiting for it as the lane's waiter if it is this job's turn; false: parked in line. */
  async take(jobId: string): Promise<boolean> {
    let answer = await this.takeTurn(jobId);
    const deadline = Date.now() + Math.min(this.options.leaseMs / 2, WAITER_MAX_WAIT_MS);
    while (answer === 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, WAITER_POLL_MS));
      answer = await this.takeTurn(jobId);
    }
    if (answer === 2) await this.client.eval(STOP_WAITING, 2, this.line, this.waiter, Date.now(), jobId, LINE_TTL_MS);
    return answer === 1;
  }

  /** Extends the running job's lease. */
  async keep(jobId: string): Promise<void> {
    const { limit, leaseMs } = this.options;
    await this.client.eval(KEEP_SLOT, 1, this.slots, Date.now(), Date.now() + leaseMs, jobId, limit, leaseMs * 2);
  }

  async release(jobId: string): Promise<void> {
    await this.client.zrem(this.slots, jobId);
  }

  /**
   * Brings the first parked job forward when nobody waits for the next slot. Jobs that are gone leave
   * the line here; one already on its way (waiting or running) needs nothing.
   */
  async wakeNext(lookup: ParkedJobLookup): Promise<void> {
    for (let tries = 0; tries < 3; tries++) {
      const head = (await this.client.eval(NEXT_IN_LINE, 2, this.line, this.waiter)) as string | null;
      if (!head) return;
      const parked = await lookup(head);
      if (!parked || parked.state === "completed" || parked.state === "failed" || parked.state === "unknown") {
        await this.client.zrem(this.line, head);
        continue;
      }
      if (parked.state === "delayed") await parked.promote().catch(() => undefined);
      return;
    }
  }

  private takeTurn(jobId: string): Promise<number> {
    const { limit, leaseMs } = this.options;
    const now = Date.now();
    return this.client.eval(
      TAKE_TURN,
      3,
      this.slots,
      this.line,
      this.waiter,
      now,
      now + leaseMs,
      jobId,
      limit,
      leaseMs * 2,
      Math.min(WAITER_TTL_MS, leaseMs),
      LINE_TTL_MS,
    ) as Promise<number>;
  }
}
