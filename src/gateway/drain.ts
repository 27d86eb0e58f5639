/**
 * Graceful shutdown of the gateway's server: stop accepting, let in-flight calls finish within
 * a bound, end the open-ended SSE listening streams at once (clients reconnect elsewhere).
 *
 * @module
 * @internal
 */

import type { Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 25;

/** Tracks the responses in flight. */
export class InFlight {
  readonly #calls = new Set<ServerResponse>();
  readonly #streams = new Set<ServerResponse>();
  #draining = false;

  /** Whether shutdown began. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Tracks `res` until it closes; `stream` marks an open-ended GET (SSE listening) stream. */
  track(res: ServerResponse, stream: boolean): void {
    const set = stream ? this.#streams : this.#calls;
    set.add(res);
    res.once('close', () => set.delete(res));
  }

  /**
   * Stops `server` accepting, ends listening streams, waits for the calls in flight (at most
   * `timeoutMs`), then closes every connection left.
   *
   * @returns The number of calls cut off by the time limit.
   */
  async drain(server: Server, timeoutMs: number): Promise<number> {
    this.#draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const stream of this.#streams) stream.destroy();
    const deadline = Date.now() + timeoutMs;
    while (this.#calls.size > 0 && Date.now() < deadline) {
      server.closeIdleConnections();
      await delay(POLL_MS);
    }
    const cut = this.#calls.size;
    server.closeAllConnections();
    await closed;
    return cut;
  }
}
