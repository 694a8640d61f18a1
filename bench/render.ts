// npm run bench:render — email rendering: MJML compile per template (cold and warm), reload of stored
// sources, and per-recipient render time (mean, p50, p99) for 10,000 recipients with 4 products each,
// per layout, with an HMAC-signed click tracker as the redirect route would use. Peak RSS at the end.
//
//   BENCH_RECIPIENTS (default 10000)   --write: replace the "Email rendering" section of BENCHMARKS.md
import { createHmac } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { compileTemplate, loadCompiledTemplate } from "~/campaigns/render/compile";
import { renderForRecipient } from "~/campaigns/render/render";
import { compileInput, PRODUCTS } from "~/campaigns/render/test-fixtures";
import { LAYOUTS, type CompiledTemplate, type Layout, type ProductBlockItem, type Recipient } from "~/campaigns/render/types";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const WARM_COMPILES = 20;
const SECTION = "## Email rendering (bench:render)";

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { mean: samples.reduce((sum, x) => sum + x, 0) / samples.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

const ms = (value: number) => value.toFixed(3);

// A pool of 200 products, so recipients get different blocks (and different strings to escape).
const POOL: ProductBlockItem[] = Array.from({ length: 200 }, (_, index) => {
  const base = PRODUCTS[index % PRODUCTS.length];
  return {
    ...base,
    title: `${base.title} No. ${index} <limited> & "handmade"`,
    url: `${base.url}-${index}?variant=${40_000 + index}`,
    imageUrl: base.imageUrl ? base.imageUrl.replace(".jpg", `-${index}.jpg`) : null,
  };
});

const KEY = Buffer.from("bench-click-signing-key-32-bytes!");

/** Like the click redirect: a signed URL per (send, link). */
function tracker(sendId: string) {
  return (url: string, linkId: string) => {
    const payload = Buffer.from(JSON.stringify([sendId, linkId, url])).toString("base64url");
    const signature = createHmac("sha256", KEY).update(payload).digest("base64url");
    return `https://app.example.com/email/c/${payload}.${signature}`;
  };
}

function makeRecipient(index: number): Recipient {
  const products = [0, 1, 2, 3].map((offset) => POOL[(index * 7 + offset * 13) % POOL.length]);
  return {
    firstName: index % 5 === 0 ? null : `Customer ${index} <O'Brien>`,
    discountCode: `BACK-${index.toString(36).toUpperCase()}`,
    products,
    unsubscribeUrl: `https://app.example.com/email/u/${index}`,
    unsubscribePostUrl: `https://app.example.com/email/u/${index}/one-click`,
    clickUrl: tracker(`send-${index}`),
    behaviourLine: index % 2 === 0 ? `Still thinking about the ${products[0].title}?` : null,
  };
}

async function compileOrThrow(layout: Layout): Promise<CompiledTemplate> {
  const result = await compileTemplate(compileInput(layout));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.compiled;
}

const lines: string[] = [];
const log = (line = "") => {
  console.log(line);
  lines.push(line);
};

const loadAtStart = loadavg()[0];
const started = performance.now();
const cold = performance.now();
const compiled = { promotional: await compileOrThrow("promotional") } as Record<Layout, CompiledTemplate>;
const coldMs = performance.now() - cold;

const rows: string[] = [];
for (const layout of LAYOUTS) {
  const compileSamples: number[] = [];
  for (let i = 0; i < WARM_COMPILES; i += 1) {
    const t = performance.now();
    compiled[layout] = await compileOrThrow(layout);
    compileSamples.push(performance.now() - t);
  }
  const reloadSamples: number[] = [];
  const stored = JSON.stringify(compiled[layout].sources);
  for (let i = 0; i < WARM_COMPILES; i += 1) {
    const t = performance.now();
    const reloaded = loadCompiledTemplate(JSON.parse(stored));
    reloadSamples.push(performance.now() - t);
    if (!reloaded.ok) throw new Error(JSON.stringify(reloaded.error));
  }
  const recipients = Array.from({ length: RECIPIENTS }, (_, index) => makeRecipient(index));
  // Warm-up (JIT) outside the measurement.
  for (let i = 0; i < 500; i += 1) renderForRecipient(compiled[layout], recipients[i % recipients.length]);
  const renderSamples: number[] = [];
  let bytes = 0;
  const loopStart = performance.now();
  for (const recipient of recipients) {
    const t = performance.now();
    const result = renderForRecipient(compiled[layout], recipient);
    renderSamples.push(performance.now() - t);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    bytes += result.email.html.length;
  }
  const loopMs = performance.now() - loopStart;
  const compile = stats(compileSamples);
  const reload = stats(reloadSamples);
  const render = stats(renderSamples);
  rows.push(
    `| ${layout} | ${ms(compile.mean)} / ${ms(compile.p99)} | ${ms(reload.mean)} | ${ms(render.mean)} | ${ms(render.p50)} | ${ms(render.p99)} | ${ms(render.max)} | ${Math.round(RECIPIENTS / (loopMs / 1000)).toLocaleString("en")} | ${(bytes / RECIPIENTS / 1024).toFixed(1)} KB |`,
  );
}

const peakRssMb = process.resourceUsage().maxRSS / 1024;
log(SECTION);
log();
log(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ` +
    `Node ${process.version}, one process, ${RECIPIENTS.toLocaleString("en")} recipients per layout with 4 products each ` +
    `(200-product pool, names and titles with characters to escape), click tracker = HMAC-SHA256-signed URL per link ` +
    `(6 links per email). Times in ms. \`npm run bench:render\`.`,
);
log();
log(`- First compile in a fresh process (loads MJML): ${ms(coldMs)} ms.`);
log(`- Peak RSS of the whole run: ${peakRssMb.toFixed(0)} MB. Total wall time: ${((performance.now() - started) / 1000).toFixed(1)} s.`);
// The machine is shared: a load above the core count stretches the tail (descheduling), not the median.
log(`- 1-minute load average: ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end (${cpus().length} cores).`);
log();
log(`| layout | compile mean / p99 (${WARM_COMPILES}×) | reload from sources | render mean | render p50 | render p99 | render max | renders/s | HTML per email |`);
log("|---|---|---|---|---|---|---|---|---|");
for (const row of rows) log(row);

if (process.argv.includes("--write")) {
  const file = "BENCHMARKS.md";
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const section = `${lines.join("\n")}\n`;
  const start = current.indexOf(SECTION);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf("\n## ", start + SECTION.length);
    next = `${current.slice(0, start)}${section}${after === -1 ? "" : `\n${current.slice(after + 1)}`}`;
  }
  writeFileSync(file, next);
  console.log(`\nwrote the section to ${file}`);
}
