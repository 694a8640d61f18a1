import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireShop } from "~/admin/session.server";
import { flowsOverview, saveFlowSettings } from "~/campaigns/flows.server";
import { useActionToast } from "~/components/use-action-toast";
import { db } from "~/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return json(await flowsOverview(db(), shop));
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShop(request);
  const form = await request.formData();
  const result = await saveFlowSettings(db(), shop, { welcomeEnabled: form.get("welcomeEnabled") ?? "", welcomeOfferPercent: form.get("welcomeOfferPercent") ?? "" });
  if (result.ok) return json({ ok: true, message: result.flows.welcome.enabled ? "Welcome series on" : "Welcome series off", fieldErrors: {} as Record<string, string> });
  return json({ ok: false, message: "Check the highlighted fields", fieldErrors: result.fieldErrors }, { status: 400 });
}

export default function Flows() {
  const { welcome, maxPercent, batches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result);
  const navigation = useNavigation();
  const [enabled, setEnabled] = useState(welcome.enabled);
  const [offer, setOffer] = useState(String(welcome.offerPercent));
  const errors = result?.fieldErrors ?? {};

  return (
    <Page title="Always-on flows" subtitle="Rules that run by themselves once you switch them on.">
      <TitleBar title="Always-on flows" />
      <Form method="post">
        <BlockStack gap="400">
          {result && !result.ok ? <Banner tone="critical">{result.message}</Banner> : null}
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Welcome series
              </Text>
              <Text as="p">
                Everyone who subscribes to your emails after you switch this on gets three emails over a week: a welcome at once, your story on day 2, and a nudge to a
                first order on day 6. Switching it on approves these emails: each hourly batch is written, checked by the guardrails and sent to each person&apos;s own
                sequence. A batch whose copy a guardrail blocks waits for your review instead.
              </Text>
              <Checkbox label="Send the welcome series to new subscribers" checked={enabled} onChange={setEnabled} />
              {enabled ? <input type="hidden" name="welcomeEnabled" value="on" /> : null}
              <TextField
                label="Welcome offer on the last email (percent off, 0 for none)"
                name="welcomeOfferPercent"
                type="number"
                min={0}
                value={offer}
                onChange={setOffer}
                autoComplete="off"
                helpText={maxPercent > 0 ? `Your discount policy allows up to ${maxPercent}%.` : "Your discount policy allows no discounts."}
                error={errors.welcomeOfferPercent}
              />
              {welcome.enabledAt ? (
                <Text as="p" tone="subdued">
                  On since {new Date(welcome.enabledAt).toUTCString()}.
                </Text>
              ) : null}
            </BlockStack>
          </Card>
          {batches.length ? (
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Latest welcome batches
                </Text>
                <List>
                  {batches.map((batch) => (
                    <List.Item key={batch.campaignId}>
                      <Link to={`/app/campaigns/${batch.campaignId}`}>{batch.title}</Link>
                    </List.Item>
                  ))}
                </List>
              </BlockStack>
            </Card>
          ) : null}
          <InlineStack align="end">
            <Button submit variant="primary" loading={navigation.state !== "idle"}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Page>
  );
}
