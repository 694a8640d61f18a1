import { Form } from "@remix-run/react";
import { Button, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

// One draft of the review page as a form: subjects, preview text, headline, body and button. Saving
// creates a new immutable content version (the step's general draft, or one segment's).

export interface EditableDraft {
  subjects: string[];
  previewText: string;
  headline: string;
  body: string[];
  callToAction: string;
}

export function DraftEditor({ draft, step, segment, versionNumber, editable, busy, errors }: {
  draft: EditableDraft;
  step: number;
  segment: string | null;
  versionNumber: number;
  editable: boolean;
  busy: boolean;
  errors: Record<string, string>;
}) {
  return (
    <Form method="post" key={`${versionNumber}-${step}-${segment ?? "all"}`}>
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="step" value={step} />
      {segment ? <input type="hidden" name="segment" value={segment} /> : null}
      <FormLayout>
        <Text as="h3" variant="headingSm">
          Subject lines (tested against each other)
        </Text>
        {draft.subjects.slice(0, 3).map((subject, i) => (
          <FieldText key={i} name="subjects" label={`Subject ${i + 1}`} initial={subject} error={errors[`subjects.${i}`] ?? errors.subjects} readOnly={!editable} />
        ))}
        <FieldText name="previewText" label="Preview text" initial={draft.previewText} error={errors.previewText} readOnly={!editable} />
        <FieldText name="headline" label="Headline" initial={draft.headline} error={errors.headline} readOnly={!editable} />
        <FieldText name="body" label="Body (blank line between paragraphs)" initial={draft.body.join("\n\n")} multiline={6} error={errors.body} readOnly={!editable} />
        <FieldText name="callToAction" label="Button" initial={draft.callToAction} error={errors.callToAction} readOnly={!editable} />
        {editable ? (
          <InlineStack align="end">
            <Button submit loading={busy}>
              Save as new version
            </Button>
          </InlineStack>
        ) : null}
      </FormLayout>
    </Form>
  );
}

function FieldText({ name, label, initial, error, multiline, readOnly }: { name: string; label: string; initial: string; error?: string; multiline?: number; readOnly?: boolean }) {
  const [value, setValue] = useState(initial);
  return <TextField name={name} label={label} value={value} onChange={setValue} autoComplete="off" error={error} multiline={multiline} readOnly={readOnly} />;
}
