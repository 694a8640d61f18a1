import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { HealthLine, Tone } from "~/health/system-health";

// The home page's System health: one line per part (database, jobs, webhooks, email provider,
// copywriter, Redis in scale mode), each with its state in words and, when something is wrong,
// what it means for the merchant's data and mail.

const BADGE: Record<Tone, { tone: "success" | "warning" | "critical" | "info"; label: string }> = {
  success: { tone: "success", label: "OK" },
  warning: { tone: "warning", label: "Attention" },
  critical: { tone: "critical", label: "Down" },
  info: { tone: "info", label: "Info" },
};

export function SystemHealthCard({ tone, lines }: { tone: Tone; lines: HealthLine[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            System health
          </Text>
          <Badge tone={BADGE[tone].tone}>{tone === "success" ? "All working" : tone === "critical" ? "Something is down" : "Needs attention"}</Badge>
        </InlineStack>
        {lines.map((line) => (
          <BlockStack key={line.key} gap="050">
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Badge tone={BADGE[line.tone].tone} size="small">
                {BADGE[line.tone].label}
              </Badge>
              <Text as="span" fontWeight="semibold">
                {line.label}
              </Text>
            </InlineStack>
            <Text as="p" tone={line.tone === "critical" ? "critical" : undefined}>
              {line.summary}
            </Text>
            {line.detail ? (
              <Text as="p" tone="subdued" variant="bodySm">
                {line.detail}
              </Text>
            ) : null}
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
