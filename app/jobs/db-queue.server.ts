import { randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import { isDatabaseUnavailable } from "~/health/database-errors";
import { noteWriteFailed, noteWriteSucceeded } from "~/health/database-writes.server";
import { errorMessage, log } from "~/lib/logger.server";
import { retryDelayMs } from "./backoff";
import { type DueJob, type LaneExclusion, claimJob, dueJobs, insertJob, settleJob } from "./job-statements.server";
import { UNAVAILABLE_RETRY_MS, type JobDefinition, type JobOutcome, type JobQueue, type JobRequest } from "./types";

// The default queue: jobs are rows in the Job table, worked by a runner inside the web process.
// Rows survive restarts; a job that was running when the process died is taken up again (its lease
// expires, or at once on SQLite where only one process works the queue).

export class DbJobQueue implements JobQueue {
  readonly kind = "database" as const;
  private listeners = new Set<() => void>();

  constructor(private readonly db: Db) {}

  async enqueue(job: JobRequest): Promise<{ enqueued: boolean }> {
    if (!(await insertJob(this.db, job))) {
      if (!job.restartFinished || !job.key) return { enqueued: false };
      const { count } = await this.db.job.updateMany({
        where: { key: job.key, status: { in: ["failed", "succeeded"] } },
        data: { status: "queued", attempts: 0, runAt: job.runAt ?? new Date(), lockedAt: null, lockedBy: null, finishedAt: null },
      });
      if (count === 0) return { enqueued: false };
    }
    this.notify();
    return { enqueued: true };
  }

  notify(): void {
    for (const wake of this.listeners) wake();
  }

  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

export interface RunnerOptions {
  concurrency: number;
  perShopConcurrency: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  /** SQLite: one process works the queue, so every `running` row at start is an orphan. */
  reclaimAllOnStart?: boolean;
  /** Housekeeping run every minute (e.g. re-enqueue stuck webhook deliveries). */
  maintenance?: () => Promise<void>;
  /**
   * True while the web side of this process is under load. At most BUSY_CONCURRENCY jobs then run, so
   * acknowledgements keep most of the CPU during a burst.
   */
  webIsBusy?: () => boolean;
}

const MAX_CLAIM_BACKOFF_MS = 30_000;
// While the web side is busy, fewer jobs run at once. (A fixed pause between jobs used to stand here: under
// a sustained stream of webhooks the web side is always busy, and processing fell to ~20/s while
// 80/s arrived, bench:flash-sale. Acknowledgements now get their turn between any two queries, see
// db.server.ts, so the runner only narrows.)
const BUSY_CONCURRENCY = 2;
/** How often, at most, the runner looks past a head of the queue that only full shop lanes hold. */
const FAIR_SEARCH_EVERY_MS = 100;

export class DbJobRunner {
  private readonly workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Promise<void>>();
  private readonly runningPerShop = new Map<string, number>();
  private stopped = true;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastMaintenance = 0;
  private lastLeaseCheck = 0;
  private reclaimAllPending = false;
  private lastFairSearch = 0;

  constructor(
    private readonly db: Db,
    private readonly queue: DbJobQueue,
    private readonly definitions: Map<string, JobDefinition<unknown>>,
    private readonly options: RunnerOptions,
  ) {}

  private get leaseMs(): number {
    return this.options.leaseMs ?? 30_000;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    try {
      await this.reclaimOrphans(this.options.reclaimAllOnStart ?? false);
    } catch (error) {
      // The database is locked, full or down at boot: start anyway (the web side answers 503s) and
      // take the orphans back on the first turn of the loop that reaches it.
      this.reclaimAllPending = this.options.reclaimAllOnStart ?? false;
      noteWriteFailed(error);
      log.error("job runner: database unavailable at start", { error: errorMessage(error) });
    }
    this.unsubscribe = this.queue.onEnqueue(() => this.wakeUp?.());
    this.loopDone = this.loop();
  }

  /** Stops claiming, then waits for the jobs in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wakeUp?.();
    await this.loopDone;
    await Promise.allSettled(this.running.values());
  }

  /** Works the queue until nothing is due (tests and scripts). */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await this.claimAndStart();
      if (claimed === 0 && this.running.size === 0) return;
      if (this.running.size > 0) await Promise.race(this.running.values());
    }
  }

  private async loop(): Promise<void> {
    const pollMs = Math.min(this.options.pollIntervalMs ?? 1_000, this.leaseMs / 3);
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.reclaimAllPending) {
          await this.reclaimOrphans(true);
          this.reclaimAllPending = false;
        }
        await this.maybeMaintain();
        const claimed = await this.claimAndStart();
        if (failures > 0) log.info("job runner: database reachable again", { afterFailures: failures });
        failures = 0;
        if (claimed > 0 && this.running.size < this.options.concurrency) continue;
      } catch (error) {
        // Database locked, full or down: back off (each try can hold the process for the busy
        // timeout on SQLite), log the first failure as an error and the rest as warnings.
        failures++;
        noteWriteFailed(error);
        (failures === 1 ? log.error : log.warn)("job runner: claim failed", { error: errorMessage(error), failures });
      }
      const waitMs = failures > 0 ? Math.min(MAX_CLAIM_BACKOFF_MS, pollMs * 2 ** failures) : pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
        // A finishing job frees a slot: look again at once.
        if (this.running.size > 0) void Promise.race(this.running.values()).then(this.wakeUp);
      });
      this.wakeUp = undefined;
    }
  }

  private async maybeMaintain(): Promise<void> {
    // Leases: renew ours, take over the expired ones of dead processes.
    if (Date.now() - this.lastLeaseCheck >= this.leaseMs / 3) {
      this.lastLeaseCheck = Date.now();
      if (this.running.size > 0) {
        await this.db.job.updateMany({
          where: { id: { in: [...this.running.keys()] }, lockedBy: this.workerId },
          data: { lockedAt: new Date() },
        });
      }
      await this.reclaimOrphans(false);
    }
    if (Date.now() - this.lastMaintenance < 60_000) return;
    this.lastMaintenance = Date.now();
    await this.options.maintenance?.();
    await this.db.job.deleteMany({
      where: { status: "succeeded", finishedAt: { lt: new Date(Date.now() - 7 * 24 * 3600_000) } },
    });
  }

  private async reclaimOrphans(all: boolean): Promise<void> {
    const { count } = await this.db.job.updateMany({
      where: {
        status: "running",
        ...(all ? {} : { lockedAt: { lt: new Date(Date.now() - this.leaseMs) } }),
      },
      data: { status: "queued", lockedAt: null, lockedBy: null },
    });
    noteWriteSucceeded(); // an UPDATE takes the write lock even when it matches nothing
    if (count) log.warn("job runner: resumed interrupted jobs", { count });
  }

  private async claimAndStart(): Promise<number> {
    const busy = this.options.webIsBusy?.() ?? false;
    const limit = busy ? Math.min(BUSY_CONCURRENCY, this.options.concurrency) : this.options.concurrency;
    const free = limit - this.running.size;
    if (free <= 0) return 0;
    const page = free * 4;
    const startable = (job: DueJob) => (this.runningPerShop.get(this.laneKey(job)) ?? 0) < this.options.perShopConcurrency;
    // The head of the queue first: one index range, however long the backlog.
    let candidates = await dueJobs(this.db, [], page);
    if (candidates.length === page && candidates.filter(startable).length < free && Date.now() - this.lastFairSearch >= FAIR_SEARCH_EVERY_MS) {
      // One shop's burst fills the head (a flash sale): the other shops' jobs behind it are found by a
      // search that leaves the full shop lanes out. That search reads past the whole backlog (1.3 ms
      // at 13,000 queued jobs on SQLite) and the runner looks on every enqueue and every finished job,
      // over 100 times a second in a flash sale, so it runs at most every FAIR_SEARCH_EVERY_MS.
      this.lastFairSearch = Date.now();
      const saturated = [...this.runningPerShop].filter(([key, running]) => !key.startsWith("|") && running >= this.options.perShopConcurrency);
      if (saturated.length) candidates = await dueJobs(this.db, saturated.map(([key]) => this.laneExclusion(key)), page);
    }
    let started = 0;
    for (const candidate of candidates) {
      if (started >= free) break;
      if (!startable(candidate)) continue;
      const shopKey = this.laneKey(candidate);
      if (!(await claimJob(this.db, candidate.id, this.workerId))) continue; // another runner took it
      started++;
      this.runningPerShop.set(shopKey, (this.runningPerShop.get(shopKey) ?? 0) + 1);
      const run = this.execute({ ...candidate, attempts: candidate.attempts + 1 })
        // The outcome could not be written (database locked, full or down): the row keeps its lease,
        // which expires, and the job runs again. A rejection here would crash the process.
        .catch((error: unknown) => {
          noteWriteFailed(error);
          log.error("job runner: could not record a job's outcome", { job: candidate.name, id: candidate.id, error: errorMessage(error) });
        })
        .finally(() => {
          this.running.delete(candidate.id);
          this.runningPerShop.set(shopKey, (this.runningPerShop.get(shopKey) ?? 1) - 1);
        });
      this.running.set(candidate.id, run);
    }
    return started;
  }

  /** "<shop>|<lane>": the per-shop limit counts per lane (JobDefinition.lane). Shop-less jobs start with "|". */
  private laneKey(job: Pick<DueJob, "shop" | "name">): string {
    return `${job.shop ?? ""}|${this.definitions.get(job.name)?.lane ?? ""}`;
  }

  /** The jobs of one shop lane, to leave out of the search for due jobs. */
  private laneExclusion(key: string): LaneExclusion {
    const separator = key.lastIndexOf("|");
    const [shop, lane] = [key.slice(0, separator), key.slice(separator + 1)];
    const names = [...this.definitions.keys()].filter((name) => (this.definitions.get(name)?.lane ?? "") === lane);
    // The main lane also holds unknown names (they fail at once), so it is "not in another lane".
    return lane ? { shop, names, except: false } : { shop, names: [...this.definitions.keys()].filter((name) => !names.includes(name)), except: true };
  }

  private async execute(job: DueJob): Promise<void> {
    const definition = this.definitions.get(job.name);
    const maxAttempts = job.maxAttempts;
    if (!definition) {
      await this.finish(job, { status: "fail", reason: `no job named ${job.name}` });
      return;
    }
    const context = {
      db: this.db,
      queue: this.queue,
      shop: job.shop,
      attempt: job.attempts,
      maxAttempts,
      heartbeat: async () => {
        await this.db.job.updateMany({
          where: { id: job.id, lockedBy: this.workerId },
          data: { lockedAt: new Date() },
        });
      },
    };
    let outcome: JobOutcome;
    let payload: unknown;
    try {
      const parsed = definition.payload.safeParse(JSON.parse(job.payload));
      if (!parsed.success) {
        outcome = { status: "fail", reason: `invalid payload: ${parsed.error.issues[0]?.message}` };
      } else {
        payload = parsed.data;
        outcome = await definition.perform(payload, context);
      }
    } catch (error) {
      // The database failing under the job is not the job's fault: retry without spending an attempt
      // (a long outage would otherwise use them all up and give up on good work).
      outcome = isDatabaseUnavailable(error)
        ? { status: "retry", reason: errorMessage(error), delayMs: UNAVAILABLE_RETRY_MS, countsAsAttempt: false }
        : { status: "retry", reason: errorMessage(error) };
    }
    const gaveUp = await this.finish(job, outcome);
    if (gaveUp && definition.onGiveUp && payload !== undefined) {
      try {
        await definition.onGiveUp(payload, context, gaveUp);
      } catch (error) {
        log.error("job runner: onGiveUp failed", { job: job.name, id: job.id, error: errorMessage(error) });
      }
    }
  }

  /** Records the outcome; returns the reason when the job has failed for good. */
  private async finish(job: DueJob, outcome: JobOutcome): Promise<string | undefined> {
    // A sensitive payload (JobDefinition.sensitive) is kept only while the job may still run.
    const wipePayload = this.definitions.get(job.name)?.sensitive ?? false;
    if (outcome.status === "done") {
      await settleJob(this.db, job.id, this.workerId, { status: "succeeded", lastError: null, wipePayload });
      return undefined;
    }
    const free = outcome.status === "retry" && outcome.countsAsAttempt === false;
    if (outcome.status === "retry" && (free || job.attempts < job.maxAttempts)) {
      const delay = outcome.delayMs ?? retryDelayMs(job.attempts);
      await settleJob(this.db, job.id, this.workerId, { status: "queued", runAt: new Date(Date.now() + delay), lastError: outcome.reason, refundAttempt: free });
      log.warn("job will retry", { job: job.name, id: job.id, attempt: job.attempts, delayMs: delay, reason: outcome.reason });
      return undefined;
    }
    await settleJob(this.db, job.id, this.workerId, { status: "failed", lastError: outcome.reason, wipePayload });
    log.warn("job failed", { job: job.name, id: job.id, attempts: job.attempts, reason: outcome.reason });
    return outcome.reason;
  }
}
