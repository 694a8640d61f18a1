import { Stat } from "~/components/stat";
import { useActionToast } from "~/components/use-action-toast";
import { EDITABLE_STATES, type CampaignState } from "~/campaigns/state-machine";
import { countedReason } from "~/campaigns/audience-reasons";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { runCampaignAction } from "~/admin/campaign-actions.server";
import { editStep } from "~/admin/campaign-edits.server";
import { campaignReview, sendTest, testSendSchema } from "~/admin/campaigns.server";
import { requireShop } from "~/admin/session.server";
import { HoldoutControl } from "~/components/holdout-control";
import { DraftEditor } from "~/components/draft-editor";
import { CampaignNotices } from "~/components/campaign-notices";
import { IncrementalRevenue } from "~/components/incremental-revenue";
import { formatMoney, KIND_LABELS, STATUS_TONES } from "~/components/money";
import { PerformanceCard } from "~/components/performance-card";
import { RecipientPreview } from "~/components/recipient-preview";
import { SegmentPicker } from "~/components/segment-picker";
import { db } from "~/db.server";
import { jobQueue } from "~/jobs/runtime.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const review = await campaignReview(db(), shop, params.id ?? "");
  if (!review) throw new Response("Campaign not found", { status: 404 });
  return json(review);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, staff } = await requireShop(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = params.id ?? "";
  if (intent === "edit") {
    const result = await editStep(db(), shop, id, {
      step: form.get("step"),
      segment: form.get("segment") ?? undefined,
      subjects: form.getAll("subjects").map(String).filter((s) => s.trim()),
      previewText: form.get("previewText"),
      headline: form.get("headline"),
      body: String(form.get("body") ?? "").split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
      callToAction: form.get("callToAction"),
    }, staff);
    if (result.ok) return json({ ok: true, message: `Saved as version ${result.versionNumber}`, fieldErrors: {} });
    const fieldErrors = result.error.kind === "invalid" ? result.error.fieldErrors : {};
    return json({ ok: false, message: result.error.kind === "not_editable" ? `A ${result.error.status} campaign cannot be edited` : "Check the highlighted fields", fieldErrors }, { status: result.error.kind === "not_found" ? 404 : 400 });
  }
  if (intent === "test") {
    const parsed = testSendSchema.safeParse({ email: form.get("email"), step: form.get("step") ?? 0 });
    if (!parsed.success) return json({ ok: false, message: "Enter an email address", fieldErrors: { email: "Enter an email address" } }, { status: 400 });
    const result = await sendTest(db(), shop, id, parsed.data);
    return json({ ok: result.ok, message: result.message, fieldErrors: {} }, { status: result.ok ? 200 : 400 });
  }
  const result = await runCampaignAction(db(), jobQueue(), shop, id, Object.fromEntries(form), staff);
  return json({ ok: result.ok, message: result.message, fieldErrors: result.ok ? {} : (result.fieldErrors ?? {}) }, { status: result.ok ? 200 : 400 });
}

function describeDelay(hours: number): string {
  if (hours === 0) return "at once";
  return hours < 48 ? `after ${hours} h` : `after ${Math.round(hours / 24)} days`;
}

