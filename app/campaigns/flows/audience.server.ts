import { z } from "zod";
import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import type { Candidate } from "../audience.server";
import { browsersWhoBought, ORDERED_ELSEWHERE } from "../recovery.server";

// A flow batch's candidates are its enrolments. Several enrolments of one person in a batch (two
// products due for reorder) become one recipient with all their products. The audience builder then
// applies consent, suppressions and deletions like for every campaign.

const detailsSchema = z.object({
  productIds: z.array(z.string()).default([]),
  contextProductIds: z.array(z.string()).default([]),
  reason: z.string().default("in the flow"),
  evidence: z.record(z.string(), z.unknown()).default({}),
  stockAlertRequestId: z.string().optional(),
  purchaseCheckSince: z.string().optional(),
});

export const STOCK_ALERT_CONSENT = "asked to be told when it is back";

export async function flowCandidates(db: Db, shop: string, opportunityId: string): Promise<Candidate[]> {
  const rows = await db.flowEnrolment.findMany({ where: { shop, opportunityId }, orderBy: { key: "asc" } });
  const enrolments = rows.flatMap((row) => {
    const details = detailsSchema.safeParse(JSON.parse(row.details));
    return details.success ? [{ ...row, details: details.data }] : [];
  });
  const requestIds = enrolments.flatMap((e) => (e.details.stockAlertRequestId ? [e.details.stockAlertRequestId] : []));
  // A request deleted since (customers/redact) reaches nobody.
  const requests = new Map(
    (await inChunks(requestIds, (chunk) => db.stockAlertRequest.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, email: true } }))).map((r) => [r.id, r.email]),
  );
  const purchaseSince = new Map(
    enrolments.flatMap((e) => (e.customerId && e.details.purchaseCheckSince ? [[e.customerId, new Date(e.details.purchaseCheckSince)] as const] : [])),
  );
  const bought = purchaseSince.size ? await browsersWhoBought(db, shop, purchaseSince) : new Set<string>();

  const byPerson = new Map<string, Candidate>();
  for (const enrolment of enrolments) {
    const { details } = enrolment;
    const requestEmail = details.stockAlertRequestId ? requests.get(details.stockAlertRequestId) : undefined;
    if (details.stockAlertRequestId && !requestEmail) continue;
    const person = enrolment.customerId ?? `request:${details.stockAlertRequestId}`;
    const existing = byPerson.get(person);
    if (existing) {
      existing.productIds = [...new Set([...(existing.productIds ?? []), ...details.productIds])];
      existing.contextProductIds = [...new Set([...(existing.contextProductIds ?? []), ...details.contextProductIds])];
      (existing.evidence!.enrolments as unknown[]).push(details.evidence);
      continue;
    }
    byPerson.set(person, {
      customerId: enrolment.customerId,
      email: requestEmail ?? null,
      score: 1,
      reason: details.reason,
      anchorAt: enrolment.anchorAt,
      productIds: details.productIds,
      contextProductIds: details.contextProductIds,
      requestedIt: Boolean(requestEmail),
      excludedBecause: enrolment.customerId && bought.has(enrolment.customerId) ? ORDERED_ELSEWHERE : undefined,
      evidence: {
        flow: enrolment.flow,
        enrolments: [details.evidence],
        ...(requestEmail && { consentBasis: STOCK_ALERT_CONSENT, stockAlertRequestId: details.stockAlertRequestId }),
      },
    });
  }
  return [...byPerson.values()];
}
