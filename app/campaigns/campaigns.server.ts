import type { Campaign, CampaignVersion } from "@prisma/client";
import type { Db } from "~/db.server";
import type { Finding } from "~/copy/guardrails";
import type { Attempt } from "~/copy/write-copy";
import type { CopyDraft } from "~/copy/types";
import { isCampaignState, transition, type Actor, type CampaignState } from "./state-machine";

// Campaign persistence: every state change goes through the state machine and is recorded; content
// is stored as immutable, numbered versions (edits add a version, nothing is overwritten).

export interface SegmentDraft {
  draft: CopyDraft;
  /** Which of the draft's subjects are sent as test variants (indexes into draft.subjects). */
  subjectVariants: number[];
  source: "builtin" | "openai" | "staff";
  status: "ready" | "blocked";
}

export interface StepContent extends SegmentDraft {
  /**
   * Drafts per audience segment, by segment id (ADR 018). A recipient of a listed segment gets its
   * draft; everyone else (and all content stored before segments existed) gets the step's own.
   */
  segments?: Record<string, SegmentDraft>;
}

/** The draft a recipient of `segment` gets for this step. */
export function draftFor(step: StepContent, segment: string | null | undefined): SegmentDraft {
  return (segment ? step.segments?.[segment] : undefined) ?? step;
}

export interface CampaignContent {
  steps: StepContent[];
}

export function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

export function contentOf(version: Pick<CampaignVersion, "content">): CampaignContent {
  return JSON.parse(version.content) as CampaignContent;
}

export function blockingFindings(version: Pick<CampaignVersion, "findings">): Finding[] {
  return (JSON.parse(version.findings) as Finding[]).filter((finding) => finding.severity === "block");
}

export async function addVersion(
  db: Db,
  campaign: Pick<Campaign, "id" | "shop">,
  content: CampaignContent,
  author: Actor,
  generation: Attempt[][],
  findings: Finding[],
): Promise<CampaignVersion> {
  const latest = await db.campaignVersion.findFirst({
    where: { shop: campaign.shop, campaignId: campaign.id },
    orderBy: { number: "desc" },
    select: { number: true },
  });
  const version = await db.campaignVersion.create({
    data: {
      shop: campaign.shop,
      campaignId: campaign.id,
      number: (latest?.number ?? 0) + 1,
      author: actorLabel(author),
      content: JSON.stringify(content),
      generation: JSON.stringify(generation),
      findings: JSON.stringify(findings),
    },
  });
  await db.campaign.updateMany({ where: { id: campaign.id, shop: campaign.shop }, data: { currentVersionId: version.id } });
  return version;
}

export type TransitionError =
  | { kind: "not_found" }
  | { kind: "illegal_transition"; from: CampaignState; to: CampaignState }
  | { kind: "reason_required" }
  | { kind: "blocked_content"; findings: Finding[] }
  | { kind: "conflict" };

export type CampaignTransitionResult = { ok: true; campaign: Campaign } | { ok: false; error: TransitionError };

/**
 * Moves a campaign to `to` if the state machine allows it. Approval needs content without blocking
 * guardrail findings. The update is conditional on the state read, so two clicks cannot both apply.
 */
export async function transitionCampaign(
  db: Db,
  shop: string,
  campaignId: string,
  to: CampaignState,
  actor: Actor,
  reason: string | null = null,
  now = new Date(),
): Promise<CampaignTransitionResult> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop } });
  if (!campaign || !isCampaignState(campaign.status)) return { ok: false, error: { kind: "not_found" } };
  const result = transition(campaign.status, to, actor, now, reason);
  if (!result.ok) return result;
  if (to === "approved" || to === "scheduled" || to === "sending") {
    const version = campaign.currentVersionId
      ? await db.campaignVersion.findFirst({ where: { id: campaign.currentVersionId, shop } })
      : null;
    const blocking = version ? blockingFindings(version) : [];
    if (!version || blocking.length) return { ok: false, error: { kind: "blocked_content", findings: blocking } };
  }
  const { count } = await db.campaign.updateMany({ where: { id: campaign.id, shop, status: campaign.status }, data: { status: to } });
  if (count === 0) return { ok: false, error: { kind: "conflict" } };
  await db.campaignTransition.create({
    data: {
      shop,
      campaignId: campaign.id,
      from: result.record.from,
      to: result.record.to,
      actor: actorLabel(actor),
      reason: result.record.reason,
      at: result.record.at,
    },
  });
  return { ok: true, campaign: { ...campaign, status: to } };
}
