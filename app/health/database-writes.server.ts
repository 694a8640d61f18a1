import { describeDatabaseError } from "./database-errors";

// What this process last saw when it wrote to the database: a small in-process probe fed by the
// busiest writers (the webhook acknowledgement and the job runner's claims). A read such as
// `SELECT 1` still succeeds while writes fail (SQLite locked by another connection, or its disk
// full), so /healthz and the admin's System health ask this too.

export interface WriteFailure {
  at: Date;
  message: string;
}

interface State {
  lastSuccessAt: number;
  lastFailure: { at: number; message: string } | undefined;
  failuresSinceSuccess: number;
}

declare global {
  var __databaseWrites: State | undefined;
}

function state(): State {
  globalThis.__databaseWrites ??= { lastSuccessAt: 0, lastFailure: undefined, failuresSinceSuccess: 0 };
  return globalThis.__databaseWrites;
}

export function noteWriteSucceeded(now = Date.now()): void {
  const current = state();
  current.lastSuccessAt = now;
  current.failuresSinceSuccess = 0;
}

export function noteWriteFailed(error: unknown, now = Date.now()): void {
  const current = state();
  current.lastFailure = { at: now, message: describeDatabaseError(error) };
  current.failuresSinceSuccess++;
}

/** The failure writes are in now: the last write failed, within `withinMs`; otherwise null. */
export function failingWrites(now = Date.now(), withinMs = 60_000): (WriteFailure & { count: number }) | null {
  const { lastFailure, lastSuccessAt, failuresSinceSuccess } = state();
  if (!lastFailure || lastFailure.at < lastSuccessAt || now - lastFailure.at > withinMs) return null;
  return { at: new Date(lastFailure.at), message: lastFailure.message, count: failuresSinceSuccess };
}

/** The last write failure of this process, whether or not writes work again (for the admin). */
export function lastWriteFailure(): WriteFailure | null {
  const { lastFailure } = state();
  return lastFailure ? { at: new Date(lastFailure.at), message: lastFailure.message } : null;
}
