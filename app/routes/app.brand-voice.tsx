import { useActionToast } from "~/components/use-action-toast";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineGrid, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { sampleInVoice, saveBrandVoice } from "~/admin/brand-voice.server";
import { requireShop } from "~/admin/session.server";
import { TONE_PRESETS } from "~/campaigns/brand-voice";
import { db } from "~/db.server";
import { loadShopSettings } from "~/shops/settings.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const settings = await loadShopSettings(db(), shop);
  return json({ voice: settings.brandVoice, holdoutPercent: settings.holdoutPercent, autoApprove: settings.autoApprove });
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShop(request);
  const form = await request.formData();
  if (form.get("intent") === "preview") return json({ kind: "preview" as const, preview: await sampleInVoice(db(), shop, form) });
  const saved = await saveBrandVoice(db(), shop, form);
  return json({ kind: "save" as const, ...saved }, { status: saved.ok ? 200 : 400 });
}

type Values = Record<string, string | boolean>;

export default function BrandVoice() {
  const { voice, holdoutPercent, autoApprove } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result, (r) => (r.kind === "save" ? { ok: r.ok, message: r.ok ? "Brand voice saved" : "Check the highlighted fields" } : null));
  const navigation = useNavigation();
  const preview = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = result?.kind === "save" && !result.ok ? result.fieldErrors : {};
  const [values, setValues] = useState<Values>({
    tonePreset: voice.tone.preset,
    toneDescription: voice.tone.description,
    prefer: voice.vocabulary.prefer.join("\n"),
    avoid: voice.vocabulary.avoid.join("\n"),
    banned: voice.bannedWords.join("\n"),
    sampleCopy: voice.sampleCopy[0] ?? "",
    senderName: voice.sender.name,
    senderEmail: voice.sender.email ?? "",
    replyTo: voice.sender.replyTo ?? "",
    physicalAddress: voice.physicalAddress,
    maxPercent: String(voice.discountPolicy.maxPercent),
    allowEscalation: voice.discountPolicy.allowEscalation,
    frequencyCap: String(voice.sending.frequencyCap),
    capWindowDays: String(voice.sending.capWindowDays),
    quietStart: String(voice.sending.quietHours.start),
    quietEnd: String(voice.sending.quietHours.end),
    languages: voice.languages.join("\n"),
    holdoutPercent: String(holdoutPercent),
    autoApprovePromotional: autoApprove.promotional,
    autoApproveWinback: autoApprove.winback,
    autoApproveCartRecovery: autoApprove.cart_recovery,
  });
  const set = (name: string) => (value: string | boolean) => setValues((current) => ({ ...current, [name]: value }));
  const text = (name: string, label: string, extra: { multiline?: number; helpText?: string; type?: "email" | "number" } = {}) => (
    <TextField name={name} label={label} value={String(values[name])} onChange={set(name)} autoComplete="off" error={errors[name]} {...extra} />
  );

  const { submit } = preview;
  const refreshPreview = useCallback(() => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    data.set("intent", "preview");
    submit(data, { method: "post" });
  }, [submit]);
  useEffect(() => {
    const timer = setTimeout(refreshPreview, 400);
    return () => clearTimeout(timer);
  }, [values, refreshPreview]);
  const sample = preview.data?.kind === "preview" ? preview.data.preview : null;

  return (
    <Page title="Brand voice" subtitle="How your campaigns sound, and what they may promise.">
      <TitleBar title="Brand voice" />
      <Form method="post" ref={formRef} data-save-bar data-discard-confirmation>
        {/* Checkboxes post only when on; the hidden fields carry their state explicitly. */}
        {(["allowEscalation", "autoApprovePromotional", "autoApproveWinback", "autoApproveCartRecovery"] as const).map((name) =>
          values[name] ? <input key={name} type="hidden" name={name} value="on" /> : null,
        )}
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result?.kind === "save" ? (
                <Banner tone={result.ok ? "success" : "critical"}>{result.ok ? "Saved: new campaigns use this voice" : "Check the highlighted fields"}</Banner>
              ) : null}
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Tone
                  </Text>
                  <Select
                    name="tonePreset"
                    label="Tone"
                    options={TONE_PRESETS.map((preset) => ({ label: preset[0].toUpperCase() + preset.slice(1), value: preset }))}
                    value={String(values.tonePreset)}
                    onChange={set("tonePreset")}
                  />
                  {text("toneDescription", "In your words", { multiline: 2, helpText: "e.g. like a friend who knows ceramics; never pushy" })}
                  <InlineGrid columns={3} gap="300">
                    {text("prefer", "Words to use", { multiline: 3, helpText: "One per line" })}
                    {text("avoid", "Words to avoid", { multiline: 3, helpText: "Flagged when used" })}
                    {text("banned", "Never say", { multiline: 3, helpText: "Blocks a draft" })}
                  </InlineGrid>
                  {text("sampleCopy", "Copy you like (a style reference)", { multiline: 3 })}
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Sender and footer
                  </Text>
                  <InlineGrid columns={3} gap="300">
                    {text("senderName", "Sender name")}
                    {text("senderEmail", "Sender address", { type: "email" })}
                    {text("replyTo", "Reply-to", { type: "email" })}
                  </InlineGrid>
                  {text("physicalAddress", "Postal address (printed in every email)")}
                  {text("languages", "Languages", { multiline: 2, helpText: "Codes like en or de-AT, one per line; the first is the default" })}
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Rules every campaign follows
                  </Text>
                  <InlineGrid columns={3} gap="300">
                    {text("maxPercent", "Largest discount (%)", { type: "number", helpText: "0 forbids discounts" })}
                    {text("frequencyCap", "Emails per customer", { type: "number" })}
                    {text("capWindowDays", "…within days", { type: "number" })}
                  </InlineGrid>
                  <Checkbox label="Offers may rise within a sequence (never above the largest discount)" checked={Boolean(values.allowEscalation)} onChange={set("allowEscalation")} />
                  <InlineGrid columns={3} gap="300">
                    {text("quietStart", "Quiet from (hour)", { type: "number" })}
                    {text("quietEnd", "Quiet until (hour)", { type: "number" })}
                    {text("holdoutPercent", "Holdout (% kept back to measure lift)", { type: "number" })}
                  </InlineGrid>
                  <Text as="h3" variant="headingSm">
                    Send without my review (still visible and stoppable)
                  </Text>
                  <InlineGrid columns={3} gap="300">
                    <Checkbox label="Promotional" checked={Boolean(values.autoApprovePromotional)} onChange={set("autoApprovePromotional")} />
                    <Checkbox label="Win-back" checked={Boolean(values.autoApproveWinback)} onChange={set("autoApproveWinback")} />
                    <Checkbox label="Cart recovery" checked={Boolean(values.autoApproveCartRecovery)} onChange={set("autoApproveCartRecovery")} />
                  </InlineGrid>
                </FormLayout>
              </Card>
              <Box>
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Save brand voice
                </Button>
              </Box>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Live preview
                </Text>
                {sample?.ok ? (
                  <>
                    <Text as="p">
                      <b>{sample.subject}</b>
                    </Text>
                    <iframe title="Sample email in this voice" sandbox="" srcDoc={sample.html} style={{ width: "100%", height: 640, border: "1px solid #e3e3e3", borderRadius: 8 }} />
                  </>
                ) : sample ? (
                  <Banner tone="warning">{sample.message}</Banner>
                ) : (
                  <Text as="p" tone="subdued">
                    Writing a sample…
                  </Text>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
