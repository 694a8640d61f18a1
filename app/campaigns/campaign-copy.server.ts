import type { Opportunity } from "@prisma/client";
import type { Db } from "~/db.server";
import type { Finding } from "~/copy/guardrails";
import { primaryUnavailable } from "~/copy/provenance";
import { writeCopy, type Attempt } from "~/copy/write-copy";
import type { CampaignAngle, CampaignKind, CopyRequest, CopySegment, OfferFact, ProductFact } from "~/copy/types";
import type { Copywriters } from "~/copy/copywriters.server";
import { catalogLookup, loadCatalog } from "~/insights/store/catalog.server";
import { inChunks } from "~/lib/chunks";
import { hashSeed } from "~/lib/hash-seed";
import { describeAudience } from "./audience-reasons";
import type { Audience } from "./audience.server";
import type { BrandVoice } from "./brand-voice";
import type { CampaignContent, SegmentDraft } from "./campaigns.server";
import type { PersonalisationSettings } from "./contact-memory";
import type { GoalPlan } from "./goals";
import { productFacts } from "./product-facts.server";
import { matchesInterest, SEGMENT_DIMENSIONS, segmentAudience, type Segmentation, type StoredSegment } from "./segments";
import type { CampaignPlan } from "./sequence";

// The copy of a campaign: every step for the whole audience and, when the audience splits into
// segments (ADR 018), every step again for each segment, with the segment's angle and tone, its own
// products in the copy and the guardrails run on each draft against that draft's facts.

const PRODUCTS_IN_COPY = 3;
const OFFER_DAYS = 7;
/** Personal-item emails (a checkout, a viewed product) are about that item, not a taste. */
const SEGMENTED_KINDS: ReadonlySet<string> = new Set(["promotional", "winback"]);

export interface CopyInput {
  shop: string;
  shopName: string;
  currency: string;
  kind: CampaignKind;
  angle: CampaignAngle;
  plan: CampaignPlan;
  goal: GoalPlan | null;
  voice: BrandVoice;
  hints: string[];
  opportunity: Opportunity;
  opportunityProductIds: string[];
  audience: Audience;
  copywriters: Copywriters;
  personalisation: PersonalisationSettings;
  /** A flow batch whose recipients each have their own products: the copy names only the batch's. */
  perRecipientProducts?: boolean;
}

export interface WrittenCopy {
  content: CampaignContent;
  generation: Attempt[][];
  findings: Finding[];
  products: ProductFact[];
  audienceSummary: string;
  segments: StoredSegment[];
  segmentNote: string;
}

/** The products the copy talks about: the opportunity's (those matching a segment first), else the ones most often in the recipients' blocks. */
function copyProductIds(opportunityProducts: string[], members: Audience["members"], perRecipient: boolean, prefer: (productId: string) => boolean = () => false): string[] {
  if (opportunityProducts.length || perRecipient) {
    return [...opportunityProducts].sort((a, b) => Number(prefer(b)) - Number(prefer(a))).slice(0, PRODUCTS_IN_COPY);
  }
  const counts = new Map<string, number>();
  for (const member of members) for (const id of member.productIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, PRODUCTS_IN_COPY).map(([id]) => id);
}

export function audienceSummary(members: Audience["members"], opportunity: Opportunity): string {
  const reasons = new Map<string, number>();
  for (const member of members) reasons.set(member.reason, (reasons.get(member.reason) ?? 0) + 1);
  return `${describeAudience(reasons)}; ${opportunity.reason}`;
}

/** Titles of the shop's other products: naming one of them in the copy is blocked. */
async function otherTitles(db: Db, shop: string, products: ProductFact[]): Promise<string[]> {
  const rows = await db.product.findMany({
    where: { shop, deletedAt: null, id: { notIn: products.map((product) => product.productId) } },
    select: { title: true },
    take: 2_000,
  });
  return rows.map((product) => product.title);
}

/** Splits the audience (when its kind and size allow) and marks each member's segment in their evidence. */
async function segmentsOf(db: Db, input: CopyInput): Promise<{ segmentation: Segmentation; catalog: ReturnType<typeof catalogLookup> | null }> {
  const { shop, audience, personalisation } = input;
  const settings = personalisation.segments;
  const minimum = Math.max(settings.minSize, Math.ceil(audience.members.length / 10));
  const whole = (note: string) => ({ segmentation: { segments: [], rest: audience.members.length, note }, catalog: null });
  if (!SEGMENTED_KINDS.has(input.kind) || input.angle === "browse_abandonment" || input.perRecipientProducts) return whole("One copy for everyone: this email is about each shopper's own items.");
  if (!settings.enabled) return whole("Segments are switched off: one copy for everyone.");
  if (audience.members.length < 2 * minimum) return whole(`One copy for everyone: ${audience.members.length} recipients, and a segment needs at least ${minimum}.`);
  // Only dimensions where the shop has two interests held by enough customers can split anything: an
  // index-only count first, so a one-interest shop never reads every recipient's affinities.
  const keyCounts = await db.customerAffinity.groupBy({ by: ["dimension", "key"], where: { shop, dimension: { in: [...SEGMENT_DIMENSIONS] } }, _count: { _all: true } });
  const dimensions = SEGMENT_DIMENSIONS.filter((dimension) => keyCounts.filter((row) => row.dimension === dimension && row._count._all >= minimum).length >= 2);
  if (!dimensions.length) return whole(`One copy for everyone: no two interests are each shared by ${minimum} or more customers.`);
  const customerIds = audience.members.flatMap((member) => (member.customerId ? [member.customerId] : []));
  const [affinities, catalog] = await Promise.all([
    inChunks(customerIds, (chunk) =>
      db.customerAffinity.findMany({ where: { shop, customerId: { in: chunk }, dimension: { in: dimensions } }, select: { customerId: true, dimension: true, key: true, score: true } }),
    ),
    loadCatalog(db, shop),
  ]);
  const byCustomer = Map.groupBy(affinities, (row) => row.customerId);
  const segmentation = segmentAudience(
    audience.members.map((member) => ({ id: member.email, affinities: member.customerId ? (byCustomer.get(member.customerId) ?? []) : [] })),
    [...catalog.values()],
    input.voice.tone.preset,
    settings,
  );
  const segmentOf = new Map(segmentation.segments.flatMap((segment) => segment.memberIds.map((email) => [email, segment] as const)));
  for (const member of audience.members) {
    const segment = segmentOf.get(member.email);
    if (segment) member.evidence.segment = { id: segment.id, interest: segment.interest, because: segment.why };
  }
  return { segmentation, catalog: catalogLookup(catalog) };
}

