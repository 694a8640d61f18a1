import { Badge, BlockStack, Card, DataTable, Link, Text } from "@shopify/polaris";

// What the per-recipient budget did: messages moved to a later slot (frequency cap, quiet hours) and
// messages dropped because no allowed slot was left inside their window, each with its reason.

export interface BudgetMoveRow {
  id: string;
  email: string;
  campaign: string;
  step: number;
  outcome: "moved" | "sent later" | "dropped";
  plannedAt: string | null;
  scheduledAt: string;
  sentAt: string | null;
  moves: number;
  moveReason: string | null;
  skipReason: string | null;
}

const when = (value: string | null) => (value ? new Date(value).toLocaleString() : "—");

export function BudgetMoves({ rows }: { rows: BudgetMoveRow[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Moved and dropped by the sending budget
        </Text>
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            Nothing moved: every message went out at its planned time.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["Recipient", "Campaign", "Outcome", "Planned → now", "Why"]}
            rows={rows.map((row) => [
              <Link key={row.id} url={`/app/sends/${row.id}`}>
                {row.email}
              </Link>,
              `${row.campaign} (email ${row.step + 1})`,
              <Badge key={`${row.id}-o`} tone={row.outcome === "dropped" ? "critical" : row.outcome === "sent later" ? "success" : "attention"}>
                {row.outcome}
              </Badge>,
              `${when(row.plannedAt)} → ${row.outcome === "dropped" ? "dropped" : when(row.sentAt ?? row.scheduledAt)}`,
              row.outcome === "dropped" ? (row.skipReason ?? "") : (row.moveReason ?? ""),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
