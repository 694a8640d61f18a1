import { Stat } from "~/components/stat";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, InlineGrid, Layout, List, Page, Text } from "@shopify/polaris";
import { customerDetail } from "~/admin/customers.server";
import { requireShop } from "~/admin/session.server";
import { ContactMemoryCard } from "~/components/contact-memory-card";
import { formatMoney } from "~/components/money";
import { PredictionRanges } from "~/components/prediction-trust";
import { db } from "~/db.server";
import { ensureShop } from "~/shops/shops.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const detail = await customerDetail(db(), shop, params.id ?? "");
  if (!detail) throw new Response("Customer not found", { status: 404 });
  return { ...detail, currency: (await ensureShop(db(), shop)).currencyCode };
}

export default function CustomerPage() {
  const { customer, insight, recommendations, sends, orders, stockAlerts, currency, modelNote, prediction, memory } = useLoaderData<typeof loader>();
  return (
    <Page backAction={{ content: "Customers", url: "/app/customers" }} title={customer.name || customer.email || `Customer ${customer.id}`} subtitle={customer.email ?? undefined}>
      <TitleBar title="Customer" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <InlineGrid columns={4} gap="300">
                <Stat label="Stage" value={insight?.stage?.replace("_", " ") ?? "—"} />
                <Stat label="Churn risk" value={insight?.pAlive === null || insight?.pAlive === undefined ? "—" : `${Math.round((1 - insight.pAlive) * 100)}%`} />
                <Stat label="Value (CLV)" value={insight?.clv === null || insight?.clv === undefined ? "—" : formatMoney(insight.clv, currency)} />
                <Stat label="Orders" value={String(orders)} />
              </InlineGrid>
              {insight?.stageReason ? (
                <Text as="p" tone="subdued">
                  {insight.stageReason}
                  {insight.expectedNextOrderAt ? ` · next order expected around ${new Date(insight.expectedNextOrderAt).toLocaleDateString()}` : ""}
                </Text>
              ) : null}
              {modelNote ? (
                <Text as="p" tone="subdued" variant="bodySm">
                  {modelNote}
                </Text>
              ) : null}
              <PredictionRanges prediction={prediction} currency={currency} />
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  What they like, and why we think so
                </Text>
                {insight?.topAffinities.length ? (
                  <List>
                    {insight.topAffinities.slice(0, 10).map((affinity) => (
                      <List.Item key={`${affinity.dimension}-${affinity.key}`}>
                        <b>{affinity.label}</b> ({affinity.dimensionLabel}): {affinity.explanation}
                      </List.Item>
                    ))}
                  </List>
                ) : (
                  <Text as="p" tone="subdued">
                    No signals yet.
                  </Text>
                )}
              </BlockStack>
            </Card>
            <ContactMemoryCard memory={memory} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Recommended for them
                </Text>
                {recommendations.length ? (
                  <List>
                    {recommendations.map((item) => (
                      <List.Item key={item.productId}>
                        {item.title} <Text as="span" tone="subdued">({item.why})</Text>
                      </List.Item>
                    ))}
                  </List>
                ) : (
                  <Text as="p" tone="subdued">
                    Recommendations appear after the first insights run.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Email consent
                </Text>
                <Badge tone={customer.consent === "SUBSCRIBED" ? "success" : undefined}>{customer.consent.toLowerCase().replace("_", " ")}</Badge>
                {customer.consentUpdatedAt ? (
                  <Text as="p" tone="subdued">
                    Since {new Date(customer.consentUpdatedAt).toLocaleDateString()}
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Messages
                </Text>
                {sends.length ? (
                  <List>
                    {sends.map((send) => (
                      <List.Item key={send.id}>
                        Email {send.step + 1}: {send.status}
                        {send.sentAt ? ` ${new Date(send.sentAt).toLocaleDateString()}` : ""}
                        {send.skipReason ? ` (${send.skipReason})` : ""}
                      </List.Item>
                    ))}
                  </List>
                ) : (
                  <Text as="p" tone="subdued">
                    None yet.
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Back-in-stock requests
                </Text>
                {stockAlerts.length ? (
                  <List>
                    {stockAlerts.map((alert) => (
                      <List.Item key={alert.id}>
                        {alert.title}
                        {alert.variantTitle ? ` (${alert.variantTitle})` : ""}: asked {new Date(alert.requestedAt).toLocaleDateString()},{" "}
                        {alert.notifiedAt ? `alerted ${new Date(alert.notifiedAt).toLocaleDateString()}` : "waiting"}
                        {!customer.email || alert.email !== customer.email.toLowerCase() ? (
                          <Text as="span" tone="subdued">
                            {" "}
                            · to {alert.email}
                          </Text>
                        ) : null}
                      </List.Item>
                    ))}
                  </List>
                ) : (
                  <Text as="p" tone="subdued">
                    None.
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

