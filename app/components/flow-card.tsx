import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, InlineGrid, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formatMoney, STATUS_TONES } from "./money";
import { Stat } from "./stat";

// One always-on flow on the flows page: what it does, its switch, 30 days of results, its latest
// batches and messages, and a stop.

export interface FlowCardData {
  id: string;
  label: string;
  trigger: string;
  exits: string;
  steps: Array<{ day: number; purpose: string | null; offer: boolean; reasoning: string }>;
  takesOver: string | null;
  settings: { enabled: boolean; autoApprove: boolean; offerPercent: number; enabledAt: string | null };
  performance: { enrolled: number; sent: number; clicked: number; orders: number; revenue: number; unsubscribed: number; clickRate: number | null; conversionRate: number | null; revenuePerRecipient: number | null };
  batches: Array<{ id: string; title: string; status: string; audienceSize: number; createdAt: string }>;
  messages: Array<{ id: string; email: string; step: number; sentAt: string | null; campaignId: string }>;
  scheduled: number;
  waiting: number;
}

const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);

export function FlowCard({ flow, maxPercent, currency, performanceDays, errors }: { flow: FlowCardData; maxPercent: number; currency: string; performanceDays: number; errors: Record<string, string> }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("flow") === flow.id;
  const [enabled, setEnabled] = useState(flow.settings.enabled);
  const [autoApprove, setAutoApprove] = useState(flow.settings.autoApprove);
  const [offer, setOffer] = useState(String(flow.settings.offerPercent));
  const hasOfferStep = flow.steps.some((step) => step.offer);
  const p = flow.performance;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {flow.label}
          </Text>
          <Badge tone={flow.settings.enabled ? "success" : undefined}>{flow.settings.enabled ? (flow.settings.autoApprove ? "On, sends without review" : "On, you review each batch") : "Off"}</Badge>
        </InlineStack>
        <Text as="p">
          <b>When:</b> {flow.trigger}
        </Text>
        <List>
          {flow.steps.map((step, index) => (
            <List.Item key={index}>
              Email {index + 1}, {step.day ? `day ${step.day}` : "at once"}: {step.reasoning}
            </List.Item>
          ))}
        </List>
        <Text as="p" tone="subdued">
          Leaves the flow when: {flow.exits} Frequency caps and quiet hours are shared with your campaigns.
          {flow.takesOver ? " While it is on, it replaces the daily suggestion of the same kind." : ""}
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value="save" />
          <input type="hidden" name="flow" value={flow.id} />
          <BlockStack gap="200">
            <Checkbox label={`Run the ${flow.label.toLowerCase()}`} checked={enabled} onChange={setEnabled} />
            {enabled ? <input type="hidden" name="enabled" value="on" /> : null}
            <Checkbox
              label="Send without my review"
              helpText="Each batch is still checked by the guardrails (a blocked batch waits for you), listed here and on the campaigns page, and can be stopped."
              checked={autoApprove}
              onChange={setAutoApprove}
              disabled={!enabled}
            />
            {autoApprove && enabled ? <input type="hidden" name="autoApprove" value="on" /> : null}
            {hasOfferStep ? (
              <TextField
                label="Offer on the last email (percent off, 0 for none)"
                name="offerPercent"
                type="number"
                min={0}
                value={offer}
                onChange={setOffer}
                autoComplete="off"
                helpText={maxPercent > 0 ? `Your discount policy allows up to ${maxPercent}%.` : "Your discount policy allows no discounts."}
                error={errors.offerPercent}
              />
            ) : null}
            {errors.flow || errors.form ? <Text as="p" tone="critical">{errors.flow ?? errors.form}</Text> : null}
            <InlineStack gap="200">
              <Button submit loading={busy} accessibilityLabel={`Save ${flow.label}`}>
                Save
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
        {flow.settings.enabled || p.enrolled ? (
          <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
            <Stat label={`Entered (${performanceDays} days)`} value={String(p.enrolled)} />
            <Stat label="Sent" value={String(p.sent)} />
            <Stat label="Click rate" value={percent(p.clickRate)} />
            <Stat label="Orders" value={`${p.orders} (${percent(p.conversionRate)})`} />
            <Stat label="Revenue per recipient" value={p.revenuePerRecipient === null ? "—" : formatMoney(p.revenuePerRecipient, currency)} />
          </InlineGrid>
        ) : null}
        {p.sent ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {formatMoney(p.revenue, currency)} attributed, {p.unsubscribed} unsubscribed.
          </Text>
        ) : null}
        {flow.batches.length ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Latest batches{flow.waiting ? ` (${flow.waiting} waiting for your review)` : ""}
            </Text>
            {flow.batches.map((batch) => (
              <InlineStack key={batch.id} gap="200" blockAlign="center">
                <Badge tone={STATUS_TONES[batch.status]}>{batch.status.replace("_", " ")}</Badge>
                <Link to={`/app/campaigns/${batch.id}`}>{batch.title}</Link>
              </InlineStack>
            ))}
          </BlockStack>
        ) : null}
        {flow.messages.length ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Latest messages
            </Text>
            {flow.messages.map((message) => (
              <Text as="p" key={message.id} variant="bodySm">
                <Link to={`/app/sends/${message.id}`}>
                  Email {message.step + 1} to {message.email}
                </Link>{" "}
                {message.sentAt ? `on ${new Date(message.sentAt).toUTCString()}` : ""}
              </Text>
            ))}
          </BlockStack>
        ) : null}
        {flow.settings.enabled || flow.scheduled || flow.waiting ? (
          <Form method="post">
            <input type="hidden" name="intent" value="stop" />
            <input type="hidden" name="flow" value={flow.id} />
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p" tone="subdued">
                {flow.scheduled} message{flow.scheduled === 1 ? "" : "s"} scheduled.
              </Text>
              <Button submit tone="critical" loading={busy} accessibilityLabel={`Stop ${flow.label}`}>
                Switch off and stop what is scheduled
              </Button>
            </InlineStack>
          </Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}
