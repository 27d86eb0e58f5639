/**
 * The Redis side of each friction algorithm: its step script and the parser of that script's
 * reply, in one table keyed by the algorithm (`config.controller`, the algorithm's name). The
 * table's type lists every controller kind, so a new algorithm does not compile without its
 * Redis step.
 *
 * @module
 * @internal
 */

import type { FrictionControllerKind, ResolvedFrictionConfig } from '../friction/config.js';
import { adaptiveStepScript, parseAdaptiveReply } from './redis-adaptive-script.js';
import { type FrictionScriptTtls, proportionalStepScript } from './redis-friction-script.js';
import { parseProportionalReply } from './redis-proportional-reply.js';
import type { RedisStepReply } from './redis-step-reply.js';

export type { RedisStepReply } from './redis-step-reply.js';

/** An algorithm's Redis step: the Lua source for a configuration, and its reply parser. */
export interface RedisAlgorithmStep {
  /** The step script's source for `cfg`. */
  script(cfg: ResolvedFrictionConfig, ttl: FrictionScriptTtls): string;
  /**
   * The step's result from a reply that is not `{'corrupt'}`.
   *
   * @throws when the reply does not have the expected shape.
   */
  parse(cfg: ResolvedFrictionConfig, tool: string, reply: unknown): RedisStepReply;
}

const REDIS_STEPS: Readonly<Record<FrictionControllerKind, RedisAlgorithmStep>> = Object.freeze({
  proportional: { script: proportionalStepScript, parse: parseProportionalReply },
  adaptive: { script: adaptiveStepScript, parse: parseAdaptiveReply },
});

/** The Redis step of the algorithm `cfg` runs. */
export function redisStepOf(cfg: ResolvedFrictionConfig): RedisAlgorithmStep {
  return REDIS_STEPS[cfg.controller];
}
