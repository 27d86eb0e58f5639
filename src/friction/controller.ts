/**
 * `FrictionController`: the per-client friction feedback loop (the `'adaptive'` one by default,
 * or the proportional one of DESIGN §3.5), with optional absolute ceilings, pure and synchronous, with an injected clock.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import type { Clock } from '../types.js';
import type { ControllerConfig } from './config.js';
import {
  type FrictionConfigInput,
  type ResolvedFrictionConfig,
  resolveFrictionConfig,
} from './config.js';
import type { FrictionClientStatus, FrictionResult } from './decision.js';
import {
  checkAndRecordState,
  checkState,
  createState,
  type FrictionState,
  type LiveState,
  liveState,
  plainState,
  recordState,
} from './state.js';
import { assertState, statusState } from './state-status.js';

/** Options of {@link FrictionController}: the configuration plus collaborators. */
export interface FrictionControllerOptions extends FrictionConfigInput {
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: Clock;
  /** A state previously returned by {@link FrictionController.exportState} (same config). */
  readonly state?: FrictionState;
  /** Called once per tool when saturation relief is first triggered. */
  readonly onSaturation?: (toolName: string) => void;
}

/** Keys of {@link ControllerConfig}. */
const CONTROLLER_CONFIG: OptionKeys<ControllerConfig> = {
  windowSize: true,
  emaAlpha: true,
  adjustmentRate: true,
  asymmetricDecay: true,
  deadZone: true,
  warmupCalls: true,
  timeDecayRate: true,
  defaultBudget: true,
  saturationThreshold: true,
  saturationWindow: true,
  saturationReliefRate: true,
  controller: true,
  adaptive: true,
};

/** Keys of {@link FrictionControllerOptions}. */
const FRICTION_CONTROLLER_OPTIONS: OptionKeys<FrictionControllerOptions> = {
  ...CONTROLLER_CONFIG,
  toolConfigs: true,
  toolGroups: true,
  now: true,
  state: true,
  onSaturation: true,
};

/**
 * Adaptive friction for one client: tracks each tool's share of the last `windowSize` calls
 * (EMA-smoothed) and moves per-tool friction towards the configured target share, with the
 * credit-based `'adaptive'` loop (default) or the `'proportional'` one of DESIGN §3.5
 * (`controller` option, the Python package's), plus optional absolute ceilings per tool/group.
 *
 * @example
 * ```ts
 * const c = new FrictionController({ toolConfigs: { delete_task: { targetRate: 0.03 } } });
 * const r = c.checkAndRecord('delete_task');
 * if (!r.allowed) console.log(r.message);
 * ```
 */
export class FrictionController {
  /** The validated, frozen configuration. */
  readonly config: ResolvedFrictionConfig;
  readonly #now: Clock;
  readonly #state: LiveState;
  readonly #onSat: ((i: number) => void) | undefined;

  /**
   * @param options - Controller settings (including `controller` and `adaptive`),
   *   `toolConfigs`, `toolGroups`, `now`, `state`.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
   */
  constructor(options: FrictionControllerOptions = {}) {
    assertKnownKeys(options, FRICTION_CONTROLLER_OPTIONS, 'FrictionController');
    this.config = resolveFrictionConfig(options);
    const { now, state, onSaturation } = options;
    if (now !== undefined && typeof now !== 'function') {
      throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "now" must be a function');
    }
    this.#now = now ?? Date.now;
    this.#state = state === undefined ? createState(this.config) : this.#imported(state);
    const tools = this.config.tools;
    this.#onSat = onSaturation && ((i: number) => onSaturation(tools[i]!.name));
  }

  /**
   * Checks a proposed call without recording it. Time decay up to `t` is applied to the view.
   *
   * @param tool - Tool name.
   * @param t - Epoch ms. @default now()
   */
  check(tool: string, t: number = this.#now()): FrictionResult {
    return checkState(this.config, this.#state, tool, t);
  }

  /**
   * Records a call (charging its cost to the budget when the tool is configured) and adjusts
   * friction.
   *
   * @returns The check result after the call was recorded.
   */
  recordCall(tool: string, t: number = this.#now()): FrictionResult {
    recordState(this.config, this.#state, tool, t, true, this.#onSat);
    return checkState(this.config, this.#state, tool, t);
  }

  /** Records a call of a tool that is not limited (it still counts in the window). */
  recordUnconfigured(tool: string, t: number = this.#now()): void {
    recordState(this.config, this.#state, tool, t, false, this.#onSat);
  }

  /**
   * Checks and, when allowed, records: the registry's decision in one step.
   *
   * @returns The check result from before recording; a refused call is not recorded.
   */
  checkAndRecord(tool: string, t: number = this.#now()): FrictionResult {
    return checkAndRecordState(this.config, this.#state, tool, t, this.#onSat);
  }

  #imported(state: FrictionState): LiveState {
    return liveState(this.config, assertState(this.config, state));
  }

  /** Status of every configured tool at `t`. */
  status(t: number = this.#now()): FrictionClientStatus {
    return statusState(this.config, this.#state, t);
  }

  /** Budget left (`Infinity` when budgeting is off). */
  get budgetRemaining(): number {
    return this.config.defaultBudget - this.#state.spent;
  }

  /** A deep copy of the state: plain JSON-serialisable data, accepted back as `state`. */
  exportState(): FrictionState {
    return plainState(this.#state);
  }
}