export async function writeCampaignCopy(db: Db, input: CopyInput): Promise<WrittenCopy> {
  const { shop, plan, audience, opportunity } = input;
  const { segmentation, catalog } = await segmentsOf(db, input);
  const generalProducts = await productFacts(db, shop, copyProductIds(input.opportunityProductIds, audience.members, input.perRecipientProducts === true), input.currency);
  const generalSummary = audienceSummary(audience.members, opportunity);
  const audiences = [
    { id: null as string | null, products: generalProducts, summary: generalSummary, segment: undefined as CopySegment | undefined, others: await otherTitles(db, shop, generalProducts) },
  ];
  const segments: StoredSegment[] = [];
  for (const segment of segmentation.segments) {
    const members = audience.members.filter((member) => (member.evidence.segment as { id?: string } | undefined)?.id === segment.id);
    const prefer = (productId: string) => {
      const item = catalog?.(productId);
      return item ? matchesInterest(item, segment.dimension, segment.interest) : false;
    };
    const products = await productFacts(db, shop, copyProductIds(input.opportunityProductIds, members, input.perRecipientProducts === true, prefer), input.currency);
    const summary = `${segment.why}; ${opportunity.reason}`;
    segments.push({ id: segment.id, dimension: segment.dimension, interest: segment.interest, size: segment.size, why: segment.why, tone: segment.tone, toneBecause: segment.toneBecause, description: segment.description, copyProducts: products, audienceSummary: summary });
    audiences.push({ id: segment.id, products, summary, segment: { interest: segment.interest, description: segment.description, tone: segment.tone }, others: await otherTitles(db, shop, products) });
  }

  // Once the LLM has proved unavailable in this build, the later drafts do not wait on it again.
  let writers = input.copywriters;
  const content: CampaignContent = { steps: [] };
  const generation: Attempt[][] = [];
  const findings: Finding[] = [];
  const used = new Map<string | null, string[]>();
  for (const [step, stepPlan] of plan.steps.entries()) {
    const offer: OfferFact | null = stepPlan.offerPercent
      ? { kind: "percent", percent: stepPlan.offerPercent, code: "{{ discount_code }}", expiresInDays: OFFER_DAYS }
      : null;
    const attempts: Attempt[] = [];
    const drafts = new Map<string | null, SegmentDraft>();
    for (const target of audiences) {
      const request: CopyRequest = {
        shop,
        shopName: input.shopName,
        kind: input.kind,
        angle: input.angle,
        step,
        steps: plan.steps.length,
        audienceSummary: target.summary,
        products: target.products,
        offer,
        voice: input.voice,
        language: input.voice.languages[0],
        styleHints: input.hints,
        // Earlier steps of the same audience, and this step's general subjects, so segments read differently.
        avoidSubjects: [...(used.get(target.id) ?? []), ...(target.id ? (drafts.get(null)?.draft.subjects ?? []) : [])],
        seed: hashSeed(target.id ? `${opportunity.id}:${step}:${target.id}` : `${opportunity.id}:${step}`),
        ...(input.goal?.steps[step] && { purpose: input.goal.steps[step].purpose }),
        ...(target.segment && { segment: target.segment }),
      };
      const written = await writeCopy(request, { ...writers, context: { allowedHosts: [shop], otherProductTitles: target.others } });
      attempts.push(...written.attempts);
      if (writers.primary && primaryUnavailable(written.attempts)) writers = { fallback: input.copywriters.fallback };
      const field = target.id ? `steps[${step}].segments.${target.id}` : `steps[${step}]`;
      findings.push(...written.findings.map((finding) => ({ ...finding, field: `${field}.${finding.field}` })));
      if (!written.draft) {
        findings.push({ rule: "no_draft", severity: "block", message: written.status === "blocked" ? written.reason : "no draft", evidence: "", field });
        continue;
      }
      used.set(target.id, [...(used.get(target.id) ?? []), ...written.draft.subjects]);
      drafts.set(target.id, { draft: written.draft, subjectVariants: written.draft.subjects.map((_, i) => i).slice(0, 3), source: written.source, status: written.status });
    }
    generation.push(attempts);
    const general = drafts.get(null);
    if (!general) continue;
    const bySegment = Object.fromEntries([...drafts].flatMap(([id, draft]) => (id ? [[id, draft]] : [])));
    content.steps.push({ ...general, ...(Object.keys(bySegment).length && { segments: bySegment }) });
  }
  return { content, generation, findings, products: generalProducts, audienceSummary: generalSummary, segments, segmentNote: segmentation.note };
}
