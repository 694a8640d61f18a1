// Draws customers from the BG/NBD generative story, for parameter-recovery tests and the fitting benchmark.
import { beta, gamma } from "../evaluation/seeded-random";
import type { BgNbdParams, RecencyFrequency } from "./bg-nbd";

/** One customer observed for T time units after a first purchase at 0. */
export function simulateBgNbdCustomer(random: () => number, { r, alpha, a, b }: BgNbdParams, T: number): RecencyFrequency {
  const rate = gamma(random, r, alpha);
  const dropout = beta(random, a, b);
  let t = 0;
  let x = 0;
  let tx = 0;
  for (;;) {
    t += -Math.log(1 - random()) / rate;
    if (t > T) break;
    x += 1;
    tx = t;
    if (random() < dropout) break; // drops out right after this purchase
  }
  return { x, tx, T };
}
