// Starts the real built app (node server.mjs) on a random loopback port, like production does.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { testEnv } from "./env";

const root = join(import.meta.dirname, "..", "..");

export interface AppServer {
  url: string;
  /** The process id (benchmarks read its memory from /proc). */
  pid: number;
  /** Graceful stop (SIGTERM: finishes jobs in flight). */
  stop(): Promise<void>;
  /** A crash: SIGKILL, nothing finishes. */
  kill(): Promise<void>;
  output(): string;
}

export async function startAppServer(env: Record<string, string>): Promise<AppServer> {
  return startProcess("server.mjs", /listening on (http:\/\/\S+)/, env);
}

/** `npm run worker` (BullMQ scale mode); `url` is empty. */
export async function startWorker(env: Record<string, string>): Promise<AppServer> {
  return startProcess("worker.mjs", /(worker ready)/, env);
}

async function startProcess(script: string, ready: RegExp, env: Record<string, string>): Promise<AppServer> {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, ...testEnv(env), PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].startsWith("http") ? match[1] : "");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    stop: () => terminate(child, "SIGTERM"),
    kill: () => terminate(child, "SIGKILL"),
    output: () => output,
  };
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
