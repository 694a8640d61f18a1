// A TCP proxy a test controls, placed between the app and a service (PostgreSQL, Redis, an SMTP
// server, an HTTP fake). It passes bytes through until told to fail, then:
//   refuse — stops listening: new connections get ECONNREFUSED, open ones are cut;
//   reset  — accepts and answers every new connection with a TCP RST (ECONNRESET), cuts open ones;
//   stall  — a black hole: new connections are accepted and never answered, open ones stop moving
//            bytes (what a hung network or a frozen server looks like to the client).
// Back to `pass`, new connections flow again; connections stalled meanwhile are cut, as a recovered
// network would have timed them out.
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";

export type ProxyMode = "pass" | "refuse" | "reset" | "stall";

export interface FaultProxy {
  readonly port: number;
  readonly mode: ProxyMode;
  /** The upstream URL with its host and port replaced by the proxy's (e.g. a postgres:// URL). */
  url(upstreamUrl: string): string;
  setMode(mode: ProxyMode): Promise<void>;
  /** Cuts every open connection (both sides), whatever the mode. */
  cut(): void;
  /** Connections accepted since the proxy started, and how many are open. */
  stats(): { accepted: number; open: number };
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream?: Socket;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: ProxyMode = "pass";
  let accepted = 0;
  const pairs = new Set<Pair>();
  let server: Server = createServer(onConnection);

  function onConnection(client: Socket) {
    accepted++;
    const pair: Pair = { client };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on("error", drop);
    client.on("close", drop);
    if (mode === "reset") {
      client.resetAndDestroy();
      return;
    }
    if (mode === "stall") {
      client.pause(); // hold it open, read nothing, answer nothing
      return;
    }
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on("error", drop);
    upstream.on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;

  const cut = () => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      pair.client.destroy();
      pair.upstream?.destroy();
    }
  };

  return {
    port,
    get mode() {
      return mode;
    },
    url(upstreamUrl: string) {
      const url = new URL(upstreamUrl);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    async setMode(next: ProxyMode) {
      if (next === mode) return;
      const previous = mode;
      mode = next;
      if (next === "refuse") {
        cut();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        return;
      }
      if (previous === "refuse") {
        server = createServer(onConnection);
        // The same port again: the app keeps its configured address, as after a real outage.
        await listen(port);
      }
      if (next === "reset") cut();
      if (next === "stall") {
        for (const pair of pairs) {
          pair.client.unpipe();
          pair.upstream?.unpipe();
          pair.client.pause();
          pair.upstream?.pause();
        }
      }
      if (next === "pass" && previous === "stall") cut();
    },
    cut,
    stats: () => ({ accepted, open: pairs.size }),
    async close() {
      cut();
      if (mode !== "refuse") await new Promise<void>((resolve) => server.close(() => resolve()));
      mode = "refuse";
    },
  };
}
