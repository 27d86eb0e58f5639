/**
 * The `'adaptive'` controller as a {@link FrictionAlgorithm}: credit accounts per tool and group
 * (the math is in `state.ts` here) around the shared window and EMA update.
 *
 * @module
 * @internal
 */

import type { FrictionAlgorithm } from '../algorithm.js';
import { isNumberArray } from '../number-array.js';
import type { ResolvedFrictionConfig } from '../resolved-config.js';
import type { FrictionState, LiveState } from '../state-layout.js';
import { pushWindow, updateEmas } from '../window.js';
import {
  adaptiveAfterRecord,
  adaptiveBeforeRecord,
  adaptiveCheck,
  adaptivePeaks,
  adaptiveRestore,
  createAdaptiveFields,
} from './state.js';

function record(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  ti: number | undefined,
  t: number,
  d: number,
  charge: boolean,
  onSaturation: ((toolIndex: number) => void) | undefined,
): void {
  adaptiveBeforeRecord(cfg, s, ti, t, charge);
  pushWindow(cfg, s, name, ti);
  s.n++;
  updateEmas(cfg, s, d);
  adaptiveAfterRecord(cfg, s, ti, t, onSaturation);
}

function fieldsValid(cfg: ResolvedFrictionConfig, s: FrictionState): boolean {
  const k = cfg.tools.length;
  return (
    isNumberArray(s.credit, k) &&
    isNumberArray(s.gate, k) &&
    isNumberArray(s.closedAt, k) &&
    isNumberArray(s.groupCredit, cfg.groups.length)
  );
}

/** The `'adaptive'` {@link FrictionAlgorithm}. */
export const adaptiveAlgorithm: FrictionAlgorithm<ResolvedFrictionConfig> = Object.freeze({
  createFields: (cfg: ResolvedFrictionConfig, s: LiveState): void => {
    Object.assign(s, createAdaptiveFields(cfg));
  },
  check: adaptiveCheck,
  record,
  peaks: adaptivePeaks,
  restore: adaptiveRestore,
  fieldsValid,
  /** The adaptive tuning, which only this controller reads. */
  fingerprint: (cfg: ResolvedFrictionConfig) => ({ adaptive: cfg.adaptive }),
});
