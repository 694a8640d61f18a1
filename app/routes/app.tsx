import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider as PolarisProvider, Box, InlineStack, Text } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { requireShop } from "~/admin/session.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

const SECTIONS = [
  { to: "/app", label: "Home", rel: "home" },
  { to: "/app/campaigns", label: "Campaigns" },
  { to: "/app/customers", label: "Customers" },
  { to: "/app/brand-voice", label: "Brand voice" },
  { to: "/app/flows", label: "Flows" },
  { to: "/app/learning", label: "What we learned" },
  { to: "/app/integrations", label: "Integrations" },
  { to: "/app/activity", label: "Activity" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { embedded, shop } = await requireShop(request);
  return { apiKey: process.env.SHOPIFY_API_KEY ?? "", embedded, shop };
}

// Demo mode only: the mail the demo's local SMTP sink received.
const DEMO_SECTIONS = [{ to: "/app/demo-inbox", label: "Demo inbox" }];

export default function App() {
  const { apiKey, embedded, shop } = useLoaderData<typeof loader>();
  if (embedded) {
    return (
      <AppProvider isEmbeddedApp apiKey={apiKey}>
        <NavMenu>
          {SECTIONS.map((section) => (
            <Link key={section.to} to={section.to} rel={section.rel}>
              {section.label}
            </Link>
          ))}
        </NavMenu>
        <Outlet />
      </AppProvider>
    );
  }
  // Demo mode: outside Shopify admin, so the app draws its own navigation bar.
  return (
    <PolarisProvider i18n={polarisTranslations} linkComponent={RemixLink}>
      <Box background="bg-surface" borderBlockEndWidth="025" borderColor="border" paddingInline="600" paddingBlock="300">
        <InlineStack gap="500" blockAlign="center">
          <Text as="span" variant="headingMd">
            Campaign Pilot
          </Text>
          {[...SECTIONS, ...DEMO_SECTIONS].map((section) => (
            <NavLink
              key={section.to}
              to={section.to}
              end={section.to === "/app"}
              style={({ isActive }) => ({ color: "inherit", textDecoration: "none", fontWeight: isActive ? 650 : 450 })}
            >
              {section.label}
            </NavLink>
          ))}
          <Text as="span" tone="subdued">
            Demo: {shop}
          </Text>
        </InlineStack>
      </Box>
      <Outlet />
    </PolarisProvider>
  );
}

// Polaris links (`url` props) navigate client-side, as App Bridge's provider does when embedded.
function RemixLink({ url, children, external, ...rest }: { url: string; children?: React.ReactNode; external?: boolean } & Record<string, unknown>) {
  if (external) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>
        {children}
      </a>
    );
  }
  return (
    <Link to={url} {...rest}>
      {children}
    </Link>
  );
}

// Shopify's thrown responses (re-auth, redirects) must keep their headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
