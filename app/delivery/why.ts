import { z } from "zod";
import { isQuiet, localHour, type SendFacts } from "./checks";

// Why a message was sent (or not): everything behind the decision, stored with the ledger row when
// the dispatcher decides, so the merchant can open it from the sent log later even after the
// campaign, the shop's settings or the customer have changed. Pure; no personal data beyond what the
// row already holds (identity matches are stored as kinds: "email", "cart (linked)").

export const checkSchema = z.object({ check: z.string(), passed: z.boolean(), detail: z.string() });
export type Check = z.infer<typeof checkSchema>;

const productSchema = z.object({
  productId: z.string(),
  because: z.string(),
  reasons: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const whySchema = z.object({
  version: z.literal(1),
  decidedAt: z.string(),
  outcome: z.string(),
  opportunity: z.object({ type: z.string(), title: z.string(), reason: z.string(), evidence: z.record(z.string(), z.unknown()) }).nullable(),
  audience: z.object({ rule: z.string(), score: z.number(), evidence: z.record(z.string(), z.unknown()) }),
  products: z.array(productSchema),
  copy: z.object({ versionNumber: z.number().nullable(), author: z.string().nullable(), step: z.number(), variant: z.number(), sources: z.array(z.string()) }),
  guardrails: z.array(z.object({ rule: z.string(), severity: z.string(), message: z.string() })),
  checks: z.array(checkSchema),
  moves: z.object({ count: z.number(), plannedAt: z.string().nullable(), lastReason: z.string().nullable() }),
});
export type Why = z.infer<typeof whySchema>;

export interface IdentityCheck {
  /** How many identifiers of the shopper were checked for a purchase (customer, emails, phones, tokens, visitors). */
  identifiers: number;
  purchase: { label: string; matchedBy: string[] } | null;
}

/** The pre-send checks as the merchant reads them, from the same facts the decision used. */
export function checksFrom(facts: SendFacts, identity: IdentityCheck | null): Check[] {
  const consentBasis = facts.consent === "SUBSCRIBED" ? "subscribed to email marketing" : facts.consent === null && facts.checkoutConsent ? "accepted marketing at checkout" : `no consent (${facts.consent ?? "unknown"})`;
  const hour = localHour(facts.now, facts.timeZone);
  const checks: Check[] = [
    { check: "sending on", passed: !facts.sendingPaused, detail: facts.sendingPaused ? "sending is paused for the shop" : "the shop is sending" },
    { check: "consent", passed: consentBasis.startsWith("no consent") === false, detail: consentBasis },
    { check: "suppression", passed: !facts.suppressed, detail: facts.suppressed ? "address suppressed" : "not unsubscribed, bounced or complained" },
    {
      check: "no purchase since",
      passed: !(facts.exitOnOrder && facts.orderedSinceStart),
      detail: identity
        ? identity.purchase
          ? `bought since (${identity.purchase.label}), matched by ${identity.purchase.matchedBy.join(", ")}`
          : `no purchase under any of ${identity.identifiers} identifiers (customer, emails, phones, checkout and cart tokens, storefront visitors)`
        : facts.orderedSinceStart
          ? "ordered since the sequence started"
          : "no order since the sequence started",
    },
    { check: "products", passed: facts.productsTotal === 0 || facts.productsUnavailable < facts.productsTotal, detail: `${facts.productsTotal - facts.productsUnavailable} of ${facts.productsTotal} still for sale` },
    { check: "frequency cap", passed: facts.sentInCapWindow < facts.frequencyCap, detail: `${facts.sentInCapWindow} of ${facts.frequencyCap} marketing emails already sent in the cap window` },
    { check: "quiet hours", passed: !isQuiet(hour, facts.quietHours), detail: `${String(hour).padStart(2, "0")}:00 in ${facts.timeZone} (quiet ${facts.quietHours.start}:00–${facts.quietHours.end}:00)` },
  ];
  return checks;
}

export interface WhyInput {
  decidedAt: Date;
  outcome: string;
  opportunity: { type: string; title: string; reason: string; evidence: string } | null;
  recipient: { reason: string; score: number; evidence: string; products: string };
  version: { number: number; author: string; findings: string; sources: string[] } | null;
  step: number;
  variant: number;
  checks: Check[];
  moves: { count: number; plannedAt: Date | null; lastReason: string | null };
}

export function whyRecord(input: WhyInput): Why {
  const audienceEvidence = parseObject(input.recipient.evidence);
  const { products: productEvidence, rule: _rule, score: _score, ...audienceRest } = audienceEvidence;
  const listed = z.array(productSchema).safeParse(productEvidence);
  const productIds = z.array(z.string()).safeParse(parseJson(input.recipient.products));
  const products = listed.success ? listed.data : (productIds.success ? productIds.data : []).map((productId) => ({ productId, because: "chosen for the campaign" }));
  const findings = z.array(z.object({ rule: z.string(), severity: z.string(), message: z.string() }).loose()).safeParse(parseJson(input.version?.findings ?? "[]"));
  return {
    version: 1,
    decidedAt: input.decidedAt.toISOString(),
    outcome: input.outcome,
    opportunity: input.opportunity && { type: input.opportunity.type, title: input.opportunity.title, reason: input.opportunity.reason, evidence: parseObject(input.opportunity.evidence) },
    audience: { rule: input.recipient.reason, score: input.recipient.score, evidence: audienceRest },
    products,
    copy: { versionNumber: input.version?.number ?? null, author: input.version?.author ?? null, step: input.step, variant: input.variant, sources: input.version?.sources ?? [] },
    guardrails: findings.success ? findings.data.map(({ rule, severity, message }) => ({ rule, severity, message })) : [],
    checks: input.checks,
    moves: { count: input.moves.count, plannedAt: input.moves.plannedAt?.toISOString() ?? null, lastReason: input.moves.lastReason },
  };
}

/** Reads a stored record; an old or damaged one is a value the page can explain, not an exception. */
export function readWhy(json: string | null): { ok: true; why: Why } | { ok: false; reason: string } {
  if (!json) return { ok: false, reason: "This message was decided before reasons were recorded." };
  const parsed = whySchema.safeParse(parseJson(json));
  return parsed.success ? { ok: true, why: parsed.data } : { ok: false, reason: "The stored reasons could not be read." };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function parseObject(json: string): Record<string, unknown> {
  const value = parseJson(json);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
