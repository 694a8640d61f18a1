import { BlockStack, Text } from "@shopify/polaris";

/** A labelled figure in a summary card (campaign type, audience, churn risk, value...). */
export function Stat({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span" variant="headingMd">
        {value}
      </Text>
    </BlockStack>
  );
}
