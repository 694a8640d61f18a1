// A product's neighbours with their pair weights, bounded in size. Hand-written because the hot path
// (millions of `add`s on a full store recompute) must neither allocate nor chase pointers: a
// Map<number, number> boxes every updated fractional weight and scatters entries across the heap. Here
// an open-addressing table of slots (linear probing) points into compact key / weight typed arrays.

const EMPTY = -1;

function hash(key: number): number {
  let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b);
  h ^= h >>> 16;
  return h >>> 0;
}

export class NeighbourList {
  private table = new Int32Array(16).fill(EMPTY);
  private keys = new Int32Array(8);
  private weights = new Float64Array(8);
  private used = 0;

  get size(): number {
    return this.used;
  }

  get(key: number): number {
    const mask = this.table.length - 1;
    for (let bucket = hash(key) & mask; ; bucket = (bucket + 1) & mask) {
      const slot = this.table[bucket];
      if (slot === EMPTY) return 0;
      if (this.keys[slot] === key) return this.weights[slot];
    }
  }

  add(key: number, weight: number): void {
    const mask = this.table.length - 1;
    let bucket = hash(key) & mask;
    for (; ; bucket = (bucket + 1) & mask) {
      const slot = this.table[bucket];
      if (slot === EMPTY) break;
      if (this.keys[slot] === key) {
        this.weights[slot] += weight;
        return;
      }
    }
    if (this.used === this.keys.length) this.growArrays(this.keys.length * 2);
    this.keys[this.used] = key;
    this.weights[this.used] = weight;
    this.table[bucket] = this.used;
    this.used += 1;
    if (this.used * 2 > this.table.length) this.rehash(this.table.length * 2);
  }

  forEach(visit: (key: number, weight: number) => void): void {
    for (let slot = 0; slot < this.used; slot += 1) visit(this.keys[slot], this.weights[slot]);
  }

  scale(factor: number): void {
    for (let slot = 0; slot < this.used; slot += 1) this.weights[slot] *= factor;
  }

  /**
   * Keeps the `keep` heaviest neighbours, compacting in place. The threshold comes from a native numeric
   * sort of a copy of the weights (no comparator callbacks: this runs tens of thousands of times on a
   * full recompute); ties at the threshold keep the earlier-inserted neighbours.
   */
  prune(keep: number): void {
    if (this.used <= keep) return;
    const threshold = this.weights.slice(0, this.used).sort()[this.used - keep];
    let aboveThreshold = 0;
    for (let slot = 0; slot < this.used; slot += 1) if (this.weights[slot] > threshold) aboveThreshold += 1;
    let tiesAllowed = keep - aboveThreshold;
    let kept = 0;
    for (let slot = 0; slot < this.used; slot += 1) {
      const weight = this.weights[slot];
      if (weight < threshold || (weight === threshold && tiesAllowed-- <= 0)) continue;
      this.keys[kept] = this.keys[slot];
      this.weights[kept] = weight;
      kept += 1;
    }
    this.used = kept;
    this.rehash(this.table.length);
  }

  toJSON(): [number[], number[]] {
    return [Array.from(this.keys.subarray(0, this.used)), Array.from(this.weights.subarray(0, this.used))];
  }

  static fromJSON([keys, weights]: [number[], number[]]): NeighbourList {
    const list = new NeighbourList();
    keys.forEach((key, i) => list.add(key, weights[i] ?? 0));
    return list;
  }

  private growArrays(capacity: number): void {
    const keys = new Int32Array(capacity);
    keys.set(this.keys);
    const weights = new Float64Array(capacity);
    weights.set(this.weights);
    this.keys = keys;
    this.weights = weights;
  }

  private rehash(tableSize: number): void {
    const table = new Int32Array(tableSize).fill(EMPTY);
    const mask = tableSize - 1;
    for (let slot = 0; slot < this.used; slot += 1) {
      let bucket = hash(this.keys[slot]) & mask;
      while (table[bucket] !== EMPTY) bucket = (bucket + 1) & mask;
      table[bucket] = slot;
    }
    this.table = table;
  }
}
