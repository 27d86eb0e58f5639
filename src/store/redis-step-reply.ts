/**
 * What both controllers' Redis step scripts reply, once parsed, and the tail they share: the
 * tools first saturated in the step, as `index, friction, effectiveTarget` triples.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import type { FrictionResult } from '../friction/decision.js';
import type { FrictionSaturation } from './types.js';

/** A parsed step reply of either controller's script. */
export interface RedisStepReply {
  /** The client's state was created by this step. */
  readonly created: boolean;
  readonly result: FrictionResult;
  readonly saturated: readonly FrictionSaturation[];
}

/**
 * The saturation triples of `reply` from index `from` to its end.
 *
 * @param bad - The error for a triple naming no configured tool.
 */
export function parseSaturations(
  cfg: ResolvedFrictionConfig,
  reply: readonly unknown[],
  from: number,
  bad: () => Error,
): FrictionSaturation[] {
  const out: FrictionSaturation[] = [];
  for (let j = from; j + 2 < reply.length; j += 3) {
    const tool = cfg.tools[Number(reply[j])];
    if (tool === undefined) throw bad();
    out.push({
      toolName: tool.name,
      friction: Number(reply[j + 1]),
      targetRate: tool.targetRate,
      effectiveTarget: Number(reply[j + 2]),
    });
  }
  return out;
}
