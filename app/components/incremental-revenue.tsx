import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { LiftEstimate } from "~/delivery/lift";
import { formatMoney } from "./money";

// Incremental revenue (against the random holdout, with its confidence interval) next to the
// last-touch attributed revenue, so the merchant sees what email really added.

export interface IncrementalRevenueProps {
  lift: { estimate: LiftEstimate; open: boolean; measuredUntil: string } | null;
  attributed: { revenue: number; orders: number };
  currency: string;
}

const WHY_NOT: Record<Extract<LiftEstimate, { ok: false }>["reason"], string> = {
  no_holdout: "No holdout was kept for this campaign (set one in Brand voice), so what email added cannot be measured.",
  holdout_too_small: "Too few people were held back to measure what email added.",
  too_few_mailed: "Too few people were mailed to measure what email added.",
  bad_input: "The revenue figures could not be used.",
};

export function IncrementalRevenue({ lift, attributed, currency }: IncrementalRevenueProps) {
  const money = (minor: number) => formatMoney(minor, currency);
  return (
    <BlockStack gap="150">
      <Text as="p">
        Attributed (last touch): {money(attributed.revenue)} from {attributed.orders} order{attributed.orders === 1 ? "" : "s"}
      </Text>
      {!lift ? (
        <Text as="p" tone="subdued">
          Incremental revenue: measured once the campaign is scheduled.
        </Text>
      ) : lift.estimate.ok ? (
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Text as="p" fontWeight="semibold">
              Incremental (vs. holdout): {money(lift.estimate.incrementalRevenue)}
            </Text>
            <Badge tone={lift.estimate.significant ? (lift.estimate.low > 0 ? "success" : "critical") : undefined}>
              {lift.estimate.significant ? (lift.estimate.low > 0 ? "email added revenue" : "email cost revenue") : "not distinguishable from zero yet"}
            </Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            {Math.round(lift.estimate.confidence * 100)}% interval {money(lift.estimate.low)} to {money(lift.estimate.high)} · {lift.estimate.treated.recipients} mailed (
            {lift.estimate.treated.buyers} bought) vs. {lift.estimate.holdout.recipients} held back ({lift.estimate.holdout.buyers} bought)
            {lift.open ? " · still measuring" : ` · measured until ${new Date(lift.measuredUntil).toLocaleDateString()}`}
          </Text>
        </BlockStack>
      ) : (
        <Text as="p" tone="subdued">
          {WHY_NOT[lift.estimate.reason]}
        </Text>
      )}
    </BlockStack>
  );
}
