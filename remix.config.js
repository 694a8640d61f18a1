// Remix classic compiler (the design card asks for remix.config.js; see ADR 001).
// Server-only code lives in *.server.ts files, which the compiler strips from the browser bundle.
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // JSON must be bundled: Node's ESM loader refuses a bare JSON import without an import attribute.
  serverDependenciesToBundle: [/^@shopify\/polaris\/locales\//],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};
