/**
 * Request coalescing and the cap on introspections in flight.
 *
 * @module
 * @internal
 */

/**
 * Shares one in-flight promise per key: concurrent callers for a key get the first caller's
 * promise. The entry is dropped when it settles, so failures are never reused.
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Promise<T>>();

  /** The in-flight promise for `key`, if any. */
  get(key: string): Promise<T> | undefined {
    return this.#flights.get(key);
  }

  /** Joins the flight for `key`, or starts one with `fn`. */
  run(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.#flights.get(key);
    if (existing !== undefined) return existing;
    const flight = fn().finally(() => {
      this.#flights.delete(key);
    });
    this.#flights.set(key, flight);
    return flight;
  }

  /** Keys in flight. */
  get size(): number {
    return this.#flights.size;
  }
}

/**
 * At most `maxActive` tasks run at once; up to `maxQueued` more wait in FIFO order; beyond that
 * `onFull()`'s error is thrown at once.
 */
export class ConcurrencyLimiter {
  readonly #maxActive: number;
  readonly #maxQueued: number;
  readonly #queue: (() => void)[] = [];
  #active = 0;

  constructor(maxActive: number, maxQueued: number) {
    this.#maxActive = maxActive;
    this.#maxQueued = maxQueued;
  }

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Runs `task` when a slot is free; throws `onFull()` when the queue is full. */
  async run<T>(task: () => Promise<T>, onFull: () => Error): Promise<T> {
    if (this.#active < this.#maxActive) {
      this.#active += 1;
    } else if (this.#queue.length < this.#maxQueued) {
      // The releasing task hands its slot over, so `#active` is unchanged here.
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else {
      throw onFull();
    }
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next === undefined) this.#active -= 1;
      else next();
    }
  }
}
