import { Badge, BlockStack, Card, InlineStack, List, Text } from "@shopify/polaris";

// The customer page's contact memory (ADR 017): the emails they got and what they did with them, and
// what the next campaigns hold back for them (products shown without a click, angles they ignore).

interface ReceivedRow {
  sendId: string;
  campaignTitle: string;
  step: number;
  sentAt: string;
  angle: string;
  purpose: string | null;
  subject: string | null;
  subjectStyle: string | null;
  products: string[];
  outcome: string;
  clicked: string[];
  ordered: string[];
}

export interface MemoryView {
  received: ReceivedRow[];
  heldBack: Array<{ productId: string; title: string; because: string; until: string }>;
  angles: Array<{ angle: string; label: string; emails: number; clicked: number; ordered: number; effect: string; next: string; excludedUntil: string | null }>;
  unsubscribed: boolean;
  settings: { productWindowDays: number; fatigueAfter: number; lookbackDays: number };
}

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" });
const OUTCOME_TONES: Record<string, "success" | "info" | "critical" | undefined> = { ordered: "success", clicked: "info", unsubscribed: "critical" };

export function ContactMemoryCard({ memory }: { memory: MemoryView }) {
  const { settings } = memory;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          What they received, and how they responded
        </Text>
        {memory.received.length ? (
          <BlockStack gap="200">
            {memory.received.map((row) => (
              <BlockStack key={row.sendId} gap="050">
                <InlineStack gap="200" blockAlign="center" wrap>
                  <Text as="span" fontWeight="semibold">
                    {day(row.sentAt)}
                  </Text>
                  <Text as="span">
                    {row.campaignTitle}, email {row.step + 1} ({row.purpose ?? row.angle})
                  </Text>
                  <Badge tone={OUTCOME_TONES[row.outcome]}>{row.outcome}</Badge>
                  {row.clicked.length ? <Text as="span">on {row.clicked.join(", ")}</Text> : null}
                  {row.ordered.length ? <Text as="span">bought {row.ordered.join(", ")}</Text> : null}
                </InlineStack>
                <Text as="p" tone="subdued" variant="bodySm">
                  {row.subject ? `“${row.subject}” (${row.subjectStyle}) · ` : ""}
                  {row.products.length ? `showed ${row.products.join(", ")}` : "no products"}
                </Text>
              </BlockStack>
            ))}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            No emails in the last {settings.lookbackDays} days.
          </Text>
        )}
        <Text as="h3" variant="headingSm">
          What the next campaigns do with them
        </Text>
        {memory.unsubscribed ? (
          <Text as="p">Unsubscribed through one of our emails: no marketing email goes to them.</Text>
        ) : null}
        {memory.heldBack.length || memory.angles.some((angle) => angle.effect !== "none") ? (
          <List>
            {memory.heldBack.map((item) => (
              <List.Item key={item.productId}>
                <b>{item.title}</b>: {item.because}; not shown again until {day(item.until)} unless a campaign is about it
              </List.Item>
            ))}
            {memory.angles
              .filter((angle) => angle.effect !== "none")
              .map((angle) => (
                <List.Item key={angle.angle}>
                  {angle.next}
                  {angle.excludedUntil ? ` (until ${day(angle.excludedUntil)}, or sooner if they click one)` : ""}
                </List.Item>
              ))}
          </List>
        ) : (
          <Text as="p" tone="subdued">
            Nothing: products are held back for {settings.productWindowDays} days after an email without a click, and an angle after {settings.fatigueAfter} ignored emails in a row.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
