import { Banner } from "@shopify/polaris";
import type { CopyProvenance } from "~/copy/provenance";
import type { DeliveryStatus } from "~/delivery/delivery-status";

// What a merchant should know about a campaign beyond its content: sending that waits for the
// email provider (and why), and copy the built-in copywriter wrote because the LLM failed.

export function CampaignNotices({ delivery, copy }: { delivery: DeliveryStatus; copy: CopyProvenance }) {
  return (
    <>
      {delivery ? (
        <Banner tone={delivery.tone} title={delivery.title}>
          {delivery.detail}
        </Banner>
      ) : null}
      {copy.fallbackSteps.length ? (
        <Banner tone="info" title="Written by the built-in copywriter">
          The OpenAI copywriter could not be used for {copy.fallbackSteps.length === 1 ? `step ${copy.fallbackSteps[0] + 1}` : `${copy.fallbackSteps.length} steps`}:{" "}
          {copy.reasons.join("; ") || "it failed"}. The built-in copywriter wrote {copy.fallbackSteps.length === 1 ? "it" : "them"} from your store&apos;s facts;
          review as usual.
        </Banner>
      ) : null}
    </>
  );
}
