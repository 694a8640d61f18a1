// The web process: Remix over Express, plus (in the default mode) the in-process job runner.
// `npm start` runs it after `npm run build`; see README for the environment.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import("./build/index.js");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

const app = express();
app.disable("x-powered-by");
// Webhook acknowledgements are empty; compressing them is pure cost on the hottest path.
const compress = compression();
app.use((request, response, next) => (request.path.startsWith("/webhooks/") ? next() : compress(request, response, next)));
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const jobs = await build.entry.module.startInProcessJobs();
const server = app.listen(port, host, () => {
  const address = server.address();
  console.log(`listening on http://${host === "0.0.0.0" ? "localhost" : host}:${address.port}`);
});
server.keepAliveTimeout = 65_000;

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: closing`);
  server.close();
  await jobs?.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
