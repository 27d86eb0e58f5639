/**
 * Idle time decay (`timeDecayRate`, λ per second), shared by both controllers: friction and the
 * EMA shares fall by `e^(−λ·Δt)` between recorded calls.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from './resolved-config.js';

/** Multiplicative time decay from the last recorded call to `t` (1 = none). */
export function decayFactor(
  cfg: ResolvedFrictionConfig,
  s: { readonly lastT: number | null },
  t: number,
): number {
  const lambda = cfg.timeDecayRate;
  if (lambda <= 0 || s.lastT === null || !(t > s.lastT)) return 1;
  return Math.exp((-lambda * (t - s.lastT)) / 1000);
}
