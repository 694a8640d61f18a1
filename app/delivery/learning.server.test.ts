import { describe, expect, it } from "vitest";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { makeRequest } from "~/copy/testing";
import { readyDb } from "~/db.server";
import { styleHints, subjectStyle } from "./learning.server";
import { chooseVariant, seededRandom, type VariantStats } from "./variants";

// The learning loop, simulated: shoppers of this shop click question subjects three times as often.
// Campaigns allocate their variants by Thompson sampling; after a few, the review names the winning
// style and the next campaign's copy leads with it.

describe("learning which subjects work", () => {
  it("finds the better style and steers the next campaign's copy towards it", async () => {
    const db = await readyDb();
    const shop = "learning.myshopify.com";
    const random = seededRandom(11);
    const writer = new BuiltinCopywriter();
    const clickRate = (subject: string) => (subject.trim().endsWith("?") ? 0.06 : 0.02);

    for (let campaign = 0; campaign < 4; campaign++) {
      const written = await writer.write(makeRequest({ seed: 100 + campaign }));
      if (!written.ok) throw new Error("copy failed");
      const subjects = written.draft.subjects.slice(0, 3);
      const stats: VariantStats[] = subjects.map(() => ({ sends: 0, successes: 0 }));
      for (let i = 0; i < 1_500; i++) {
        const variant = chooseVariant(stats, random);
        stats[variant].sends++;
        if (random() < clickRate(subjects[variant])) stats[variant].successes++;
      }
      const steps = [subjects.map((subject, i) => ({ subject, ...stats[i], clicks: stats[i].successes, orders: 0, probabilityBest: 0 }))];
      await db.campaign.create({ data: { shop, kind: "promotional", angle: "new_arrival", title: `c${campaign}`, status: "sent", results: JSON.stringify({ steps }) } });
    }

    const hints = await styleHints(db, shop);
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatch(/^subjects phrased as a question \(\d+\.\d% clicks or orders here, vs \d+\.\d% for other styles\)$/);

    const next = await writer.write(makeRequest({ seed: 999, styleHints: hints }));
    if (!next.ok) throw new Error("copy failed");
    expect(subjectStyle(next.draft.subjects[0], [])).toBe("question");
  });

  it("says nothing before there is evidence", async () => {
    const db = await readyDb();
    expect(await styleHints(db, "new-shop.myshopify.com")).toEqual([]);
  });
});
