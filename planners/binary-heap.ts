/**
 * A binary min-heap of (key, tie, id) triples on typed arrays: no per-entry objects, storage
 * reused between searches (clear() only resets the size). Ordered by key, then by larger `tie`
 * (A* passes g, so among equal f the node nearer the goal comes first). Duplicate ids are
 * allowed: searches push again instead of decreasing a key and skip stale entries on pop.
 */
export class BinaryHeap {
  private keys: Float64Array;
  private ties: Float64Array;
  private ids: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    const c = Math.max(16, capacity | 0);
    this.keys = new Float64Array(c);
    this.ties = new Float64Array(c);
    this.ids = new Int32Array(c);
  }

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  /** Key of the top entry (Infinity when empty). */
  peekKey(): number {
    return this.n > 0 ? this.keys[0] : Infinity;
  }

  push(key: number, tie: number, id: number): void {
    if (this.n === this.keys.length) this.grow();
    const keys = this.keys;
    const ties = this.ties;
    const ids = this.ids;
    let i = this.n++;
    // Sift up: move parents down until the slot fits.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p];
      if (pk < key || (pk === key && ties[p] >= tie)) break;
      keys[i] = pk;
      ties[i] = ties[p];
      ids[i] = ids[p];
      i = p;
    }
    keys[i] = key;
    ties[i] = tie;
    ids[i] = id;
  }

  /** Removes the top entry and returns its id (-1 when empty). */
  pop(): number {
    if (this.n === 0) return -1;
    const keys = this.keys;
    const ties = this.ties;
    const ids = this.ids;
    const top = ids[0];
    const n = --this.n;
    if (n === 0) return top;
    const key = keys[n];
    const tie = ties[n];
    const id = ids[n];
    let i = 0;
    // Sift down the former last entry.
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (keys[r] < keys[c] || (keys[r] === keys[c] && ties[r] > ties[c]))) c = r;
      const ck = keys[c];
      if (key < ck || (key === ck && tie >= ties[c])) break;
      keys[i] = ck;
      ties[i] = ties[c];
      ids[i] = ids[c];
      i = c;
    }
    keys[i] = key;
    ties[i] = tie;
    ids[i] = id;
    return top;
  }

  private grow(): void {
    const c = this.keys.length * 2;
    const keys = new Float64Array(c);
    keys.set(this.keys);
    const ties = new Float64Array(c);
    ties.set(this.ties);
    const ids = new Int32Array(c);
    ids.set(this.ids);
    this.keys = keys;
    this.ties = ties;
    this.ids = ids;
  }
}
