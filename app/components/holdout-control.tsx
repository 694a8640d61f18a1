import { Form } from "@remix-run/react";
import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

// The holdout on request: before a campaign is scheduled the merchant chooses how many of its audience
// to keep back at random, so its page can show what email added (incremental revenue).

export function HoldoutControl({ percent, heldOut, recipients, editable, error, busy }: { percent: number; heldOut: number; recipients: number; editable: boolean; error?: string; busy: boolean }) {
  const [value, setValue] = useState(String(percent));
  if (!editable) {
    return (
      <Text as="p" tone="subdued">
        {heldOut ? `${heldOut} of ${recipients} recipients held back at random (${percent}%) to measure incremental revenue.` : "No holdout group: incremental revenue cannot be measured for this campaign."}
      </Text>
    );
  }
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="holdout" />
      <BlockStack gap="200">
        <TextField
          label="Holdout group (% of the audience kept back at random)"
          name="holdoutPercent"
          type="number"
          min={0}
          max={50}
          value={value}
          onChange={setValue}
          autoComplete="off"
          error={error}
          helpText={`${heldOut} of ${recipients} held back now. They get nothing from this campaign, so its page can show what email added, not only what it was credited with. 0 for none.`}
        />
        <InlineStack>
          <Button submit loading={busy}>
            Set holdout
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
