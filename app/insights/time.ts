// Instants are epoch milliseconds (UTC) everywhere inside insights: cheap to compare, to subtract and to
// serialise. Text enters only at the edges (CLIs, zod schemas) through parseInstant.

export const MS_PER_DAY = 86_400_000;

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses "2011-12-09", "2011-12-09T12:50:00Z", "2011-12-09 12:50:00" or with an offset (+01:00).
 * Text without an offset is read as UTC (Date.parse would read it in the machine's zone, which makes
 * results depend on where the code runs). Returns null for anything else, including impossible dates
 * such as 2011-02-30 that Date.parse silently rolls over.
 */
export function parseInstant(text: string): number | null {
  const match = INSTANT.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "0", zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, Math.round(Number(`0.${fraction}`) * 1000));
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  return local - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** Whole UTC days since the epoch; purchases on the same UTC day count as one transaction. */
export function utcDayNumber(at: number): number {
  return Math.floor(at / MS_PER_DAY);
}

export function daysBetween(from: number, to: number): number {
  return (to - from) / MS_PER_DAY;
}

export function formatDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
