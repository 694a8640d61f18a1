// Exponential time decay without rewriting stored scores. Every score in one container (a customer's
// affinity state, a shop's recommender index) is stored as its value at a shared reference instant:
//   stored = Σ weight_i · 2^((at_i − referenceAt) / halfLife)
//   value(now) = stored · 2^(−(now − referenceAt) / halfLife)
// Adding an event is O(1) whatever its time (late events included) and reading decays lazily. The
// container rebases its reference (one pass over its scores) only when the exponent would grow large
// enough to cost precision, i.e. every ~REBASE_AFTER_HALF_LIVES half-lives.

import { MS_PER_DAY } from "./time";

export const REBASE_AFTER_HALF_LIVES = 60;

/** Multiplier that turns a weight observed at `at` into the scale of `referenceAt`. */
export function growthFactor(at: number, referenceAt: number, halfLifeDays: number): number {
  if (!(halfLifeDays > 0) || !Number.isFinite(halfLifeDays)) return 1; // no decay configured
  return Math.pow(2, (at - referenceAt) / (halfLifeDays * MS_PER_DAY));
}

/** Value at `now` of a score stored at `referenceAt`. */
export function decayedValue(stored: number, referenceAt: number, now: number, halfLifeDays: number): number {
  return stored / growthFactor(now, referenceAt, halfLifeDays);
}

/** True when an event at `at` is far enough from the reference that the container should rebase first. */
export function needsRebase(at: number, referenceAt: number, halfLifeDays: number): boolean {
  if (!(halfLifeDays > 0) || !Number.isFinite(halfLifeDays)) return false;
  return Math.abs(at - referenceAt) / (halfLifeDays * MS_PER_DAY) > REBASE_AFTER_HALF_LIVES;
}
