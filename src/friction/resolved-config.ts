/**
 * The validated configuration every friction component shares, with the controller's
 * {@link FrictionAlgorithm} chosen once by `resolveFrictionConfig`.
 *
 * @module
 */

import type { ResolvedAdaptiveOptions } from './adaptive/config.js';
import type { FrictionAlgorithm } from './algorithm.js';
import type { ResolvedCeiling } from './ceiling-options.js';
import type {
  ControllerConfig,
  FrictionControllerKind,
  ResolvedGroup,
  ResolvedTool,
} from './config-types.js';

/**
 * The validated, frozen configuration shared by the controller, the registry and the stores.
 * A shared store (Redis) receives it to run the same step.
 */
export interface ResolvedFrictionConfig
  extends Required<Omit<ControllerConfig, 'controller' | 'adaptive'>> {
  readonly controller: FrictionControllerKind;
  /** The controller's algorithm, chosen from `controller` (the only place that chooses). @internal */
  readonly algorithm: FrictionAlgorithm<ResolvedFrictionConfig>;
  /** Adaptive tuning (resolved for either controller; used by `'adaptive'` only). */
  readonly adaptive: ResolvedAdaptiveOptions;
  readonly tools: readonly ResolvedTool[];
  readonly toolIndex: ReadonlyMap<string, number>;
  readonly groups: readonly ResolvedGroup[];
  /** Every ceiling: the tools' (in tool order), then the groups' (in group order). */
  readonly ceilings: readonly ResolvedCeiling[];
  /** Per configured tool, the indices (into `ceilings`) of the ceilings a call of it counts in. */
  readonly toolCeilings: readonly (readonly number[])[];
  /**
   * Per configured tool, the groups with `pressureWeight > 0` it belongs to, ascending (the
   * adaptive controller's accounts beside the tool's own). Derived; not part of a fingerprint.
   */
  readonly pressureGroups: readonly (readonly number[])[];
  /** Per group, per configured tool: whether the tool is a member. Derived. */
  readonly groupMember: readonly (readonly boolean[])[];
}
