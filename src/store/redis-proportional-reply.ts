/**
 * The reply of the proportional controller's Redis step script (`proportionalStepScript`),
 * turned into the step's result with the same code as the memory store.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import { configuredResult, type FrictionResult, unconfiguredResult } from '../friction/decision.js';
import { withCeilings } from '../friction/state.js';
import { parseSaturations, type RedisStepReply } from './redis-step-reply.js';

const NONE: readonly never[] = Object.freeze([]);

function bad(): Error {
  return new TypeError('Unexpected reply from the proportional friction script');
}

function resultOf(
  cfg: ResolvedFrictionConfig,
  tool: string,
  r: readonly unknown[],
  head: number,
): FrictionResult {
  if (r[3] === 'u') return unconfiguredResult(tool, Number(r[4]));
  const i = cfg.toolIndex.get(tool);
  if (i === undefined) throw bad();
  const result = configuredResult(cfg.tools[i]!, {
    friction: Number(r[4]),
    ema: Number(r[5]),
    effectiveTarget: Number(r[6]),
    saturated: r[7] === '1',
    budgetRemaining: cfg.defaultBudget - Number(r[8]),
    decayPerMs: cfg.timeDecayRate / 1000,
  });
  if (!result.allowed) return result;
  const ceil = r.slice(9, head).map(Number);
  const n = cfg.ceilings.length;
  const view = { ceilLevel: ceil.slice(0, n), ceilAt: ceil.slice(n) };
  return withCeilings(cfg, view, i, Number(r[2]), result);
}

/**
 * Parses a reply `{created, allowed, time, kind, a, b, c, d, e, ceilLevel…, ceilAt…, sat…}`
 * (not `{'corrupt'}`).
 *
 * @throws TypeError when the reply does not have the expected shape.
 */
export function parseProportionalReply(
  cfg: ResolvedFrictionConfig,
  tool: string,
  reply: unknown,
): RedisStepReply {
  const head = 9 + 2 * cfg.ceilings.length;
  if (!Array.isArray(reply) || reply.length < head) throw bad();
  const result = resultOf(cfg, tool, reply, head);
  const saturated = reply.length > head ? parseSaturations(cfg, reply, head, bad) : NONE;
  return { created: reply[0] === 1, result, saturated };
}
