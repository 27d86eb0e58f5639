/**
 * Saturation relief, shared by both controllers: a tool whose friction stays at or above
 * `saturationThreshold` for `saturationWindow` consecutive steps gets its effective target raised
 * by `saturationReliefRate` on every further step (DESIGN §3.5, step 4).
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from './resolved-config.js';
import type { FrictionState } from './state-layout.js';

/** Runs the saturation step; `onSaturation` fires once per tool, the first time it saturates. */
export function detectSaturation(
  cfg: ResolvedFrictionConfig,
  s: Pick<FrictionState, 'friction' | 'satCount' | 'satFlag' | 'target'>,
  onSaturation?: (toolIndex: number) => void,
): void {
  const win = cfg.saturationWindow;
  if (win <= 0) return;
  for (let i = 0; i < s.friction.length; i++) {
    const c = s.friction[i]! >= cfg.saturationThreshold ? s.satCount[i]! + 1 : 0;
    s.satCount[i] = c;
    if (c < win) continue;
    if (s.satFlag[i] === 0) {
      s.satFlag[i] = 1;
      onSaturation?.(i);
    }
    s.target[i] = Math.min(s.target[i]! + cfg.saturationReliefRate, 1);
  }
}
