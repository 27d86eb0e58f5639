/**
 * Lua shared by both controllers' Redis scripts for what guards a step: the absolute ceilings
 * (GCRA, the same formula as `src/friction/ceiling.ts`), the clock bound (a step never uses a
 * time later than Redis's own `TIME` plus {@link CLOCK_TOLERANCE_MS}) and the validation of a
 * stored state (the same rule as `assertState`: a state that fails is refused, never replaced).
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import CEILING from './lua/ceiling.lua';
import VALIDATE_STATE from './lua/validate-state.lua';
import { luaNumber, luaNumbers } from './redis-lua-lib.js';

/**
 * How far a replica's clock may run ahead of the Redis server's clock before the step uses the
 * server's time (plus this) instead, ms. A clock that is behind is used as it is (it only
 * delays decay and refill).
 */
export const CLOCK_TOLERANCE_MS = 1000;

/** The ceiling table and the clock tolerance, baked into a script. */
export function guardConfigLua(cfg: ResolvedFrictionConfig): string {
  const perTool = cfg.toolCeilings
    .map((list) => (list.length === 0 ? 'NOC' : luaNumbers(list.map((c) => c + 1))))
    .join(',');
  const maxWindow = Math.max(0, ...cfg.ceilings.map((c) => c.windowMs));
  const list = (values: number[]) => (values.length === 0 ? 'NOC' : luaNumbers(values));
  return `local C = ${cfg.ceilings.length}
local NG = ${cfg.groups.length}
local NOC = {}
local CEIL_LIM = ${list(cfg.ceilings.map((c) => c.limit))}
local CEIL_WIN = ${list(cfg.ceilings.map((c) => c.windowMs))}
local CEIL_MAXWIN = ${luaNumber(maxWindow)}
local TOOL_CEILS = {${perTool}}
local SKEW = ${CLOCK_TOLERANCE_MS}
`;
}

/** GCRA buckets: `ceilOk(s, i, t)` (1-based tool) and `chargeCeil(s, i, t)`. */
export const CEILING_LUA: string = `\n${CEILING}`;

/**
 * `readRest(s, raw, p, no)`: reads the ring and the other tools of a stored state, with the
 * checks of `assertState` that the stored layout does not make by itself
 * (`redis-lua-layout.ts`: the header fixes the lengths, every number is a double and none may be
 * NaN): counters and indexes in range, a consistent window.
 */
export const VALIDATE_LUA: string = `\n${VALIDATE_STATE}`;
