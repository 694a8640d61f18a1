// The web process: Remix over Express, plus (in the default mode) the in-process job runner.
// `npm start` runs it after `npm run build`; see README for the environment.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import("./build/index.js");
const port = Number(process.env.PORT ?? 3000);
// Demo mode serves the admin without authentication: never beyond this machine.
const host = process.env.DEMO_SHOP ? "127.0.0.1" : (process.env.HOST ?? "0.0.0.0");

// While requests are in flight (or were, in the last 100 ms) the in-process job runner steps back to
// one job at a time, so a webhook burst is acknowledged first and processed right after.
let inFlight = 0;
let lastBusyAt = 0;
const webIsBusy = () => inFlight > 0 || Date.now() - lastBusyAt < 100;

const app = express();
app.disable("x-powered-by");
app.use((_request, response, next) => {
  inFlight++;
  response.once("close", () => {
    inFlight--;
    lastBusyAt = Date.now();
  });
  next();
});
// Webhook acknowledgements are empty, and no POST is a static file: skip both middlewares there, the
// hottest path (static file lookups stat the disk on every request).
const readsOnly = (middleware) => (request, response, next) =>
  request.method === "GET" || request.method === "HEAD" ? middleware(request, response, next) : next();
app.use(readsOnly(compression()));
app.use("/build", readsOnly(express.static("public/build", { immutable: true, maxAge: "1y" })));
app.use(readsOnly(express.static("public", { maxAge: "1h" })));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const jobs = await build.entry.module.startInProcessJobs({ webIsBusy });
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
