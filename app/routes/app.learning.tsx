import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireShop } from "~/admin/session.server";
import { refreshLearningMemory, saveLearningEdits } from "~/campaigns/performance.server";
import { useActionToast } from "~/components/use-action-toast";
import { db } from "~/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return json(await refreshLearningMemory(db(), shop));
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShop(request);
  const form = await request.formData();
  const result = await saveLearningEdits(db(), shop, { muted: form.getAll("muted").map(String), notes: String(form.get("notes") ?? "") });
  if (result.ok) return json({ ok: true, message: "Saved; the next campaigns follow it", fieldErrors: {} as Record<string, string> });
  return json({ ok: false, message: "Check the highlighted fields", fieldErrors: result.fieldErrors }, { status: 400 });
}

export default function Learning() {
  const memory = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useActionToast(result);
  const navigation = useNavigation();
  const [muted, setMuted] = useState<string[]>(memory.muted);
  const [notes, setNotes] = useState(memory.notes.join("\n"));
  const errors = result?.fieldErrors ?? {};

  return (
    <Page title="What we learned" subtitle="From your sent campaigns. New campaigns follow the lessons you keep and your own notes.">
      <TitleBar title="What we learned" />
      <Form method="post">
        <BlockStack gap="400">
          {result && !result.ok ? <Banner tone="critical">{result.message}</Banner> : null}
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Lessons from {memory.campaignsSeen} sent campaign{memory.campaignsSeen === 1 ? "" : "s"}
              </Text>
              {memory.lessons.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing clear yet: a lesson needs at least 100 sends per subject style, or 30 per send hour, and a real difference.
                </Text>
              ) : (
                memory.lessons.map((lesson) =>
                  lesson.kind === "send_hour" ? (
                    // Informational: the scheduler learns send hours from the same clicks (each recipient's own hour first).
                    <BlockStack gap="050" key={lesson.key}>
                      <Text as="p">Best time here: {lesson.text}</Text>
                      <Text as="p" tone="subdued" variant="bodySm">
                        {lesson.evidence}. Each email goes at the recipient&apos;s own best hour when known, else at the shop&apos;s.
                      </Text>
                    </BlockStack>
                  ) : (
                    <Checkbox
                      key={lesson.key}
                      label={`Works here: ${lesson.text}`}
                      helpText={`${lesson.evidence}. Untick to stop new campaigns from following it.`}
                      checked={!muted.includes(lesson.key)}
                      onChange={(keep) => setMuted((current) => (keep ? current.filter((key) => key !== lesson.key) : [...current, lesson.key]))}
                    />
                  ),
                )
              )}
              {muted.map((key) => (
                <input key={key} type="hidden" name="muted" value={key} />
              ))}
            </BlockStack>
          </Card>
          <Card>
            <TextField
              label="Your own guidance for the copy"
              name="notes"
              value={notes}
              onChange={setNotes}
              multiline={4}
              autoComplete="off"
              helpText="One per line, up to 10, e.g. “Mention that every piece is handmade”. The AI copywriter follows them (the built-in one recognises subject styles: product names, questions, offers); guardrails still check every claim."
              error={errors.notes}
            />
          </Card>
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
