import { Badge, BlockStack, Card, InlineStack, List, Text } from "@shopify/polaris";
import type { Interval, PredictionIntervals } from "~/insights/lifecycle/prediction-interval";
import type { TrustLevel, TrustStatement } from "~/insights/lifecycle/trust";
import { formatMoney } from "./money";

// How far to trust the predictions (shop) and the range each could take (customer).

const TONES: Record<TrustLevel, "success" | "info" | "attention" | "warning"> = { solid: "success", useful: "info", rough: "attention", rule_of_thumb: "warning" };

/** `note`: the fit's own technical note (why a model fell back), shown small under the statement. */
export function PredictionTrust({ trust, note = null }: { trust: TrustStatement; note?: string | null }) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            How far to trust the predictions
          </Text>
          <Badge tone={TONES[trust.level]}>{trust.level.replaceAll("_", " ")}</Badge>
        </InlineStack>
        <Text as="p" fontWeight="semibold">
          {trust.headline}
        </Text>
        <List>
          {trust.details.map((detail) => (
            <List.Item key={detail}>{detail}</List.Item>
          ))}
        </List>
        {note ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {note}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

const range = (interval: Interval | null, format: (value: number) => string) => (interval ? `${format(interval[0])} to ${format(interval[1])}` : "not available (rules of thumb)");

export function PredictionRanges({ prediction, currency }: { prediction: { trust: TrustStatement; intervals: PredictionIntervals | null; horizonDays: number }; currency: string }) {
  const { intervals, trust, horizonDays } = prediction;
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" variant="bodySm" tone="subdued">
          Prediction confidence
        </Text>
        <Badge tone={TONES[trust.level]}>{trust.level.replaceAll("_", " ")}</Badge>
      </InlineStack>
      {intervals ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {Math.round(intervals.level * 100)}% ranges given how sure the shop's model is: churn risk{" "}
          {range(intervals.pAlive && [1 - intervals.pAlive[1], 1 - intervals.pAlive[0]], percent)} · orders in the next {horizonDays} days{" "}
          {range(intervals.expectedPurchases, (v) => v.toFixed(1))} · order value {range(intervals.expectedOrderValue, (v) => formatMoney(Math.round(v), currency))}. {trust.headline}.
        </Text>
      ) : (
        <Text as="p" variant="bodySm" tone="subdued">
          No orders yet: nothing to predict from.
        </Text>
      )}
    </BlockStack>
  );
}
