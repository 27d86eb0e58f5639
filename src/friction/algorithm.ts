/**
 * The one interface of a friction controller's feedback loop. `proportional/` (the Python
 * package's loop, DESIGN §3.5) and `adaptive/` (credit accounts) implement it; the window, the
 * ceilings, saturation relief and the result shape are shared. `resolveFrictionConfig` puts the
 * chosen algorithm on the resolved configuration (`config.algorithm`): every step dispatches
 * through that one object, so a configuration always runs one algorithm and nothing else
 * branches on the controller kind.
 *
 * @module
 * @internal
 */

import type { FrictionResult } from './decision.js';
import type { FrictionState, LiveState } from './state-layout.js';

/**
 * A controller's per-step operations over the shared state layout. Every operation is
 * synchronous and allocation-free on the hot path; `Cfg` is `ResolvedFrictionConfig` (a type
 * parameter only so that this file does not import the configuration that refers to it).
 */
export interface FrictionAlgorithm<Cfg> {
  /** Adds the algorithm's own fields (if any) to a fresh state. */
  createFields(cfg: Cfg, s: LiveState): void;
  /**
   * The share decision for configured tool `i` at `t` (a view: the state is not changed);
   * `d` is the time-decay factor from the last recorded call to `t`. Ceilings are applied by
   * the caller.
   */
  check(cfg: Cfg, s: LiveState, i: number, t: number, d: number): FrictionResult;
  /**
   * Records one call of `name` (configured tool `ti`, or undefined) at `t` after the ceilings
   * were charged: the window, the EMAs, the budget (`charge`), friction and saturation relief.
   * The caller then advances `lastT`.
   */
  record(
    cfg: Cfg,
    s: LiveState,
    name: string,
    ti: number | undefined,
    t: number,
    d: number,
    charge: boolean,
    onSaturation: ((toolIndex: number) => void) | undefined,
  ): void;
  /** Per-tool friction at `t` that is at least `min` (for the penalty store), or undefined. */
  peaks(cfg: Cfg, s: LiveState, t: number, min: number): Record<string, number> | undefined;
  /** Applies saved frictions (as of `t`) to a fresh state as a floor. */
  restore(cfg: Cfg, s: LiveState, levels: Readonly<Record<string, number>>, t: number): void;
  /** Whether a deserialised state holds valid values of the algorithm's own fields. */
  fieldsValid(cfg: Cfg, s: FrictionState): boolean;
  /**
   * What the algorithm adds to the shared store's key fingerprint (the tuning only it reads),
   * appended after the common configuration.
   */
  fingerprint(cfg: Cfg): Readonly<Record<string, unknown>>;
}
