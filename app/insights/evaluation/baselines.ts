// Reference recommenders the engine is measured against, fed the same training events:
// - popularity: products by distinct buyers;
// - recent popularity: purchase lines decayed with a half-life (what sells now: strong in seasonal shops);
// - item co-occurrence: exact basket co-occurrence (cosine), seeded by the context and the customer's purchases;
// - session-kNN (Jannach & Ludewig 2017): past sessions most similar to the context session vote for their items.
import { NeighbourList } from "../recommend/neighbour-list";
import type { InsightEvent } from "../schemas";

export interface EvaluationQuery {
  customerId?: string;
  recentProductIds: string[];
  exclude: string[];
}

export interface OfflineRecommender {
  readonly name: string;
  ingest(event: InsightEvent): void;
  recommend(query: EvaluationQuery, k: number, now: number): string[];
}

/** Small string ↔ integer interning shared by the baselines. */
class Interner {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}

function basketKey(event: InsightEvent): string {
  return event.orderId ?? `${event.customerId}@${event.at}`;
}

function isPurchase(event: InsightEvent): boolean {
  return event.type === "order" && (event.quantity ?? 1) > 0;
}

/** The k best-scored names, topped up from `fallback` (popularity order) when scores run out. */
function topK(scores: Map<number, number>, names: string[], excluded: Set<string>, k: number, fallback: readonly string[]): string[] {
  const ranked = [...scores].filter(([id]) => !excluded.has(names[id])).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const picked = ranked.slice(0, k).map(([id]) => names[id]);
  for (const name of fallback) {
    if (picked.length >= k) break;
    if (!excluded.has(name) && !picked.includes(name)) picked.push(name);
  }
  return picked;
}

export class PopularityRecommender implements OfflineRecommender {
  readonly name = "popularity";
  private readonly products = new Interner();
  private readonly buyers: Set<string>[] = [];
  private rankedCache: string[] | null = null;

  ingest(event: InsightEvent): void {
    if (!isPurchase(event)) return;
    const id = this.products.id(event.productId);
    (this.buyers[id] ??= new Set()).add(event.customerId);
    this.rankedCache = null;
  }

  /** Product ids, most distinct buyers first. */
  ranked(): string[] {
    this.rankedCache ??= this.buyers
      .map((_, id) => id)
      .sort((a, b) => this.buyers[b].size - this.buyers[a].size || a - b)
      .map((id) => this.products.names[id]);
    return this.rankedCache;
  }

  recommend(query: EvaluationQuery, k: number): string[] {
    return topK(new Map(), this.products.names, new Set([...query.exclude, ...query.recentProductIds]), k, this.ranked());
  }
}

export class RecentPopularityRecommender implements OfflineRecommender {
  readonly name: string;
  private readonly products = new Interner();
  /** decayed counts, stored at a reference instant like the engine's scores (see decay.ts) */
  private readonly counts: number[] = [];
  private referenceAt: number | null = null;
  private rankedCache: string[] | null = null;

  constructor(private readonly halfLifeDays = 7) {
    this.name = `recent popularity (${halfLifeDays}-day half-life)`;
  }

  ingest(event: InsightEvent): void {
    if (!isPurchase(event)) return;
    this.referenceAt ??= event.at;
    const id = this.products.id(event.productId);
    this.counts[id] = (this.counts[id] ?? 0) + Math.pow(2, (event.at - this.referenceAt) / (this.halfLifeDays * 86_400_000));
    this.rankedCache = null;
  }

  recommend(query: EvaluationQuery, k: number): string[] {
    // all counts share one reference instant, so their order is the same at any read time
    this.rankedCache ??= this.counts
      .map((_, id) => id)
      .sort((a, b) => this.counts[b] - this.counts[a] || a - b)
      .map((id) => this.products.names[id]);
    return topK(new Map(), this.products.names, new Set([...query.exclude, ...query.recentProductIds]), k, this.rankedCache);
  }
}

export class CooccurrenceRecommender implements OfflineRecommender {
  readonly name = "item co-occurrence";
  private readonly products = new Interner();
  private readonly popularity = new PopularityRecommender();
  private readonly pairs: NeighbourList[] = []; // exact counts: never pruned
  private readonly occurrences: number[] = [];
  private readonly openBaskets = new Map<string, Set<number>>();
  private readonly purchasesOf = new Map<string, Set<number>>();

