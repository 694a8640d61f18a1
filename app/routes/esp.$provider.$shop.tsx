import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { receiveEspEvents } from "~/delivery/esp-events.server";

// Each shop registers https://<app>/esp/<provider>/<shop domain> as its ESP's event webhook.
export async function action({ request, params }: ActionFunctionArgs) {
  return receiveEspEvents(db(), params.provider ?? "", params.shop ?? "", request);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return receiveEspEvents(db(), params.provider ?? "", params.shop ?? "", request);
}
