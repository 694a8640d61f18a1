import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { shopOverview } from "~/shops/overview.server";
import { requireShop } from "~/admin/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return shopOverview(db(), shop);
}

const RESOURCE_LABELS: Record<string, string> = { products: "Products", customers: "Customers", orders: "Orders" };

export default function Home() {
  const { counts, backfill, inbox } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Campaign Pilot" />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            {(
              [
                ["Products", counts.products],
                ["Customers", counts.customers],
                ["Subscribed to email", counts.subscribed],
                ["Orders", counts.orders],
              ] as const
            ).map(([label, value]) => (
              <Card key={label}>
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm" tone="subdued">
                    {label}
                  </Text>
                  <Text as="p" variant="headingLg">
                    {value.toLocaleString()}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Store data sync
              </Text>
              {backfill.length === 0 ? (
                <Text as="p" tone="subdued">
                  History import starts when the app is installed.
                </Text>
              ) : (
                backfill.map((run) => (
                  <BlockStack key={run.resource} gap="100">
                    <InlineGrid columns="1fr auto">
                      <Text as="span">{RESOURCE_LABELS[run.resource] ?? run.resource}</Text>
                      <Badge tone={run.status === "completed" ? "success" : run.status === "failed" ? "critical" : "info"}>
                        {run.status}
                      </Badge>
                    </InlineGrid>
                    <ProgressBar
                      size="small"
                      progress={run.status === "completed" ? 100 : run.total ? Math.min(100, (100 * run.processed) / run.total) : 5}
                    />
                    {run.error ? (
                      <Text as="p" tone="critical">
                        {run.error}
                      </Text>
                    ) : null}
                  </BlockStack>
                ))
              )}
              <Text as="p" tone="subdued">
                Webhooks waiting: {inbox.received} · failed: {inbox.failed}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
