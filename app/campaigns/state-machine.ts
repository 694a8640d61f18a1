// Campaign lifecycle. Every state change goes through `transition`, which refuses illegal moves and
// returns the record to store (who, when, from, to, why). Pure: persistence is the caller's.

export const CAMPAIGN_STATES = [
  "suggested",
  "in_review",
  "approved",
  "scheduled",
  "sending",
  "sent",
  "rejected",
  "expired",
  "failed",
  "paused",
] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

const ALLOWED: Record<CampaignState, readonly CampaignState[]> = {
  suggested: ["in_review", "approved", "rejected", "expired"],
  in_review: ["approved", "rejected", "expired", "suggested"],
  approved: ["scheduled", "sending", "in_review", "rejected"],
  scheduled: ["sending", "paused", "in_review", "rejected"],
  sending: ["sent", "paused", "failed"],
  paused: ["scheduled", "sending", "rejected"],
  sent: [],
  rejected: [],
  expired: [],
  failed: ["scheduled"],
};

/** States in which the content may still be edited (a new immutable version is created). */
export const EDITABLE_STATES: readonly CampaignState[] = ["suggested", "in_review", "approved", "scheduled", "paused"];
/** States that count as "waiting for the merchant" in the admin. */
export const AWAITING_APPROVAL: readonly CampaignState[] = ["suggested", "in_review"];
export const TERMINAL_STATES: readonly CampaignState[] = ["sent", "rejected", "expired"];

export interface Actor {
  kind: "system" | "staff" | "rule";
  id: string;
}

export interface TransitionRecord {
  from: CampaignState;
  to: CampaignState;
  actor: Actor;
  reason: string | null;
  at: Date;
}

export type TransitionResult =
  | { ok: true; record: TransitionRecord }
  | { ok: false; error: { kind: "illegal_transition"; from: CampaignState; to: CampaignState } | { kind: "reason_required" } };

export function canTransition(from: CampaignState, to: CampaignState): boolean {
  return ALLOWED[from].includes(to);
}

export function allowedTransitions(from: CampaignState): readonly CampaignState[] {
  return ALLOWED[from];
}

export function transition(
  from: CampaignState,
  to: CampaignState,
  actor: Actor,
  at: Date,
  reason: string | null = null,
): TransitionResult {
  if (!canTransition(from, to)) return { ok: false, error: { kind: "illegal_transition", from, to } };
  // A merchant rejecting a suggestion says why: the reason trains the next suggestions.
  if (to === "rejected" && actor.kind === "staff" && !reason?.trim()) return { ok: false, error: { kind: "reason_required" } };
  return { ok: true, record: { from, to, actor, reason: reason?.trim() || null, at } };
}

export function isCampaignState(value: string): value is CampaignState {
  return (CAMPAIGN_STATES as readonly string[]).includes(value);
}
