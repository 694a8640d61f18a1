// How a campaign's sending stands, in words a merchant can act on, from the ledger's counts and
// its latest provider failure. Pure.

export interface DeliveryFacts {
  counts: Partial<Record<"scheduled" | "sending" | "sent" | "skipped" | "failed" | "holdout", number>>;
  /** Rows waiting to be tried again after the provider failed them. */
  retrying: number;
  /** The latest provider failure on a row still waiting or failed for good. */
  lastFailure: { message: string; at: Date } | null;
  /** When the next waiting row is due. */
  nextTryAt: Date | null;
  /** The shop's ESP connection, if any. */
  connection: { status: string; lastError: string | null } | null;
}

export type DeliveryStatus = { tone: "info" | "warning" | "critical"; title: string; detail: string } | null;

export function describeDelivery(facts: DeliveryFacts, now = new Date()): DeliveryStatus {
  const failed = facts.counts.failed ?? 0;
  const sent = facts.counts.sent ?? 0;
  if (!facts.connection && (facts.counts.scheduled ?? 0) > 0) {
    return { tone: "warning", title: "Nothing can be sent yet", detail: "Connect an email provider under Integrations; the messages wait until then." };
  }
  if (facts.connection?.status === "failing") {
    return { tone: "critical", title: "Your email provider refuses the credentials", detail: `${facts.connection.lastError ?? "Check them under Integrations."} Messages wait and are retried every 15 minutes.` };
  }
  if (facts.retrying > 0) {
    const when = facts.nextTryAt ? (facts.nextTryAt <= now ? "now" : `at ${facts.nextTryAt.toISOString().slice(11, 16)} UTC`) : "later";
    return {
      tone: "warning",
      title: `${facts.retrying} message(s) are waiting for your email provider`,
      detail: `The provider failed${facts.lastFailure ? ` (${facts.lastFailure.message}, ${facts.lastFailure.at.toISOString().slice(11, 16)} UTC)` : ""}. They are retried with growing pauses, next ${when}, and never sent twice; ${sent} sent so far.`,
    };
  }
  if (failed > 0) {
    return { tone: "critical", title: `${failed} message(s) could not be sent`, detail: facts.lastFailure ? `Last error: ${facts.lastFailure.message}.` : "See the activity page for the reasons." };
  }
  return null;
}
