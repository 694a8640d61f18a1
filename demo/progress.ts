// The terminal display while the demo seeds: one line per stage with counts, rate and ETA, redrawn in
// place on a terminal and printed every few seconds otherwise (CI logs, the demo's test).

export interface Stage {
  label: string;
  done: number;
  total: number;
  startedAt: number;
  finishedAt?: number;
}

const number = (value: number) => value.toLocaleString("en-GB");
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** "Backfill: orders   8,432 / 12,004   612/s   ETA 6 s" (pure, for the test and the renderer). */
export function formatStage(stage: Stage, now: number): string {
  const elapsed = (stage.finishedAt ?? now) - stage.startedAt;
  const rate = elapsed > 0 ? (stage.done * 1000) / elapsed : 0;
  const counts = stage.total > 0 ? `${number(stage.done)} / ${number(stage.total)}` : number(stage.done);
  const tail = stage.finishedAt
    ? `done in ${seconds(elapsed)}`
    : rate > 0 && stage.total > stage.done
      ? `ETA ${seconds(((stage.total - stage.done) / rate) * 1000)}`
      : "";
  return `${stage.label.padEnd(34)} ${counts.padStart(17)}  ${`${number(Math.round(rate))}/s`.padStart(8)}  ${tail}`;
}

export class ProgressDisplay {
  private readonly stages: Stage[] = [];
  private drawnLines = 0;
  private lastPrinted = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly interactive = Boolean(process.stdout.isTTY),
  ) {}

  /** Every stage so far, in order (the scale bench reads their counts and times). */
  get all(): readonly Stage[] {
    return this.stages;
  }

  stage(label: string, total = 0): Stage {
    const stage: Stage = { label, done: 0, total, startedAt: Date.now() };
    this.stages.push(stage);
    return stage;
  }

  finish(stage: Stage): void {
    stage.finishedAt = Date.now();
    if (this.interactive) this.render(true);
    else this.log(formatStage(stage, Date.now()));
  }

  /** Redraws (terminal) or prints the running stages every 3 s (logs). */
  render(force = false): void {
    const now = Date.now();
    if (this.interactive) {
      if (this.drawnLines) this.out.write(`\x1b[${this.drawnLines}A`);
      for (const stage of this.stages) this.out.write(`\x1b[2K${formatStage(stage, now)}\n`);
      this.drawnLines = this.stages.length;
    } else if (!force && now - this.lastPrinted >= 3_000) {
      this.lastPrinted = now;
      for (const stage of this.stages.filter((s) => !s.finishedAt)) this.out.write(`${formatStage(stage, now)}\n`);
    }
  }

  /** Text printed above the stages (a terminal keeps the stage lines at the bottom), with the time since start. */
  log(text: string): void {
    const line = text ? `[${((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(5)} s] ${text}` : "";
    if (this.interactive && this.drawnLines) {
      this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
      this.drawnLines = 0;
      this.out.write(`${line}\n`);
      this.render(true);
    } else this.out.write(`${line}\n`);
  }
}
