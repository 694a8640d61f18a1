// `npm run worker`: BullMQ job workers on Redis (scale mode). Needs REDIS_URL and a built app.
const build = await import("./build/index.js");
const worker = await build.entry.module.startQueueWorker();
console.log("worker ready");

async function shutdown(signal) {
  console.log(`${signal}: worker closing`);
  await worker.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
