/**
 * The controller's state as a plain, JSON-serialisable object (DESIGN §3.5). The controller
 * class, the memory store and the Redis scripts all run the same math over exactly this layout,
 * so a decision is one atomic update of one state object.
 *
 * @module
 * @internal
 */

/**
 * Per-client controller state. Index `i` of every per-tool array is the i-th configured tool
 * (`config.tools[i]`); groups follow `config.groups`.
 */
export interface FrictionState {
  /** Layout version. */
  v: 1;
  /** Recorded calls so far (for warm-up). */
  n: number;
  /** Epoch ms of the latest recorded call; `null` before the first one. */
  lastT: number | null;
  /** Total cost charged (the budget left is `defaultBudget − spent`). */
  spent: number;
  friction: number[];
  ema: number[];
  /** Effective targets (raised by saturation relief). */
  target: number[];
  satCount: number[];
  /** 1 once saturation was detected (sticky), else 0. */
  satFlag: number[];
  groupEma: number[];
  /**
   * Ring buffer of the last `windowSize` calls: a configured tool is stored as its index `i`,
   * an unconfigured one as `tools.length + j` where `j` is its slot in `others`; −1 = empty.
   */
  ring: number[];
  /** Next write position in `ring`. */
  head: number;
  /** Number of filled entries in `ring`. */
  size: number;
  /** Window count per configured tool. */
  counts: number[];
  /** Names of unconfigured tools present in the window (`''` = free slot). */
  others: string[];
  otherCounts: number[];
  /** GCRA bucket level per ceiling (index as `config.ceilings`), in calls; see `ceiling.ts`. */
  ceilLevel: number[];
  /** Epoch ms of the last write of each ceiling bucket. */
  ceilAt: number[];
  /** `'adaptive'` controller only: credit per tool, in calls (see `adaptive/state.ts`). */
  credit?: number[];
  /** `'adaptive'` only: credit per group, in calls. */
  groupCredit?: number[];
  /** `'adaptive'` only: 1 while the tool's gate is closed. */
  gate?: number[];
  /** `'adaptive'` only: epoch ms when the tool's gate last closed. */
  closedAt?: number[];
}

/**
 * The window ring of a live state: a typed array (2 bytes a call instead of 8), a plain array
 * in an exported or imported {@link FrictionState}.
 */
export type WindowRing = number[] | Int16Array | Int32Array;

/** A state as the step functions hold it: a {@link FrictionState} whose ring may be typed. */
export type LiveState = Omit<FrictionState, 'ring'> & { ring: WindowRing };
