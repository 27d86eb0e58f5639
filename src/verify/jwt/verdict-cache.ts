/**
 * The JWT verdict cache: accepted tokens by SHA-256 of the token, each entry kept no longer
 * than the token's `exp`.
 *
 * @module
 * @internal
 */

import { LRUCache } from 'lru-cache';
import type { AccessToken } from '../verifier.js';

interface Entry {
  readonly accessToken: AccessToken;
  readonly untilMs: number;
}

/**
 * A bounded map from token digest to the accepted token. Lifetimes are kept against the
 * verifier's clock: an entry is dropped on the first read at or after its `untilMs`.
 */
export class VerdictCache {
  readonly #lru: LRUCache<string, Entry>;

  constructor(maxEntries: number) {
    this.#lru = new LRUCache({ max: maxEntries });
  }

  /** The accepted token for `key`, if its entry is still valid at `nowMs`. */
  get(key: string, nowMs: number): AccessToken | undefined {
    const entry = this.#lru.get(key);
    if (entry === undefined) return undefined;
    if (nowMs < entry.untilMs) return entry.accessToken;
    this.#lru.delete(key);
    return undefined;
  }

  /** Keeps `accessToken` until `untilMs` (epoch ms); nothing when that is not after `nowMs`. */
  set(key: string, accessToken: AccessToken, untilMs: number, nowMs: number): void {
    if (untilMs > nowMs) this.#lru.set(key, { accessToken, untilMs });
  }
}
