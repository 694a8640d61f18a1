import { readyDb } from "~/db.server";

// Liveness for load balancers and the deployment guide: the process answers and the database does.
export async function loader() {
  const db = await readyDb();
  await db.$queryRawUnsafe("SELECT 1");
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