export default function CampaignReview() {
  const review = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const { campaign, content, plan, findings, audience, allowed } = review;
  const [step, setStep] = useState(0);
  // Which segment's draft is shown (null: the general one); the first segment when there are any.
  const [segment, setSegment] = useState<string | null>(review.segmentation.segments[0]?.id ?? null);
  const stepContent = content.steps[step];
  const draft = (segment ? stepContent?.segments?.[segment]?.draft : undefined) ?? stepContent?.draft;
  const shownSegment = segment && stepContent?.segments?.[segment] ? segment : null;
  const blocking = findings.filter((f) => f.severity === "block");
  const warnings = findings.filter((f) => f.severity === "warn");
  const errors = (result && "fieldErrors" in result ? result.fieldErrors : {}) as Record<string, string>;
  // Once sending has started the content is what recipients got: shown, no longer edited.
  const editable = EDITABLE_STATES.includes(campaign.status as CampaignState);

  return (
    <Page
      backAction={{ content: "Campaigns", url: "/app/campaigns" }}
      title={campaign.title}
      titleMetadata={<Badge tone={STATUS_TONES[campaign.status]}>{campaign.status.replace("_", " ")}</Badge>}
      subtitle={campaign.reason}
    >
      <TitleBar title={campaign.title} />
      <BlockStack gap="400">
        {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
        <CampaignNotices delivery={review.delivery} copy={review.copyProvenance} />
        {blocking.length ? (
          <Banner tone="critical" title={`${blocking.length} guardrail finding(s) block approval`}>
            <List>
              {blocking.map((f, i) => (
                <List.Item key={i}>
                  {f.message} <Text as="span" tone="subdued">({f.field}{f.evidence ? `: “${f.evidence}”` : ""})</Text>
                </List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <InlineGrid columns={3} gap="300">
                    <Stat label="Type" value={KIND_LABELS[campaign.kind] ?? campaign.kind} />
                    <Stat label="Audience" value={campaign.audienceSize.toLocaleString()} />
                    <Stat label="Predicted revenue" value={formatMoney(campaign.predictedRevenue, campaign.currency)} />
                  </InlineGrid>
                  <Divider />
                  <Text as="h3" variant="headingSm">
                    Sequence
                  </Text>
                  <List type="number">
                    {plan.steps.map((s, i) => (
                      <List.Item key={i}>
                        Email {i + 1} {describeDelay(s.delayHours)}
                        {s.offerPercent ? `, with a ${s.offerPercent}% single-use code` : ""}
                        {plan.goal?.steps[i] ? (
                          <Text as="span" tone="subdued">
                            {" "}
                            {plan.goal.steps[i].purpose ? `(${plan.goal.steps[i].purpose.replaceAll("_", " ")}): ` : ""}
                            {plan.goal.steps[i].reasoning}
                          </Text>
                        ) : null}
                      </List.Item>
                    ))}
                  </List>
                  {plan.goal ? (
                    <Text as="p" tone="subdued">
                      {plan.goal.timingReasoning}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>

              {review.performance ? <PerformanceCard review={review.performance} /> : null}

              <Card padding="0">
                <Tabs tabs={content.steps.map((_, i) => ({ id: `step-${i}`, content: `Email ${i + 1}` }))} selected={step} onSelect={setStep} />
                {draft ? (
                  <Box padding="400">
                    <BlockStack gap="400">
                      <SegmentPicker
                        note={review.segmentation.note}
                        segments={review.segmentation.segments}
                        rest={review.segmentation.rest}
                        brandTone={review.brandTone}
                        selected={shownSegment}
                        onSelect={setSegment}
                      />
                      <DraftEditor draft={draft} step={step} segment={shownSegment} versionNumber={review.versionNumber} editable={editable} busy={busy} errors={errors} />
                    </BlockStack>
                  </Box>
                ) : (
                  <Box padding="400">
                    <Text as="p">No content for this step.</Text>
                  </Box>
                )}
              </Card>

              <RecipientPreview sample={audience.sample} step={step} variants={content.steps[step]?.subjectVariants.length ?? 1} />

              {warnings.length ? (
                <Card>
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      Guardrail notes
                    </Text>
                    <List>
                      {warnings.map((f, i) => (
                        <List.Item key={i}>
                          {f.message} <Text as="span" tone="subdued">({f.field})</Text>
                        </List.Item>
                      ))}
                    </List>
                  </BlockStack>
                </Card>
              ) : null}
            </BlockStack>
          </Layout.Section>

          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Actions allowed={allowed} status={campaign.status} busy={busy} errors={errors} blocked={blocking.length > 0} />
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Who gets it
                  </Text>
                  <List>
                    {audience.reasons.map((r) => (
                      <List.Item key={r.reason}>
                        {countedReason(r.reason, r.count)}
                      </List.Item>
                    ))}
                  </List>
                  {Object.keys(audience.excluded).length ? (
                    <>
                      <Text as="p" tone="subdued">
                        Left out:
                      </Text>
                      <List>
                        {Object.entries(audience.excluded).map(([why, n]) => (
                          <List.Item key={why}>
                            {n} — {why}
                          </List.Item>
                        ))}
                      </List>
                    </>
                  ) : null}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Results
                  </Text>
                  <Text as="p">
                    Sent {review.sends.sent ?? 0} · waiting {review.sends.scheduled ?? 0} · skipped {review.sends.skipped ?? 0} · holdout {review.sends.holdout ?? 0}
                  </Text>
                  <HoldoutControl
                    percent={review.holdout.percent}
                    heldOut={review.holdout.heldOut}
                    recipients={campaign.audienceSize}
                    editable={review.holdout.editable}
                    error={errors.holdoutPercent}
                    busy={busy}
                  />
                  <IncrementalRevenue lift={review.lift} attributed={review.attributed} currency={campaign.currency} />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    History
                  </Text>
                  <List>
                    {review.transitions.map((t) => (
                      <List.Item key={t.id}>
                        {new Date(t.at).toLocaleString()}: {t.from} → {t.to} by {t.actor}
                        {t.reason ? ` (${t.reason})` : ""}
                      </List.Item>
                    ))}
                  </List>
                  <Text as="p" tone="subdued">
                    Version {review.versionNumber} of the content ({review.versions.length} kept).
                  </Text>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}


function Actions({ allowed, status, busy, errors, blocked }: { allowed: readonly string[]; status: string; busy: boolean; errors: Record<string, string>; blocked: boolean }) {
  const [reason, setReason] = useState("");
  const [date, setDate] = useState(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  const [time, setTime] = useState("10:00");
  const [testEmail, setTestEmail] = useState("");
  const canSend = allowed.includes("approved") || allowed.includes("scheduled");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Decide
        </Text>
        {canSend || status === "approved" ? (
          <InlineStack gap="200">
            {allowed.includes("approved") ? (
              <IntentButton intent="approve" variant="primary" disabled={blocked} loading={busy}>
                Approve
              </IntentButton>
            ) : null}
            <IntentButton intent="send_now" disabled={blocked} loading={busy}>
              {status === "approved" ? "Send now" : "Approve and send now"}
            </IntentButton>
          </InlineStack>
        ) : null}
        {canSend || status === "approved" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="schedule" />
            <BlockStack gap="200">
              <InlineGrid columns={2} gap="200">
                <TextField label="Date (shop time)" type="date" name="date" value={date} onChange={setDate} autoComplete="off" error={errors.date} />
                <TextField label="Time" type="time" name="time" value={time} onChange={setTime} autoComplete="off" error={errors.time} />
              </InlineGrid>
              <Button submit disabled={blocked} loading={busy}>
                Schedule
              </Button>
            </BlockStack>
          </Form>
        ) : null}
        {allowed.includes("paused") ? <IntentButton intent="pause">Pause sending</IntentButton> : null}
        {status === "paused" ? <IntentButton intent="resume">Resume</IntentButton> : null}
        {allowed.includes("rejected") ? (
          <Form method="post">
            <input type="hidden" name="intent" value={["scheduled", "sending", "paused"].includes(status) ? "cancel" : "reject"} />
            <BlockStack gap="200">
              <TextField label="Reason" name="reason" value={reason} onChange={setReason} autoComplete="off" error={errors.reason} />
              <Button submit tone="critical">
                {["scheduled", "sending", "paused"].includes(status) ? "Cancel campaign" : "Reject"}
              </Button>
            </BlockStack>
          </Form>
        ) : null}
        <Divider />
        <Form method="post">
          <input type="hidden" name="intent" value="test" />
          <BlockStack gap="200">
            <TextField label="Send a test to" type="email" name="email" value={testEmail} onChange={setTestEmail} autoComplete="email" error={errors.email} />
            <Button submit>Send test</Button>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}

function IntentButton({ intent, children, ...props }: { intent: string; children: string; variant?: "primary"; disabled?: boolean; loading?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button submit {...props}>
        {children}
      </Button>
    </Form>
  );
}
