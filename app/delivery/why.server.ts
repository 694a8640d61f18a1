import type { Campaign, CampaignRecipient, Send } from "@prisma/client";
import type { CampaignPlan } from "~/campaigns/sequence";
import type { Db } from "~/db.server";
import type { SendDecision, SendFacts } from "./checks";
import type { RecoveryIdentities } from "./identity-check.server";
import { checksFrom, whyRecord } from "./why";

// Loads, once per dispatcher batch, what each campaign's messages are explained by: the opportunity
// and the content version (with its guardrail findings).

export interface WhyContext {
  opportunities: Map<string, { type: string; title: string; reason: string; evidence: string }>;
  versions: Map<string, { number: number; author: string; findings: string; sources: string[] }>;
}

export async function loadWhyContext(db: Db, shop: string, campaigns: Map<string, Campaign>): Promise<WhyContext> {
  const list = [...campaigns.values()];
  const [opportunities, versions] = await Promise.all([
    db.opportunity.findMany({
      where: { shop, id: { in: list.flatMap((campaign) => (campaign.opportunityId ? [campaign.opportunityId] : [])) } },
      select: { id: true, type: true, title: true, reason: true, evidence: true },
    }),
    db.campaignVersion.findMany({
      where: { shop, id: { in: list.flatMap((campaign) => (campaign.currentVersionId ? [campaign.currentVersionId] : [])) } },
      select: { id: true, number: true, author: true, findings: true, content: true },
    }),
  ]);
  return {
    opportunities: new Map(opportunities.map((row) => [row.id, row])),
    versions: new Map(versions.map((row) => [row.id, { number: row.number, author: row.author, findings: row.findings, sources: sourcesOf(row.content) }])),
  };
}

export interface FactsSource {
  recipients: Map<string, CampaignRecipient>;
  factsFor(send: Send, campaign: Campaign, plan: CampaignPlan): SendFacts;
  identity: RecoveryIdentities;
}

/** The why of one row, as a function of its final outcome (sent, not sent and why). */
export function explain(context: WhyContext, campaign: Campaign, send: Send, facts: FactsSource, plan: CampaignPlan, decision: SendDecision, now: Date): (outcome: string) => string {
  const recipient = facts.recipients.get(send.recipientId)!;
  const sendFacts = facts.factsFor(send, campaign, plan);
  const checks = checksFrom(sendFacts, facts.identity.check(recipient));
  if (decision.action === "skip" && !checks.some((check) => !check.passed)) checks.push({ check: "budget", passed: false, detail: decision.reason });
  return (outcome) =>
    JSON.stringify(
      whyRecord({
        decidedAt: now,
        outcome,
        opportunity: campaign.opportunityId ? (context.opportunities.get(campaign.opportunityId) ?? null) : null,
        recipient,
        version: campaign.currentVersionId ? (context.versions.get(campaign.currentVersionId) ?? null) : null,
        step: send.step,
        variant: send.variant,
        checks,
        moves: { count: send.moves, plannedAt: send.plannedAt, lastReason: send.moveReason },
      }),
    );
}

function sourcesOf(content: string): string[] {
  try {
    const parsed = JSON.parse(content) as { steps?: Array<{ source?: string }> };
    return (parsed.steps ?? []).map((step) => step.source ?? "unknown");
  } catch {
    return [];
  }
}
