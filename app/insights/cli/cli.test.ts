// The CLIs run in child processes, exactly as `npm run recommend` / `npm run lifecycle` run them.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readCdnowPurchases } from "../../../tests/fixtures/cdnow/cdnow";

const root = new URL("../../../", import.meta.url).pathname;
const fixtures = join(root, "tests/fixtures/insights");
const tsx = join(root, "node_modules/.bin/tsx");

async function run(cli: "recommend" | "lifecycle", args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [join(root, `app/insights/cli/${cli}.ts`), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const lines = (stdout: string) => stdout.trim().split("\n").map((line) => JSON.parse(line));

describe("recommend CLI", { timeout: 30_000 }, () => {
  it("answers every query with k products, in input order", async () => {
    const { code, stdout } = await run("recommend", ["--events", join(fixtures, "events.jsonl"), "--queries", join(fixtures, "queries.jsonl"), "--k", "3"]);
    expect(code).toBe(0);
    const answers = lines(stdout);
    expect(answers.map((a) => a.queryId)).toEqual(["q-returning", "q-anonymous-context", "q-abandoned-cart", "q-cold-start", "q-unknown-customer"]);
    for (const answer of answers) expect(answer.productIds).toHaveLength(3);
    expect(answers[1].productIds[0]).toBe("plate-white"); // bought with mug-blue twice
    expect(answers[2].productIds).not.toContain("mug-red"); // excluded by the query
  });

  it("honours a catalog: unavailable, unpublished and deleted products are never shown", async () => {
    const { code, stdout } = await run("recommend", [
      "--events", join(fixtures, "events.jsonl"), "--queries", join(fixtures, "queries.jsonl"), "--catalog", join(fixtures, "catalog.jsonl"), "--k", "8", "--explain",
    ]);
    expect(code).toBe(0);
    for (const answer of lines(stdout)) {
      for (const hidden of ["vase-tall", "candle-amber", "discontinued-jug"]) expect(answer.productIds).not.toContain(hidden);
      expect(Object.keys(answer.reasons)).toEqual(answer.productIds);
    }
  });

  it("evaluates the engine next to the baselines on a time split", async () => {
    const { code, stdout } = await run("recommend", ["--events", join(fixtures, "events.jsonl"), "--evaluate", "--split-at", "2024-02-12", "--k", "3"]);
    expect(code).toBe(0);
    const [header, ...methods] = lines(stdout);
    expect(header).toMatchObject({ splitAt: "2024-02-12T00:00:00.000Z", queries: expect.any(Number) });
    expect(methods.map((m) => m.method)).toEqual(["engine", "popularity", "recent popularity (3-day half-life)", "item co-occurrence", "session-kNN"]);
    for (const m of methods) expect(Object.keys(m)).toEqual(["method", "k", "hitRate", "mrr", "ndcg"]);
  });

  it.each([
    ["bad-event-type.jsonl", ":3: type: Invalid option"],
    ["bad-event-date.jsonl", ':2: at: not a date: "2024-02-30"'],
    ["bad-event-json.jsonl", ":3: not valid JSON"],
  ])("rejects %s with the line number and a non-zero exit", async (file, message) => {
    const { code, stdout, stderr } = await run("recommend", ["--events", join(fixtures, file), "--queries", join(fixtures, "queries.jsonl")]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${file}${message}`);
  });

  it("explains a bad command line with the usage", async () => {
    const { code, stderr } = await run("recommend", ["--events", join(fixtures, "events.jsonl"), "--k", "zero"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--k must be an integer");
    expect(stderr).toContain("Usage:");
    expect((await run("recommend", ["--events", "/no/such/file.jsonl", "--queries", "x"])).stderr).toContain("cannot read");
  });
});

describe("lifecycle CLI", { timeout: 30_000 }, () => {
  it("prints one line per customer, falling back to heuristics for a tiny shop", async () => {
    const { code, stdout, stderr } = await run("lifecycle", ["--orders", join(fixtures, "orders.jsonl"), "--as-of", "2024-06-01", "--fit-summary"]);
    expect(code).toBe(0);
    const customers = lines(stdout);
    expect(customers.map((c) => c.customerId)).toEqual(["big-spender", "free-sample", "gone", "newcomer", "one-off", "regular", "same-day", "slipping"]);
    for (const c of customers) expect(Object.keys(c)).toEqual(["customerId", "pAlive", "expectedPurchases90d", "clv", "stage"]);
    const stage = Object.fromEntries(customers.map((c) => [c.customerId, c.stage]));
    expect(stage).toMatchObject({ newcomer: "new", gone: "lost", slipping: "lapsed", "big-spender": "vip" });
    expect(JSON.parse(stderr).bgNbd).toMatchObject({ kind: "not_fitted", reason: "too_few_customers" });
  });

  it("fits the models on a real cohort (CDNOW, committed fixture)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifecycle-"));
    const path = join(dir, "orders.jsonl");
    writeFileSync(path, readCdnowPurchases().map((p, i) => JSON.stringify({ customerId: p.customerId, orderId: `o${i}`, at: p.date, total: p.dollars })).join("\n"));
    const { code, stdout, stderr } = await run("lifecycle", ["--orders", path, "--as-of", "1997-09-30", "--horizon-days", "273", "--fit-summary", "--shrinkage", "never"]);
    expect(code).toBe(0);
    const customers = lines(stdout);
    expect(customers).toHaveLength(2357);
    expect(Object.keys(customers[0])).toContain("expectedPurchases273d");
    const fit = JSON.parse(stderr).bgNbd;
    expect(fit.kind).toBe("fitted");
    expect(fit.params.r).toBeCloseTo(0.243, 3);
  });

  it.each([
    ["bad-order-date.jsonl", ':2: at: not a date: "yesterday"'],
    ["bad-order-missing-total.jsonl", ":2: total: Invalid input"],
  ])("rejects %s with the line number and a non-zero exit", async (file, message) => {
    const { code, stderr } = await run("lifecycle", ["--orders", join(fixtures, file), "--as-of", "2024-06-01"]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}${message}`);
  });

  it("documents the orders format in --help", async () => {
    const { code, stdout } = await run("lifecycle", ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain('{"customerId":"c1","orderId":"o1","at":"2011-11-30T10:15:00Z","total":42.5}');
    expect((await run("lifecycle", ["--orders", join(fixtures, "orders.jsonl"), "--as-of", "soon"])).code).toBe(2);
  });
});
