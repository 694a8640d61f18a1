// The checks before every marketing email, made again at send time because everything can change
// between scheduling and sending. Pure: the dispatcher loads the facts and acts on the decision.

export interface SendFacts {
  now: Date;
  /** The shop stopped sending (uninstalled, paused by the merchant). */
  sendingPaused: boolean;
  consent: "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING" | "REDACTED" | "INVALID" | null;
  /** Cart recovery may rely on the checkout's "accepts marketing" when there is no customer record. */
  checkoutConsent: boolean;
  /** They asked for this very email (a back-in-stock request that still exists). */
  requestedIt?: boolean;
  suppressed: boolean;
  /** Marketing emails already sent to this address within the cap window. */
  sentInCapWindow: number;
  frequencyCap: number;
  /** When the recipient's budget next frees a slot (the oldest send in the cap window ages out). */
  capFreesAt?: Date | null;
  /** The recipient ordered after the sequence started (recovery and win-back stop). */
  orderedSinceStart: boolean;
  exitOnOrder: boolean;
  /** Products the email shows that are no longer sellable; all of them gone means nothing to show. */
  productsTotal: number;
  productsUnavailable: number;
  timeZone: string;
  quietHours: { start: number; end: number };
  windowEndsAt: Date | null;
}

export type SendDecision =
  | { action: "send" }
  | { action: "skip"; reason: string }
  | { action: "defer"; until: Date; reason: string };

const HOUR = 3_600_000;
const QUIET_UNTIL_WINDOW_CLOSED = "quiet hours until after the send window";
const BUDGET_AFTER_WINDOW = "the budget frees only after the send window closes";

/** A message the budget dropped because no allowed slot was left inside its window. */
export function isWindowDrop(reason: string | null): boolean {
  return reason !== null && (reason === QUIET_UNTIL_WINDOW_CLOSED || reason.endsWith(BUDGET_AFTER_WINDOW));
}

// Building an Intl.DateTimeFormat costs far more than using one (about a millisecond against a few
// microseconds): one per zone, kept. null marks a zone Intl does not know.
const hourFormats = new Map<string, Intl.DateTimeFormat | null>();

export function localHour(at: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone });
    } catch {
      format = null;
    }
    if (hourFormats.size < 1_000) hourFormats.set(timeZone, format);
  }
  return format ? Number(format.format(at)) : at.getUTCHours(); // an unknown zone reads as UTC rather than failing the send
}

/** True when `hour` falls in quiet hours that may wrap midnight (21 → 8). */
export function isQuiet(hour: number, quiet: { start: number; end: number }): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/** The first top of an hour (at or after `from`) outside quiet hours in the zone. */
export function nextAllowedTime(from: Date, timeZone: string, quiet: { start: number; end: number }): Date {
  let candidate = from;
  for (let i = 0; i < 25 && isQuiet(localHour(candidate, timeZone), quiet); i++) {
    candidate = new Date((Math.floor(candidate.getTime() / HOUR) + 1) * HOUR);
  }
  return candidate;
}

export function decideSend(facts: SendFacts): SendDecision {
  if (facts.sendingPaused) return { action: "skip", reason: "sending is paused for the shop" };
  if (facts.suppressed) return { action: "skip", reason: "address suppressed (unsubscribed, bounced or complained)" };
  const consented = facts.consent === "SUBSCRIBED" || (facts.consent === null && facts.checkoutConsent) || facts.requestedIt === true;
  if (!consented) return { action: "skip", reason: `no email marketing consent (${facts.consent ?? "unknown"})` };
  if (facts.exitOnOrder && facts.orderedSinceStart) return { action: "skip", reason: "ordered since the sequence started" };
  if (facts.productsTotal > 0 && facts.productsUnavailable >= facts.productsTotal) {
    return { action: "skip", reason: "every product in the email is sold out or gone" };
  }
  const windowClosed = (until: Date) => facts.windowEndsAt !== null && until.getTime() > facts.windowEndsAt.getTime();
  if (facts.sentInCapWindow >= facts.frequencyCap) return capDecision(facts, `frequency cap reached (${facts.sentInCapWindow}/${facts.frequencyCap})`);
  if (isQuiet(localHour(facts.now, facts.timeZone), facts.quietHours)) {
    const until = nextAllowedTime(facts.now, facts.timeZone, facts.quietHours);
    return windowClosed(until)
      ? { action: "skip", reason: QUIET_UNTIL_WINDOW_CLOSED }
      : { action: "defer", until, reason: "quiet hours in the recipient's time zone" };
  }
  return { action: "send" };
}

/**
 * The recipient's budget is spent: move the message to the first slot where it frees (outside quiet
 * hours), or drop it when that slot is past the message's window.
 */
export function capDecision(facts: SendFacts, reason: string): SendDecision {
  // Unknown: try again in a day; already past (a send aged out this instant): the next hour.
  const frees = !facts.capFreesAt ? new Date(facts.now.getTime() + 24 * HOUR) : new Date(Math.max(facts.capFreesAt.getTime(), facts.now.getTime() + 1));
  const until = nextAllowedTime(new Date(Math.ceil(frees.getTime() / HOUR) * HOUR), facts.timeZone, facts.quietHours);
  if (facts.windowEndsAt !== null && until.getTime() > facts.windowEndsAt.getTime()) {
    return { action: "skip", reason: `${reason}; ${BUDGET_AFTER_WINDOW}` };
  }
  return { action: "defer", until, reason };
}
