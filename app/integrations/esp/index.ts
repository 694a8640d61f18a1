// Public surface of the ESP integration layer; delivery and routes import from here.
export * from "./types";
export * from "./connection";
export { createEspAdapter } from "./factory";
export { retryDecision, type RetryDecision, type RetryOptions } from "./retry-policy";
export { createRateLimiter, type RateLimiter, type RateWindow } from "./token-bucket";
export { KLAVIYO_RATE_LIMITS, KLAVIYO_REVISION, type KlaviyoAdapter } from "./klaviyo";
export * from "./events";
