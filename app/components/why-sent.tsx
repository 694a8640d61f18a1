import { Badge, BlockStack, Card, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import type { Why } from "~/delivery/why";

// Why a message went out (or did not): the opportunity, the audience rule, the products and the
// evidence behind them, the copy version, the guardrail results and the checks made before sending.

const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");

function describeReason(reason: Record<string, unknown>): string {
  const signal = String(reason.signal ?? "");
  const becauseOf = Array.isArray(reason.becauseOf) && reason.becauseOf.length ? ` (because of ${reason.becauseOf.join(", ")})` : "";
  const value = typeof reason.value === "string" ? `: ${reason.value}` : "";
  return `${signal.replace("_", " ")}${value}${becauseOf}`;
}

/** The audience evidence in words: the segment, the contact memory and held-back products (ADRs 016, 017) read as sentences. */
function describeEvidence(key: string, value: unknown, productTitles: Record<string, string>): string {
  const record = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (key === "segment" && record) return `Segment: ${String(record.interest)} (${String(record.because)}); this copy was written for it`;
  if (key === "memory" && record) return `Contact memory: ${String(record.because)} (score ×${Number(record.factor).toFixed(2)})`;
  if (key === "heldBack" && Array.isArray(value)) {
    return `Held back: ${value.map((item: { productId?: string; because?: string }) => `${productTitles[item.productId ?? ""] ?? item.productId}, ${item.because}`).join("; ")}`;
  }
  return `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`;
}

export function WhySent({ why, productTitles }: { why: Why; productTitles: Record<string, string> }) {
  const { opportunity, audience, products, copy, guardrails, checks, moves } = why;
  const evidence = Object.entries(audience.evidence).filter(([key]) => key !== "products");
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Decision
          </Text>
          <Text as="p">
            {why.outcome} · decided {when(why.decidedAt)}
          </Text>
          {moves.count > 0 ? (
            <Text as="p" tone="subdued">
              Moved {moves.count} time{moves.count === 1 ? "" : "s"} from {when(moves.plannedAt)}: {moves.lastReason}
            </Text>
          ) : null}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Opportunity and audience
          </Text>
          {opportunity ? (
            <Text as="p">
              {opportunity.title} ({opportunity.type.replace("_", " ")}): {opportunity.reason}
            </Text>
          ) : (
            <Text as="p" tone="subdued">
              Created without an opportunity.
            </Text>
          )}
          <Text as="p">
            Audience rule: {audience.rule} (score {audience.score.toFixed(2)})
          </Text>
          {evidence.length ? (
            <List>
              {evidence.map(([key, value]) => (
                <List.Item key={key}>{describeEvidence(key, value, productTitles)}</List.Item>
              ))}
            </List>
          ) : null}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Products and the evidence behind them
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={["Product", "Why it is in the email", "Signals"]}
            rows={products.map((product) => [
              productTitles[product.productId] ?? product.productId,
              product.because,
              (product.reasons ?? []).map(describeReason).join("; ") || "—",
            ])}
          />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Copy and guardrails
          </Text>
          <Text as="p">
            Content version {copy.versionNumber ?? "—"} by {copy.author ?? "—"} · email {copy.step + 1} · subject variant {copy.variant + 1}
            {copy.sources.length ? ` · written by ${[...new Set(copy.sources)].join(", ")}` : ""}
          </Text>
          {guardrails.length === 0 ? (
            <Text as="p" tone="subdued">
              Every guardrail passed.
            </Text>
          ) : (
            <List>
              {guardrails.map((finding, index) => (
                <List.Item key={index}>
                  <InlineStack gap="100">
                    <Badge tone={finding.severity === "block" ? "critical" : "attention"}>{finding.severity}</Badge>
                    <Text as="span">
                      {finding.rule}: {finding.message}
                    </Text>
                  </InlineStack>
                </List.Item>
              ))}
            </List>
          )}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Checks before sending
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={["Check", "Result", "Detail"]}
            rows={checks.map((check) => [check.check, check.passed ? "passed" : "blocked", check.detail])}
          />
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
