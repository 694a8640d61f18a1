import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Page, Pagination, Select, Tabs, Text } from "@shopify/polaris";
import { listCampaigns, listQuerySchema } from "~/admin/campaigns.server";
import { requireShop } from "~/admin/session.server";
import { formatMoney, KIND_LABELS, STATUS_TONES } from "~/components/money";
import { db } from "~/db.server";

const TAB_ORDER = [
  { id: "review", content: "Waiting for approval" },
  { id: "scheduled", content: "Approved and sending" },
  { id: "sent", content: "Sent" },
  { id: "closed", content: "Rejected and expired" },
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const query = listQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  return listCampaigns(db(), shop, query.success ? query.data : listQuerySchema.parse({}));
}

export default function Campaigns() {
  const { rows, page, pages, tabCounts } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const tab = params.get("tab") ?? "review";
  const kind = params.get("kind") ?? "all";
  const update = (changes: Record<string, string>) => setParams({ ...Object.fromEntries(params), page: "1", ...changes });

  return (
    <Page
      title="Campaigns"
      subtitle="Suggested by what happens in your store; nothing goes out until you approve it."
      primaryAction={{ content: "New campaign", url: "/app/campaigns/new" }}
    >
      <TitleBar title="Campaigns" />
      <Card padding="0">
        <Tabs
          tabs={TAB_ORDER.map((t) => ({ id: t.id, content: `${t.content} (${tabCounts[t.id]})` }))}
          selected={Math.max(0, TAB_ORDER.findIndex((t) => t.id === tab))}
          onSelect={(index) => update({ tab: TAB_ORDER[index].id })}
        />
        <BlockStack gap="300">
          <InlineStack align="end">
            <div style={{ padding: "12px 16px 0" }}>
              <Select
                label="Type"
                labelInline
                options={[{ label: "All types", value: "all" }, ...Object.entries(KIND_LABELS).map(([value, label]) => ({ label, value }))]}
                value={kind}
                onChange={(value) => update({ kind: value })}
              />
            </div>
          </InlineStack>
          {rows.length === 0 ? (
            <EmptyState heading="Nothing here yet" image="">
              <p>New suggestions appear as products arrive, stock changes, customers lapse and checkouts are abandoned.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "campaign", plural: "campaigns" }}
              itemCount={rows.length}
              selectable={false}
              headings={[{ title: "Campaign" }, { title: "Type" }, { title: "Status" }, { title: "Audience", alignment: "end" }, { title: "Predicted revenue", alignment: "end" }]}
            >
              {rows.map((row, index) => (
                <IndexTable.Row id={row.id} key={row.id} position={index} onClick={() => navigate(`/app/campaigns/${row.id}`)}>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <Link to={`/app/campaigns/${row.id}`} style={{ color: "inherit", fontWeight: 600 }}>
                        {row.title}
                      </Link>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {row.reason}
                      </Text>
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{KIND_LABELS[row.kind] ?? row.kind}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={STATUS_TONES[row.status]}>{row.status.replace("_", " ")}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.audienceSize.toLocaleString()}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatMoney(row.predictedRevenue, row.currency)}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
          {pages > 1 ? (
            <InlineStack align="center">
              <Pagination
                hasPrevious={page > 1}
                hasNext={page < pages}
                onPrevious={() => update({ page: String(page - 1) })}
                onNext={() => update({ page: String(page + 1) })}
              />
            </InlineStack>
          ) : null}
        </BlockStack>
      </Card>
    </Page>
  );
}
