// `npm run demo`: checks Node, installs dependencies on a fresh clone, builds the app when its sources
// changed, then runs the demo launcher (demo/main.ts). Arguments pass through: npm run demo -- --port 3001
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`demo: Node 22 or newer is needed (this is ${process.versions.node}); see README "Quick start".`);
  process.exit(1);
}

function step(what, command, args) {
  console.log(`demo: ${what}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) {
    console.error(`demo: ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(join(root, "node_modules", ".package-lock.json"))) step("installing dependencies (npm ci)", "npm", ["ci", "--no-audit", "--no-fund"]);

// The newest modification time under these paths, to rebuild only when the app changed.
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}
const built = existsSync(join(root, "build", "index.js")) ? statSync(join(root, "build", "index.js")).mtimeMs : 0;
if (built < Math.max(newest(join(root, "app")), newest(join(root, "remix.config.js")), newest(join(root, "package-lock.json")))) {
  step("building the app (remix build)", "npm", ["run", "--silent", "build"]);
}

const tsx = join(root, "node_modules", ".bin", "tsx");
const child = spawn(tsx, ["--no-experimental-require-module", join(root, "demo", "main.ts"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
// Ctrl-C reaches the whole process group; the launcher shuts the app and sink down itself.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => undefined);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
