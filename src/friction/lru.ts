/**
 * A map kept in least-recently-used order: the order a `Map` gets from `delete` + `set` on every
 * use, at the cost of relinking two list nodes instead of two hash-table writes (and the
 * periodic rehash of the holes `delete` leaves).
 *
 * @module
 * @internal
 */

interface Node<V> {
  readonly key: string;
  readonly value: V;
  /** The next older entry. */
  older: Node<V> | undefined;
  /** The next newer entry. */
  newer: Node<V> | undefined;
}

/** String keys to values, oldest use first. @internal */
export class LruMap<V> {
  readonly #nodes = new Map<string, Node<V>>();
  #oldest: Node<V> | undefined;
  #newest: Node<V> | undefined;

  /** Number of entries. */
  get size(): number {
    return this.#nodes.size;
  }

  /** The value of `key`, without changing its recency. */
  peek(key: string): V | undefined {
    return this.#nodes.get(key)?.value;
  }

  /** The value of `key`, now the most recently used entry. */
  use(key: string): V | undefined {
    const node = this.#nodes.get(key);
    if (node === undefined) return undefined;
    if (node !== this.#newest) {
      this.#unlink(node);
      this.#append(node);
    }
    return node.value;
  }

  /** Adds `key` (absent) as the most recently used entry. */
  add(key: string, value: V): void {
    const node: Node<V> = { key, value, older: undefined, newer: undefined };
    this.#nodes.set(key, node);
    this.#append(node);
  }

  /** Removes and returns the least recently used entry, if any. */
  shift(): [string, V] | undefined {
    const node = this.#oldest;
    if (node === undefined) return undefined;
    this.#nodes.delete(node.key);
    this.#unlink(node);
    return [node.key, node.value];
  }

  /** Removes every entry. */
  clear(): void {
    this.#nodes.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
  }

  #unlink(node: Node<V>): void {
    const { older, newer } = node;
    if (older === undefined) this.#oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.#newest = older;
    else newer.older = older;
    node.older = undefined;
    node.newer = undefined;
  }

  #append(node: Node<V>): void {
    const last = this.#newest;
    node.older = last;
    if (last === undefined) this.#oldest = node;
    else last.newer = node;
    this.#newest = node;
  }
}
