import { Link } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import type { Metric, PerformanceReview } from "~/campaigns/performance";
import { formatMoney } from "~/components/money";

// The performance review of a campaign that has sent: its numbers against the shop's own history,
// per subject variant and per send hour, and what to do differently next time.

type Review = PerformanceReview & { currency: string; campaigns: number };

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

function Compared({ label, metric, format }: { label: string; metric: Metric; format: (value: number) => string }) {
  const better = metric.history !== null && metric.value >= metric.history;
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span" variant="headingMd">
        {format(metric.value)}
      </Text>
      <Text as="span" tone={metric.history === null ? "subdued" : better ? "success" : "critical"} variant="bodySm">
        {metric.history === null ? "no earlier campaigns to compare" : `${format(metric.history)} in your earlier campaigns`}
      </Text>
    </BlockStack>
  );
}

export function PerformanceCard({ review }: { review: Review }) {
  const money = (value: number) => formatMoney(Math.round(value), review.currency);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Performance review
        </Text>
        <InlineGrid columns={3} gap="300">
          <Compared label="Revenue per recipient" metric={review.revenuePerRecipient} format={money} />
          <Compared label="Click rate" metric={review.clickRate} format={pct} />
          <Compared label="Conversion rate" metric={review.conversionRate} format={pct} />
        </InlineGrid>
        {review.flags.map((flag, i) => (
          <Banner key={i} tone="warning" title={`Email ${flag.step + 1}: a weak subject line`}>
            <BlockStack gap="100">
              <Text as="p">{flag.message}</Text>
              <Text as="p">{flag.suggestion}</Text>
            </BlockStack>
          </Banner>
        ))}
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
          headings={["Email", "Subject", "Sends", "Click rate", "Conversion"]}
          rows={review.variants.filter((v) => v.sends > 0).map((v) => [String(v.step + 1), v.subject, v.sends, pct(v.clickRate), pct(v.conversionRate)])}
        />
        {review.hours.length ? (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Send hour (shop time)", "Sends", "Click rate"]}
            rows={review.hours.map((h) => [`${String(h.hour).padStart(2, "0")}:00${h.hour === review.bestHour ? " (best)" : ""}`, h.sends, pct(h.clickRate)])}
          />
        ) : null}
        <Text as="p" tone="subdued">
          {review.campaigns ? `Compared with ${review.campaigns} earlier campaign${review.campaigns === 1 ? "" : "s"} of your shop.` : "Your first sent campaign: later ones will be compared with it."} What this teaches is kept in <Link to="/app/learning">what we learned</Link>, and
          the next campaigns follow it.
        </Text>
      </BlockStack>
    </Card>
  );
}
