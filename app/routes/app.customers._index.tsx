import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, IndexTable, InlineStack, Link, Page, Pagination, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { customerQuerySchema, listCustomers } from "~/admin/customers.server";
import { requireShop } from "~/admin/session.server";
import { PredictionTrust } from "~/components/prediction-trust";
import { formatMoney } from "~/components/money";
import { db } from "~/db.server";
import { ensureShop } from "~/shops/shops.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const query = customerQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const [list, shopRow] = await Promise.all([listCustomers(db(), shop, query.success ? query.data : customerQuerySchema.parse({})), ensureShop(db(), shop)]);
  return { ...list, currency: shopRow.currencyCode };
}

const STAGES = ["all", "new", "active", "loyal", "vip", "at_risk", "lapsed", "lost"];

export default function Customers() {
  const { rows, page, pages, model, currency, total, trust } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [q, setQ] = useState(params.get("q") ?? "");
  const update = (changes: Record<string, string>) => setParams({ ...Object.fromEntries(params), page: "1", ...changes });
  return (
    <Page title="Customers" subtitle={`${total.toLocaleString()} customers`}>
      <TitleBar title="Customers" />
      <BlockStack gap="400">
        <PredictionTrust trust={trust} note={model?.note ?? null} />
        <Card padding="0">
          <div style={{ padding: 16 }}>
            <InlineStack gap="300" blockAlign="end">
              <div style={{ flex: 1 }} onKeyDown={(event) => event.key === "Enter" && update({ q })}>
                <TextField label="Search" labelHidden placeholder="Search by name or email, then Enter" value={q} onChange={setQ} autoComplete="off" />
              </div>
              <Select label="Stage" labelInline options={STAGES.map((s) => ({ label: s === "all" ? "All stages" : s.replace("_", " "), value: s }))} value={params.get("stage") ?? "all"} onChange={(stage) => update({ stage })} />
            </InlineStack>
          </div>
          <IndexTable
            resourceName={{ singular: "customer", plural: "customers" }}
            itemCount={rows.length}
            selectable={false}
            headings={[{ title: "Customer" }, { title: "Stage" }, { title: "Churn risk", alignment: "end" }, { title: "Value (CLV)", alignment: "end" }, { title: "Email consent" }]}
          >
            {rows.map((row, index) => (
              <IndexTable.Row id={row.id} key={row.id} position={index} onClick={() => navigate(`/app/customers/${row.id}`)}>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    {/* The row's primary link: keyboard and screen-reader users reach the customer through it. */}
                    <Link url={`/app/customers/${row.id}`} dataPrimaryLink monochrome removeUnderline>
                      <Text as="span" fontWeight="semibold">
                        {row.name}
                      </Text>
                    </Link>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {row.email}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.stage ? <Badge>{row.stage.replace("_", " ")}</Badge> : "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.churnRisk === null ? "—" : `${Math.round(row.churnRisk * 100)}%`}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.clv === null ? "—" : formatMoney(row.clv, currency)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={row.consent === "SUBSCRIBED" ? "success" : undefined}>{row.consent.toLowerCase().replace("_", " ")}</Badge>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          {pages > 1 ? (
            <div style={{ padding: 16 }}>
              <InlineStack align="center">
                <Pagination hasPrevious={page > 1} hasNext={page < pages} onPrevious={() => update({ page: String(page - 1) })} onNext={() => update({ page: String(page + 1) })} />
              </InlineStack>
            </div>
          ) : null}
        </Card>
      </BlockStack>
    </Page>
  );
}
