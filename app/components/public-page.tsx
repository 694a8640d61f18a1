import type { ReactNode } from "react";

// The few pages shoppers see outside Shopify admin (unsubscribe): plain, readable, no app chrome.
export function PublicPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main style={{ maxWidth: 480, margin: "10vh auto", padding: "0 24px", fontFamily: "system-ui, -apple-system, sans-serif", color: "#1f2933", lineHeight: 1.5 }}>
      <h1 style={{ fontSize: 24, fontWeight: 600 }}>{title}</h1>
      {children}
    </main>
  );
}
