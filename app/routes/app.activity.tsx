import { useActionToast } from "~/components/use-action-toast";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, Layout, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { activity, retryDelivery } from "~/admin/activity.server";
import { requireShop } from "~/admin/session.server";
import { BudgetMoves } from "~/components/budget-moves";
import { db } from "~/db.server";
import { jobQueue } from "~/jobs/runtime.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return json(await activity(db(), shop));
}

const retrySchema = z.object({ webhookEventId: z.string().min(1) });

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShop(request);
  const parsed = retrySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false, message: "Nothing to retry" }, { status: 400 });
  const retried = await retryDelivery(db(), jobQueue(), shop, parsed.data.webhookEventId);
  return json({ ok: retried, message: retried ? "Queued again" : "That delivery is not failed any more" }, { status: retried ? 200 : 409 });
}

const when = (value: string | null) => (value ? new Date(value).toLocaleString() : "");

export default function Activity() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result);
  return (
    <Page title="Activity">
      <TitleBar title="Activity" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result ? <Banner tone={result.ok ? "success" : "warning"}>{result.message}</Banner> : null}
            <InlineGrid columns={3} gap="400">
              <Summary title="Webhooks" counts={data.inbox} />
              <Summary title="Jobs" counts={data.jobs} />
              <Summary title="Emails" counts={data.sendCounts} />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Failed webhook deliveries
                </Text>
                {data.failed.length === 0 ? (
                  <Text as="p" tone="subdued">
                    None: every delivery was applied.
                  </Text>
                ) : (
                  data.failed.map((event) => (
                    <InlineGrid key={event.id} columns="1fr auto" gap="200">
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold">
                          {event.topic} · {when(event.receivedAt)}
                        </Text>
                        <Text as="span" tone="critical" variant="bodySm">
                          {event.lastError}
                        </Text>
                      </BlockStack>
                      <Form method="post">
                        <input type="hidden" name="webhookEventId" value={event.id} />
                        <Button submit>Retry</Button>
                      </Form>
                    </InlineGrid>
                  ))
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Sent mail
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Recipient", "Campaign", "Status", "When / why"]}
                  rows={data.sends.map((send) => [
                    <Link key={send.id} url={`/app/sends/${send.id}`}>
                      {send.email}
                    </Link>,
                    `${send.campaign} (email ${send.step + 1})`,
                    send.status,
                    send.status === "sent" ? when(send.sentAt) : (send.skipReason ?? send.lastError ?? ""),
                  ])}
                />
              </BlockStack>
            </Card>
            <BudgetMoves rows={data.budgetMoves} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Latest webhooks
              </Text>
              {data.recent.length === 0 ? (
                <Text as="p" tone="subdued">
                  None received yet.
                </Text>
              ) : null}
              {data.recent.map((event) => (
                <InlineGrid key={event.id} columns="1fr auto">
                  <Text as="span" variant="bodySm">
                    {event.topic}
                  </Text>
                  <Badge tone={event.status === "failed" ? "critical" : event.status === "processed" ? "success" : undefined}>{event.status}</Badge>
                </InlineGrid>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Summary({ title, counts }: { title: string; counts: Record<string, number> }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <Text as="p" tone="subdued">
          {Object.entries(counts).map(([status, n]) => `${status} ${n}`).join(" · ") || "none yet"}
        </Text>
      </BlockStack>
    </Card>
  );
}
