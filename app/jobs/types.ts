import type { z } from "zod";
import type { Db } from "~/db.server";

export interface JobRequest {
  name: string;
  shop: string | null;
  payload: unknown;
  /** Idempotency: a second enqueue with the same key is ignored while the first is known. */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
  /**
   * With a key: if the known job has already finished (failed or succeeded), run it again. The
   * sweep of stuck webhook deliveries uses it, for a delivery whose job ended without settling it.
   */
  restartFinished?: boolean;
  /**
   * The payload holds personal data that may be kept only while the job is pending (a provider
   * deletion request carries the address): BullMQ removes the job when it finishes (the database
   * runner wipes it by its definition's `sensitive`).
   */
  sensitive?: boolean;
}

/** Expected outcomes are values. A thrown error is unexpected and retried like `retry`. */
export type JobOutcome =
  | { status: "done" }
  | { status: "retry"; reason: string; delayMs?: number; countsAsAttempt?: boolean }
  | { status: "fail"; reason: string };

export const done: JobOutcome = { status: "done" };
export const retry = (reason: string, delayMs?: number): JobOutcome => ({ status: "retry", reason, delayMs });

/** How long a job waits when the database could not be used (the attempt is not spent). */
export const UNAVAILABLE_RETRY_MS = 5_000;
export const fail = (reason: string): JobOutcome => ({ status: "fail", reason });

export interface JobQueue {
  readonly kind: "database" | "bullmq";
  enqueue(job: JobRequest): Promise<{ enqueued: boolean }>;
  /** Tells a local runner that job rows were written directly (the webhook fast path). */
  notify?(): void;
  close(): Promise<void>;
}

export interface JobContext {
  db: Db;
  queue: JobQueue;
  shop: string | null;
  attempt: number;
  maxAttempts: number;
  /** Long jobs call this now and then so their lease is not taken over. */
  heartbeat(): Promise<void>;
}

export interface JobDefinition<P = unknown> {
  name: string;
  payload: z.ZodType<P>;
  maxAttempts?: number;
  /**
   * The per-shop limit counts jobs per lane: a job in its own lane runs beside the shop's other work.
   * Sending is one ("delivery"): a campaign must not wait behind a flash sale's webhook backlog, and
   * it only reads what webhooks write. Unset: the shop's main lane. (Both runners.)
   */
  lane?: string;
  /** The payload holds personal data: the database runner wipes it when the job finishes (enqueue such jobs with `sensitive` too, for BullMQ). */
  sensitive?: boolean;
  perform(payload: P, context: JobContext): Promise<JobOutcome>;
  /** Runs once when the job fails for good (terminal failure or attempts exhausted). */
  onGiveUp?(payload: P, context: JobContext, reason: string): Promise<void>;
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}
