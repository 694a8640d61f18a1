import { useActionToast } from "~/components/use-action-toast";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineGrid, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { connectEsp, integrationsPage, saveCopySettings } from "~/admin/integrations.server";
import { requireShop } from "~/admin/session.server";
import { db } from "~/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return json(await integrationsPage(db(), shop));
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShop(request);
  const form = await request.formData();
  const result = form.get("intent") === "copy" ? await saveCopySettings(db(), shop, form) : await connectEsp(db(), shop, form);
  return json({ intent: String(form.get("intent")), ...result }, { status: result.ok ? 200 : 400 });
}

const PROVIDERS = [
  { label: "SMTP (any relay)", value: "smtp" },
  { label: "SendGrid", value: "sendgrid" },
  { label: "Postmark", value: "postmark" },
  { label: "Mailchimp Transactional (Mandrill)", value: "mandrill" },
  { label: "Klaviyo", value: "klaviyo" },
];

const FIELDS: Record<string, Array<{ name: string; label: string; secret?: boolean; help?: string }>> = {
  smtp: [
    { name: "host", label: "Host" },
    { name: "port", label: "Port", help: "587 for STARTTLS, 465 for TLS" },
    { name: "user", label: "Username" },
    { name: "pass", label: "Password", secret: true },
  ],
  sendgrid: [
    { name: "apiKey", label: "API key", secret: true },
    { name: "webhookPublicKey", label: "Event webhook verification key" },
  ],
  postmark: [
    { name: "serverToken", label: "Server token", secret: true },
    { name: "messageStream", label: "Broadcast message stream", help: "Marketing mail must use a broadcast stream" },
  ],
  mandrill: [
    { name: "apiKey", label: "API key", secret: true },
    { name: "webhookKey", label: "Webhook key", secret: true },
  ],
  klaviyo: [
    { name: "privateApiKey", label: "Private API key", secret: true },
    { name: "metricName", label: "Metric that triggers your Klaviyo flow" },
    { name: "webhookSecret", label: "Webhook secret", secret: true },
  ],
};

export default function Integrations() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result);
  const busy = useNavigation().state !== "idle";
  const [provider, setProvider] = useState(page.connection?.provider ?? "smtp");
  const stored = (page.connection?.connection ?? {}) as Record<string, unknown>;
  const [fields, setFields] = useState<Record<string, string>>({});
  const [secure, setSecure] = useState(Boolean(stored.secure));
  const [copy, setCopy] = useState({ provider: page.copy.provider, model: page.copy.model, monthlyBudget: String(page.copy.monthlyBudgetMicros / 1_000_000) });
  const errors = (result && !result.ok ? result.fieldErrors : {}) as Record<string, string>;

  return (
    <Page title="Integrations">
      <TitleBar title="Integrations" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="esp" />
                <FormLayout>
                  <InlineGrid columns="1fr auto">
                    <Text as="h2" variant="headingMd">
                      Email provider
                    </Text>
                    {page.connection ? (
                      <Badge tone={page.connection.status === "verified" ? "success" : "critical"}>{page.connection.status}</Badge>
                    ) : (
                      <Badge>not connected</Badge>
                    )}
                  </InlineGrid>
                  {!page.encryptionConfigured ? <Banner tone="warning">The server has no ENCRYPTION_KEYS: credentials cannot be stored.</Banner> : null}
                  <Select name="provider" label="Provider" options={PROVIDERS} value={provider} onChange={setProvider} />
                  {FIELDS[provider].map((field) => (
                    <TextField
                      key={`${provider}-${field.name}`}
                      name={field.name}
                      label={field.label}
                      helpText={field.help}
                      type={field.secret ? "password" : "text"}
                      autoComplete="off"
                      value={fields[field.name] ?? (provider === page.connection?.provider ? String(stored[field.name] ?? "") : "")}
                      onChange={(value) => setFields((current) => ({ ...current, [field.name]: value }))}
                      error={errors[field.name]}
                    />
                  ))}
                  {provider === "smtp" ? <Checkbox label="Implicit TLS (port 465)" name="secure" checked={secure} onChange={setSecure} /> : null}
                  <Button submit variant="primary" loading={busy}>
                    Check and connect
                  </Button>
                  {page.eventWebhookUrl ? (
                    <Text as="p" tone="subdued">
                      Event webhook for bounces, complaints and clicks: {page.eventWebhookUrl}
                    </Text>
                  ) : null}
                </FormLayout>
              </Form>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="copy" />
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Copywriter
                  </Text>
                  <Select
                    name="provider"
                    label="Who writes the copy"
                    options={[
                      { label: "Built-in copywriter (no AI service)", value: "builtin" },
                      { label: "OpenAI (falls back to the built-in one)", value: "openai" },
                    ]}
                    value={copy.provider}
                    onChange={(value) => setCopy((c) => ({ ...c, provider: value as "builtin" | "openai" }))}
                  />
                  {copy.provider === "openai" && !page.openAiConfigured ? (
                    <Banner tone="warning">The server has no OPENAI_API_KEY, so the built-in copywriter will write.</Banner>
                  ) : null}
                  <InlineGrid columns={2} gap="300">
                    <TextField name="model" label="Model" value={copy.model} onChange={(value) => setCopy((c) => ({ ...c, model: value }))} autoComplete="off" error={errors.model} />
                    <TextField
                      name="monthlyBudget"
                      label="Monthly budget (USD)"
                      type="number"
                      value={copy.monthlyBudget}
                      onChange={(value) => setCopy((c) => ({ ...c, monthlyBudget: value }))}
                      autoComplete="off"
                      error={errors.monthlyBudget}
                      helpText={`Spent this month: $${(page.spentMicros / 1_000_000).toFixed(2)}`}
                    />
                  </InlineGrid>
                  <Button submit loading={busy}>
                    Save copywriter settings
                  </Button>
                </FormLayout>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Sending domain checklist
              </Text>
              <List>
                <List.Item>SPF: your provider's include in the TXT record of the sending domain.</List.Item>
                <List.Item>DKIM: the CNAME or TXT records your provider gives you, so mail is signed for your domain.</List.Item>
                <List.Item>DMARC: a TXT record at _dmarc (start with p=none and a reporting address).</List.Item>
                <List.Item>Send from an address on that domain (Brand voice → sender address).</List.Item>
                <List.Item>Keep the unsubscribe link: Gmail and Yahoo require one-click unsubscribe for bulk senders.</List.Item>
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
