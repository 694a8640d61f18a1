// A local SMTP sink in its own process for bench:send and bench:flash-sale: accepts and counts
// messages, and keeps when each one arrived (ms since the epoch) for send rates over time.
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

let received = 0;
const arrivals: number[] = [];
const server = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onAuth: (_auth, _session, callback) => callback(null, { user: "bench" }),
  onData(stream, _session, callback) {
    stream.on("data", () => undefined);
    stream.on("end", () => {
      received++;
      arrivals.push(Date.now());
      callback();
    });
  },
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.server.address() as AddressInfo).port }));
process.on("message", (message) => {
  if (message === "count") process.send?.({ received });
  if (message === "arrivals") process.send?.({ arrivals });
});
