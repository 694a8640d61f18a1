// The always-on flows, by id (their definitions: definitions.ts). Apart so that the goal and settings
// schemas can name them without importing the definitions (which import the goal schema).
export const FLOW_IDS = ["welcome", "post_purchase", "replenishment", "browse_abandonment", "back_in_stock"] as const;
export type FlowId = (typeof FLOW_IDS)[number];
