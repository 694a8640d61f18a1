import { capDecision, decideSend, type SendDecision, type SendFacts } from "./checks";

// The per-recipient message budget over a batch of due messages. Each message is checked on its own
// (consent, suppression, exits, stock, quiet hours, the cap as it stood before the batch); then the
// messages that may go out are ranked per recipient by expected value, and only as many as the
// recipient's remaining budget go now. The rest move to the slot where the budget frees, or are
// dropped if that slot is past their window. Pure: the dispatcher loads the facts and stores the moves.

export interface BudgetedSend {
  id: string;
  email: string;
  /** What the message is expected to earn, minor units (the campaign's prediction for the recipient). */
  expectedValue: number;
  scheduledAt: Date;
  facts: SendFacts;
}

export function decideBatch(sends: readonly BudgetedSend[]): Map<string, SendDecision> {
  const decisions = new Map<string, SendDecision>();
  const ready = new Map<string, BudgetedSend[]>();
  for (const send of sends) {
    const decision = decideSend(send.facts);
    decisions.set(send.id, decision);
    if (decision.action === "send") ready.set(send.email, [...(ready.get(send.email) ?? []), send]);
  }
  for (const group of ready.values()) {
    const ranked = [...group].sort(
      (a, b) => b.expectedValue - a.expectedValue || a.scheduledAt.getTime() - b.scheduledAt.getTime() || a.id.localeCompare(b.id),
    );
    const { sentInCapWindow, frequencyCap } = ranked[0].facts;
    const remaining = Math.max(0, frequencyCap - sentInCapWindow);
    ranked.slice(remaining).forEach((send, index) => {
      const ahead = remaining + index;
      const reason = `frequency cap ${frequencyCap}: ${ahead} message${ahead === 1 ? "" : "s"} of higher expected value for this recipient went first`;
      decisions.set(send.id, capDecision(send.facts, reason));
    });
  }
  return decisions;
}
