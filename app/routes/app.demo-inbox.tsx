import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { demoInbox } from "~/admin/demo-inbox.server";
import { requireShop } from "~/admin/session.server";

// Demo mode only: the mail the local SMTP sink received, with each message's HTML in a sandboxed frame.

const querySchema = z.object({ id: z.string().regex(/^[\w-]+$/).nullable() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireShop(request);
  const query = querySchema.safeParse({ id: new URL(request.url).searchParams.get("id") });
  const inbox = await demoInbox(query.success ? query.data.id : null);
  if (!inbox) throw new Response("Not found", { status: 404 });
  return json(inbox);
}

const when = (iso: string) => new Date(iso).toLocaleString("en-GB");

export default function DemoInbox() {
  const { total, messages, selected } = useLoaderData<typeof loader>();
  return (
    <Page title="Demo inbox" subtitle={`${total} ${total === 1 ? "message" : "messages"} received by the demo's local SMTP server`}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: ["oneThird", "twoThirds"] }} gap="400">
            <Card padding="0">
              {messages.length === 0 ? (
                <Box padding="400">
                  <Text as="p" tone="subdued">
                    Nothing yet. Approve a suggested campaign and choose "Send now"; its emails arrive here.
                  </Text>
                </Box>
              ) : (
                messages.map((message) => (
                  <Box key={message.id} padding="300" borderBlockEndWidth="025" borderColor="border" background={message.id === selected?.id ? "bg-surface-selected" : undefined}>
                    <Link to={`?id=${message.id}`} style={{ color: "inherit", textDecoration: "none" }}>
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold" truncate>
                          {message.subject || "(no subject)"}
                        </Text>
                        <Text as="span" variant="bodySm" tone="subdued" truncate>
                          to {message.to.join(", ")} · {when(message.receivedAt)}
                        </Text>
                      </BlockStack>
                    </Link>
                  </Box>
                ))
              )}
            </Card>
            {selected ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {selected.subject}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    From {selected.from} to {selected.to.join(", ")} · {when(selected.receivedAt)}
                  </Text>
                  {/* No scripts, no same origin, no forms: the email is shown, never run. */}
                  <iframe title={selected.subject} sandbox="" srcDoc={selected.html || `<pre>${escapeHtml(selected.text)}</pre>`} style={{ width: "100%", height: "70vh", border: "1px solid #ddd", borderRadius: 8 }} />
                </BlockStack>
              </Card>
            ) : null}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
