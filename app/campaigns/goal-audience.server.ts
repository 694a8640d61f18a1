import { z } from "zod";
import type { Db } from "~/db.server";
import { AFFINITY_DIMENSIONS, AUDIENCE_STAGES, AUDIENCE_TYPES, type AudienceType } from "./goals";

// The customers a goal-driven campaign targets: a lifecycle segment (from CustomerInsight stages) or an
// affinity segment (customers with a stored affinity for a product type or vendor). Consent,
// suppressions and deletions are applied afterwards by the audience builder, like every campaign.

export const goalSegmentSchema = z.object({
  audience: z.enum(AUDIENCE_TYPES),
  affinityDimension: z.enum(AFFINITY_DIMENSIONS).optional(),
  affinityKey: z.string().optional(),
  /** Always-on flows: exactly these customers (e.g. the people who just subscribed). */
  customerIds: z.array(z.string()).optional(),
  reason: z.string().optional(),
});
export type GoalSegment = z.output<typeof goalSegmentSchema>;

const STAGE_REASONS: Record<string, string> = {
  new: "new customer",
  active: "active customer",
  loyal: "loyal customer",
  vip: "VIP customer",
  at_risk: "at risk customer",
  lapsed: "lapsed customer",
};

export interface SegmentCandidate {
  customerId: string;
  score: number;
  reason: string;
}

export async function segmentCandidates(db: Db, shop: string, segment: GoalSegment): Promise<SegmentCandidate[]> {
  if (segment.customerIds) return segment.customerIds.map((customerId) => ({ customerId, score: 1, reason: segment.reason ?? "customer" }));
  if (segment.audience === "affinity") {
    if (!segment.affinityDimension || !segment.affinityKey) return [];
    const rows = await db.customerAffinity.findMany({
      where: { shop, dimension: segment.affinityDimension, key: segment.affinityKey },
      select: { customerId: true, score: true },
    });
    return rows.map((row) => ({ customerId: row.customerId, score: row.score, reason: `loves ${segment.affinityKey}` }));
  }
  const rows = await db.customerInsight.findMany({
    where: { shop, stage: { in: AUDIENCE_STAGES[segment.audience] } },
    select: { customerId: true, stage: true, pAlive: true },
  });
  // Likelier-to-buy customers first (the probability the customer is still active, when fitted).
  return rows.map((row) => ({ customerId: row.customerId, score: row.pAlive ?? 0.5, reason: STAGE_REASONS[row.stage ?? ""] ?? "customer" }));
}

export interface SegmentOption {
  audience: AudienceType;
  dimension?: (typeof AFFINITY_DIMENSIONS)[number];
  key?: string;
  /** Customers in the segment before consent and suppressions are applied. */
  size: number;
}

const AFFINITY_OPTIONS = 20;

/** The segments the goal form offers, with their sizes. */
export async function segmentOptions(db: Db, shop: string): Promise<SegmentOption[]> {
  const [stages, affinities] = await Promise.all([
    db.customerInsight.groupBy({ by: ["stage"], where: { shop, stage: { not: null } }, _count: { _all: true } }),
    db.customerAffinity.groupBy({
      by: ["dimension", "key"],
      where: { shop, dimension: { in: [...AFFINITY_DIMENSIONS] } },
      _count: { _all: true },
      orderBy: { _count: { customerId: "desc" } },
      take: AFFINITY_OPTIONS,
    }),
  ]);
  const byStage = new Map(stages.map((row) => [row.stage, row._count._all]));
  const lifecycle = (Object.entries(AUDIENCE_STAGES) as Array<[Exclude<AudienceType, "affinity">, string[]]>).map(([audience, members]) => ({
    audience,
    size: members.reduce((sum, stage) => sum + (byStage.get(stage) ?? 0), 0),
  }));
  const affinity = affinities.map((row) => ({
    audience: "affinity" as const,
    dimension: row.dimension as (typeof AFFINITY_DIMENSIONS)[number],
    key: row.key,
    size: row._count._all,
  }));
  return [...lifecycle, ...affinity];
}
