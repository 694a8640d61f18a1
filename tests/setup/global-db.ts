import { buildTemplate, databaseKind } from "../support/databases";

export default async function setup() {
  await buildTemplate(databaseKind);
}
