/**
 * Binary min-heaps used by placement. Keys live outside the heaps (a Float64Array indexed by agent
 * ledger index, a comparator for groups) so that updating a key is a write plus one sift, and
 * every comparison breaks ties by index, which keeps placement deterministic.
 */

/** Agent ledger indexes ordered by `keys[index]`, then by index. */
export class AgentHeap {
  readonly #items: number[];
  readonly #keys: Float64Array;

  /** Builds the heap from `items` in O(n). Takes ownership of the array. */
  constructor(items: number[], keys: Float64Array) {
    this.#items = items;
    this.#keys = keys;
    for (let position = (items.length >> 1) - 1; position >= 0; position -= 1) {
      this.#siftDown(position);
    }
  }

  get size(): number {
    return this.#items.length;
  }

  /** The best agent index, or -1 when empty. */
  peek(): number {
    return this.#items[0] ?? -1;
  }

  pop(): void {
    const last = this.#items.pop();
    if (last === undefined || this.#items.length === 0) return;
    this.#items[0] = last;
    this.#siftDown(0);
  }

  /** Restores order after the key of the top item changed. */
  updateTop(): void {
    this.#siftDown(0);
  }

  #less(a: number, b: number): boolean {
    const keyA = this.#keys[a]!;
    const keyB = this.#keys[b]!;
    return keyA < keyB || (keyA === keyB && a < b);
  }

  #siftDown(start: number): void {
    const items = this.#items;
    const length = items.length;
    let position = start;
    const item = items[position]!;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && this.#less(items[right]!, items[left]!)) child = right;
      if (!this.#less(items[child]!, item)) break;
      items[position] = items[child]!;
      position = child;
    }
    items[position] = item;
  }
}

/** Group numbers 0..n-1 ordered by a comparator, with removal and key updates by group number. */
export class GroupHeap {
  readonly #items: number[] = [];
  readonly #positions: Int32Array;
  readonly #less: (a: number, b: number) => boolean;

  constructor(groupCount: number, less: (a: number, b: number) => boolean) {
    this.#positions = new Int32Array(groupCount).fill(-1);
    this.#less = less;
    for (let group = 0; group < groupCount; group += 1) {
      this.#items.push(group);
      this.#positions[group] = group;
    }
    for (let position = (groupCount >> 1) - 1; position >= 0; position -= 1) {
      this.#siftDown(position);
    }
  }

  /** The best group, or -1 when empty. */
  peek(): number {
    return this.#items[0] ?? -1;
  }

  /** Restores order after the key of `group` changed in either direction. */
  update(group: number): void {
    const position = this.#positions[group]!;
    if (position < 0) return;
    this.#siftDown(this.#siftUp(position));
  }

  remove(group: number): void {
    const position = this.#positions[group]!;
    if (position < 0) return;
    this.#positions[group] = -1;
    const last = this.#items.pop()!;
    if (position === this.#items.length) return;
    this.#items[position] = last;
    this.#positions[last] = position;
    this.#siftDown(this.#siftUp(position));
  }

  #siftUp(start: number): number {
    const items = this.#items;
    let position = start;
    const item = items[position]!;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if (!this.#less(item, items[parent]!)) break;
      items[position] = items[parent]!;
      this.#positions[items[position]!] = position;
      position = parent;
    }
    items[position] = item;
    this.#positions[item] = position;
    return position;
  }

  #siftDown(start: number): void {
    const items = this.#items;
    const length = items.length;
    let position = start;
    const item = items[position]!;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && this.#less(items[right]!, items[left]!)) child = right;
      if (!this.#less(items[child]!, item)) break;
      items[position] = items[child]!;
      this.#positions[items[position]!] = position;
      position = child;
    }
    items[position] = item;
    this.#positions[item] = position;
  }
}
