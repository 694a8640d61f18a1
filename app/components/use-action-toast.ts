import { useEffect, useRef } from "react";

// Inside Shopify admin, App Bridge puts a `shopify` global on the window: outcomes of actions are
// announced as admin toasts too. Outside (demo mode) there is no global and the page's banner is all.
type AppBridgeGlobal = { toast?: { show(message: string, options?: { isError?: boolean }): void } };
type Outcome = { ok: boolean; message: string };

export function useActionToast<T>(result: T | undefined, describe: (result: T) => Outcome | null = (r) => r as Outcome): void {
  const describeRef = useRef(describe);
  describeRef.current = describe;
  useEffect(() => {
    if (!result) return;
    const outcome = describeRef.current(result);
    const bridge = (globalThis as { shopify?: AppBridgeGlobal }).shopify;
    if (outcome) bridge?.toast?.show(outcome.message, { isError: !outcome.ok });
  }, [result]);
}
