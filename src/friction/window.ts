/**
 * The sliding window shared by both controllers: a ring of the last `windowSize` calls with a
 * count per tool, and the EMA-smoothed share of each configured tool (DESIGN §3.5 steps 1–2).
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from './resolved-config.js';
import type { LiveState, WindowRing } from './state-layout.js';

/** A ring of `cfg.windowSize` empty slots, as small as the slot numbers allow. */
export function emptyRing(cfg: ResolvedFrictionConfig): WindowRing {
  // Slots hold −1 … tools + windowSize − 1 (at most windowSize unconfigured tools at once).
  const small = cfg.tools.length + cfg.windowSize <= 0x7fff;
  return (small ? new Int16Array(cfg.windowSize) : new Int32Array(cfg.windowSize)).fill(-1);
}

function otherSlot(s: LiveState, name: string): number {
  return s.others.indexOf(name);
}

/** Raw share of the window held by `name` (configured or not). */
export function rawRate(cfg: ResolvedFrictionConfig, s: LiveState, name: string): number {
  if (s.size === 0) return 0;
  const i = cfg.toolIndex.get(name);
  if (i !== undefined) return s.counts[i]! / s.size;
  const j = otherSlot(s, name);
  return j < 0 ? 0 : s.otherCounts[j]! / s.size;
}

/** Adds a call of `name` (configured tool `ti`, or undefined) to the window. */
export function pushWindow(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  ti: number | undefined,
): void {
  const k = cfg.tools.length;
  if (s.size === cfg.windowSize) {
    const old = s.ring[s.head]!;
    if (old < k) s.counts[old]!--;
    else if (--s.otherCounts[old - k]! === 0) s.others[old - k] = '';
  } else {
    s.size++;
  }
  let slot = ti;
  if (slot !== undefined) {
    s.counts[slot]!++;
  } else {
    let j = otherSlot(s, name);
    if (j < 0) {
      j = s.others.indexOf('');
      if (j < 0) {
        // Grown by one exact copy (rare): `push` would over-allocate in every client.
        j = s.others.length;
        s.others = s.others.concat(name);
        s.otherCounts = s.otherCounts.concat(0);
      } else {
        s.others[j] = name;
      }
    }
    s.otherCounts[j]!++;
    slot = k + j;
  }
  s.ring[s.head] = slot;
  s.head = (s.head + 1) % cfg.windowSize;
}

/**
 * Applies the time decay `d` to every configured tool's EMA share and moves it one step towards
 * its window share (`d` = 1: no decay, the same value as without the product).
 */
export function updateEmas(cfg: ResolvedFrictionConfig, s: LiveState, d: number): void {
  const a = cfg.emaAlpha;
  const size = s.size;
  for (let i = 0; i < s.ema.length; i++) {
    s.ema[i] = a * (s.counts[i]! / size) + (1 - a) * (s.ema[i]! * d);
  }
}