  ingest(event: InsightEvent): void {
    if (!isPurchase(event)) return;
    this.popularity.ingest(event);
    const id = this.products.id(event.productId);
    const key = basketKey(event);
    const basket = this.openBaskets.get(key) ?? new Set<number>();
    if (basket.has(id)) return;
    for (const other of basket) {
      (this.pairs[id] ??= new NeighbourList()).add(other, 1);
      (this.pairs[other] ??= new NeighbourList()).add(id, 1);
    }
    basket.add(id);
    this.openBaskets.set(key, basket);
    this.occurrences[id] = (this.occurrences[id] ?? 0) + 1;
    let own = this.purchasesOf.get(event.customerId);
    if (!own) this.purchasesOf.set(event.customerId, (own = new Set()));
    own.add(id);
  }

  recommend(query: EvaluationQuery, k: number): string[] {
    const seeds = new Set<number>();
    for (const name of query.recentProductIds) {
      const id = this.products.find(name);
      if (id !== undefined) seeds.add(id);
    }
    for (const id of (query.customerId && this.purchasesOf.get(query.customerId)) || []) seeds.add(id);
    // dense accumulator: a customer's history can touch most of the catalogue
    const dense = new Float64Array(this.products.names.length);
    const touched: number[] = [];
    for (const seed of seeds) {
      this.pairs[seed]?.forEach((other, count) => {
        if (dense[other] === 0) touched.push(other);
        dense[other] += count / Math.sqrt(this.occurrences[seed] * this.occurrences[other]);
      });
    }
    const scores = new Map(touched.map((id) => [id, dense[id]]));
    return topK(scores, this.products.names, new Set([...query.exclude, ...query.recentProductIds]), k, this.popularity.ranked());
  }
}

export interface SessionKnnOptions {
  /** neighbour sessions that vote */
  neighbours: number;
  /** most recent sessions per item considered as candidates (the SKNN sampling step) */
  sampleSize: number;
  /** inactivity gap that ends a browse session without an explicit session id */
  sessionGapMinutes: number;
}

export class SessionKnnRecommender implements OfflineRecommender {
  readonly name = "session-kNN";
  private readonly products = new Interner();
  private readonly popularity = new PopularityRecommender();
  private readonly sessions: number[][] = [];
  private readonly sessionsOf: number[][] = [];
  private readonly openSessions = new Map<string, { session: number; lastAt: number }>();
  private readonly options: SessionKnnOptions;

  constructor(options: Partial<SessionKnnOptions> = {}) {
    this.options = { neighbours: 100, sampleSize: 500, sessionGapMinutes: 30, ...options };
  }

  ingest(event: InsightEvent): void {
    if (event.type === "refund" || (event.type === "order" && (event.quantity ?? 1) < 0)) return;
    if (event.type === "order") this.popularity.ingest(event);
    const key = event.type === "order" ? `o:${basketKey(event)}` : `s:${event.sessionId ?? event.customerId}`;
    let open = this.openSessions.get(key);
    const gapMs = this.options.sessionGapMinutes * 60_000;
    if (!open || (event.type !== "order" && !event.sessionId && event.at - open.lastAt > gapMs)) {
      open = { session: this.sessions.length, lastAt: event.at };
      this.sessions.push([]);
      this.openSessions.set(key, open);
    }
    open.lastAt = event.at;
    const id = this.products.id(event.productId);
    const items = this.sessions[open.session];
    if (items.includes(id)) return;
    items.push(id);
    (this.sessionsOf[id] ??= []).push(open.session);
  }

  recommend(query: EvaluationQuery, k: number): string[] {
    const current = new Set<number>();
    for (const name of query.recentProductIds) {
      const id = this.products.find(name);
      if (id !== undefined) current.add(id);
    }
    const overlap = new Map<number, number>();
    for (const id of current) {
      const containing = this.sessionsOf[id] ?? [];
      for (const session of containing.slice(-this.options.sampleSize)) overlap.set(session, (overlap.get(session) ?? 0) + 1);
    }
    const neighbours = [...overlap]
      .map(([session, shared]) => [session, shared / Math.sqrt(current.size * this.sessions[session].length)] as const)
      .sort((a, b) => b[1] - a[1] || b[0] - a[0])
      .slice(0, this.options.neighbours);
    const scores = new Map<number, number>();
    for (const [session, similarity] of neighbours) {
      for (const id of this.sessions[session]) if (!current.has(id)) scores.set(id, (scores.get(id) ?? 0) + similarity);
    }
    return topK(scores, this.products.names, new Set([...query.exclude, ...query.recentProductIds]), k, this.popularity.ranked());
  }
}
