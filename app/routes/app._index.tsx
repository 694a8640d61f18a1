import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, Divider, EmptyState, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { requireShop } from "~/admin/session.server";
import { BarChart } from "~/components/bar-chart";
import { SystemHealthCard } from "~/components/system-health-card";
import { formatMoney } from "~/components/money";
import { db } from "~/db.server";
import { systemHealth } from "~/health/system-health.server";
import { shopOverview } from "~/shops/overview.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const [overview, health] = await Promise.all([shopOverview(db(), shop), systemHealth(db(), shop)]);
  // The theme editor opens with the app embed switched on; the merchant only has to press Save.
  const themeEditorUrl = `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${process.env.SHOPIFY_API_KEY ?? ""}/browse-capture`;
  // Opens the product template with the "Back in stock alert" block being added to the main section.
  const backInStockBlockUrl = `https://${shop}/admin/themes/current/editor?template=product&addAppBlockId=${process.env.SHOPIFY_API_KEY ?? ""}/back-in-stock&target=mainSection`;
  return { ...overview, health, themeEditorUrl, backInStockBlockUrl };
}

const RESOURCE_LABELS: Record<string, string> = { products: "Products", customers: "Customers", orders: "Orders" };

export default function Home() {
  const { counts, backfill, inbox, totals, daily, currency, waiting, opportunities, storefront, stockAlerts, health, themeEditorUrl, backInStockBlockUrl } =
    useLoaderData<typeof loader>();
  const money = (minor: number) => formatMoney(minor, currency);
  const count = (value: number) => value.toLocaleString();
  const importing = backfill.some((run) => run.status !== "completed" && run.status !== "failed");
  const metrics = [
    { label: "Attributed revenue", total: money(totals.revenue), key: "revenue", format: money },
    { label: "Emails sent", total: count(totals.sends), key: "sends", format: count },
    { label: "Clicks", total: count(totals.clicks), key: "clicks", format: count },
    { label: "Attributed orders", total: count(totals.orders), key: "orders", format: count },
  ] as const;

  return (
    <Page title="Overview" subtitle="The last 30 days">
      <TitleBar title="Campaign Pilot" />
      <Layout>
        {health.tone === "critical" ? (
          <Layout.Section>
            <Banner tone="critical" title="Something the app depends on is down">
              {health.lines.filter((line) => line.tone === "critical").map((line) => `${line.label}: ${line.summary}`).join(" · ")}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
            {metrics.map((metric) => (
              <Card key={metric.key}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm" tone="subdued">
                    {metric.label}
                  </Text>
                  <Text as="p" variant="headingXl">
                    {metric.total}
                  </Text>
                  <BarChart label={metric.label} points={daily.map((p) => ({ day: p.day, value: p[metric.key] }))} format={metric.format} />
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  Waiting for your approval
                </Text>
                <Link to="/app/campaigns">All campaigns</Link>
              </InlineStack>
              {waiting.length === 0 ? (
                <EmptyState heading="Nothing to approve" image="">
                  <p>New campaigns appear here when products arrive, stock changes, customers lapse or checkouts are abandoned.</p>
                </EmptyState>
              ) : (
                waiting.map((campaign) => (
                  <InlineStack key={campaign.id} align="space-between" blockAlign="center" wrap={false} gap="400">
                    <BlockStack gap="050">
                      <Link to={`/app/campaigns/${campaign.id}`} style={{ color: "inherit", fontWeight: 600 }}>
                        {campaign.title}
                      </Link>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {campaign.reason}
                      </Text>
                    </BlockStack>
                    <BlockStack gap="050" inlineAlign="end">
                      <Text as="span" numeric>
                        {money(campaign.predictedRevenue)}
                      </Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {campaign.audienceSize.toLocaleString()} {campaign.audienceSize === 1 ? "recipient" : "recipients"}
                      </Text>
                    </BlockStack>
                  </InlineStack>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SystemHealthCard tone={health.tone} lines={health.lines} />

            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Noticed, no campaign yet
                </Text>
                {opportunities.length === 0 ? (
                  <Text as="p" tone="subdued">
                    Every opportunity noticed so far has a campaign waiting. The app watches products, stock, prices, customers and checkouts.
                  </Text>
                ) : (
                  opportunities.map((opportunity) => (
                    <BlockStack key={opportunity.id} gap="050">
                      <Text as="span" fontWeight="semibold">
                        {opportunity.title}
                      </Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {opportunity.reason}
                      </Text>
                    </BlockStack>
                  ))
                )}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Storefront tracking
                </Text>
                {storefront.eventsLast24h > 0 ? (
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone="success">On</Badge>
                    <Text as="span">{storefront.eventsLast24h.toLocaleString()} browsing events in the last 24 hours</Text>
                  </InlineStack>
                ) : (
                  <BlockStack gap="200">
                    <InlineStack gap="200" blockAlign="center">
                      <Badge tone="attention">{storefront.lastEventAt ? "Quiet" : "Off"}</Badge>
                      <Text as="span" tone="subdued">
                        {storefront.lastEventAt
                          ? `No events since ${new Date(storefront.lastEventAt).toLocaleDateString()}`
                          : "Turn on the app embed so campaigns can use what shoppers browse."}
                      </Text>
                    </InlineStack>
                    <Button url={themeEditorUrl} target="_blank">
                      Enable in theme editor
                    </Button>
                  </BlockStack>
                )}
                <Divider />
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Waiting for a restock
                  </Text>
                  {stockAlerts.pending === 0 ? (
                    <BlockStack gap="200">
                      <Text as="p" tone="subdued">
                        No shopper has asked to hear when a product is back. The &ldquo;Back in stock alert&rdquo; block lets them ask on sold-out products.
                      </Text>
                      <Button url={backInStockBlockUrl} target="_blank">
                        Add to product pages
                      </Button>
                    </BlockStack>
                  ) : (
                    <>
                      <Text as="p">
                        {count(stockAlerts.pending)} {stockAlerts.pending === 1 ? "request" : "requests"} for {count(stockAlerts.products)}{" "}
                        {stockAlerts.products === 1 ? "product" : "products"}
                      </Text>
                      {stockAlerts.top.map((product) => (
                        <InlineStack key={product.productId} align="space-between" wrap={false} gap="200">
                          <Text as="span" truncate>
                            {product.title}
                          </Text>
                          <Text as="span" numeric tone="subdued">
                            {count(product.pending)} waiting
                          </Text>
                        </InlineStack>
                      ))}
                    </>
                  )}
                </BlockStack>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Store data
                </Text>
                <Text as="p" tone="subdued">
                  {count(counts.products)} products · {count(counts.customers)} customers ({count(counts.subscribed)} subscribed) ·{" "}
                  {count(counts.orders)} orders
                </Text>
                {backfill.length === 0 ? (
                  <Text as="p" tone="subdued">
                    History import starts when the app is installed.
                  </Text>
                ) : (
                  backfill.map((run) => (
                    <BlockStack key={run.resource} gap="100">
                      <InlineStack align="space-between">
                        <Text as="span">{RESOURCE_LABELS[run.resource] ?? run.resource}</Text>
                        <Badge tone={run.status === "completed" ? "success" : run.status === "failed" ? "critical" : "info"}>{run.status}</Badge>
                      </InlineStack>
                      <ProgressBar
                        size="small"
                        tone={run.status === "failed" ? "critical" : "primary"}
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
                {importing ? <Text as="p" tone="subdued">Suggestions improve as history arrives.</Text> : null}
                {inbox.failed > 0 ? (
                  <Banner tone="warning">
                    {inbox.failed} webhook(s) failed. <Link to="/app/activity">Review and retry</Link>
                  </Banner>
                ) : (
                  <Text as="p" tone="subdued">
                    Webhooks waiting: {inbox.received}
                  </Text>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
