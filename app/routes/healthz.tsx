import { probeDatabase } from "~/health/database-probe.server";

// For load balancers and the deployment guide: 200 when the process answers and the database can be
// reached and written; 503 with the reason otherwise (ADR 019).
export async function loader() {
  const probe = await probeDatabase();
  const headers = { "Content-Type": "text/plain", "Cache-Control": "no-store" };
  if (probe.ok) return new Response("ok", { headers });
  return new Response(`database ${probe.reason}`, { status: 503, headers });
}
