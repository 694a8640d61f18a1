import { localHour } from "./checks";

// Send-time choice: the hour of day at which a recipient acts on email, learned from when they
// clicked and ordered (opens are ignored: Apple Mail Privacy Protection opens everything on delivery),
// falling back to the shop's best hour, then to late morning.

const HOUR = 3_600_000;
export const DEFAULT_SEND_HOUR = 10;
const MIN_SIGNALS = 3;

/** The most frequent local hour among the moments, or null with too few of them. */
export function bestHour(moments: readonly Date[], timeZone: string, minSignals = MIN_SIGNALS): number | null {
  if (moments.length < minSignals) return null;
  const counts = new Array<number>(24).fill(0);
  for (const moment of moments) counts[localHour(moment, timeZone)]++;
  const top = Math.max(...counts);
  return counts.indexOf(top);
}

/** The first time at `hour` (local) not before `from` — within the next 24 hours. */
export function atLocalHour(from: Date, hour: number, timeZone: string): Date {
  const start = new Date(Math.ceil(from.getTime() / HOUR) * HOUR);
  for (let i = 0; i < 24; i++) {
    const candidate = new Date(start.getTime() + i * HOUR);
    if (localHour(candidate, timeZone) === hour) return candidate;
  }
  return from;
}
