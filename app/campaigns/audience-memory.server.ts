import type { Db } from "~/db.server";
import { angleVerdict, DEFAULT_MEMORY_SETTINGS, heldBackProducts, type ContactMemory, type HeldProduct, type MemorySettings } from "./contact-memory";
import { loadContactMemories, type CampaignFactsCache } from "./contact-memory.server";

// The contact memory applied to an audience before its product blocks are filled (ADR 017): a
// customer who ignored the last N emails of this angle is left out (with the reason, counted like the
// other exclusions), recent ignoring scores them down, a click or an order from the angle scores
// them up; products they were shown recently without responding are held back for the block.

const MEMBERS_PER_LOAD = 1_000;

export interface MemoryMember {
  email: string;
  score: number;
  evidence: Record<string, unknown>;
}

export interface MemoryApplied<T> {
  members: T[];
  excluded: Record<string, number>;
  /** Per address: products not to show again now (the campaign's own products are never held back). */
  heldBack: Map<string, HeldProduct[]>;
}

export async function applyContactMemory<T extends MemoryMember>(
  db: Db,
  shop: string,
  members: T[],
  angle: string,
  now: Date,
  settings: MemorySettings = DEFAULT_MEMORY_SETTINGS,
): Promise<MemoryApplied<T>> {
  const excluded: Record<string, number> = {};
  const heldBack = new Map<string, HeldProduct[]>();
  const kept: T[] = [];
  // A chunk at a time: the ledger rows behind a 10,000-recipient audience are read, judged and
  // dropped before the next chunk, so memory stays bounded by the chunk.
  const cache: CampaignFactsCache = new Map();
  for (let start = 0; start < members.length; start += MEMBERS_PER_LOAD) {
    const chunk = members.slice(start, start + MEMBERS_PER_LOAD);
    const memories = await loadContactMemories(db, shop, chunk.map((member) => member.email), now, { settings, cache });
    for (const member of chunk) judge(member, memories.get(member.email));
  }
  return { members: kept, excluded, heldBack };

  function judge(member: T, memory: ContactMemory | undefined) {
    if (!memory) {
      kept.push(member);
      return;
    }
    const verdict = angleVerdict(memory, angle, settings);
    if (verdict.action === "exclude") {
      excluded[verdict.reason] = (excluded[verdict.reason] ?? 0) + 1;
      return;
    }
    if (verdict.factor !== 1) member.score = member.score * verdict.factor;
    if (verdict.because) member.evidence.memory = { angle, factor: verdict.factor, because: verdict.because };
    const held = heldBackProducts(memory, now, settings);
    if (held.length) heldBack.set(member.email, held);
    kept.push(member);
  }
}
