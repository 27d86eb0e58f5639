/**
 * Counts friction decisions in `mcp_authflow.friction.decisions`. The registry calls this for
 * every `checkAndRecord`, so the SDK wrappers and direct calls count alike.
 *
 * @module
 * @internal
 */

import { type FrictionDecisionRecord, recordFrictionDecision } from './metrics.js';

/**
 * Counts `decision` and returns it unchanged (for use in a promise chain).
 *
 * @param decision - The friction result.
 * @param configured - Whether the tool is configured; only then is its name an attribute.
 * @internal
 */
export function countFrictionDecision<T extends FrictionDecisionRecord>(
  decision: T,
  configured: boolean,
): T {
  recordFrictionDecision(decision, configured);
  return decision;
}
