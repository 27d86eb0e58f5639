/**
 * The Lua script of one friction step for the proportional controller (DESIGN §3.5), generated
 * per configuration: the tuning, the tools and the groups are baked in as constants, so a call
 * sends only the tool name, the time and the mode. It runs exactly the math of
 * `src/friction/proportional/algorithm.ts` over exactly its `FrictionState` layout, so the memory store and Redis
 * give bit-identical frictions. The state is stored in the binary layout of `redis-lua-layout.ts`
 * (exact doubles, one `struct` call each way); the read script returns it as `FrictionState`
 * JSON with round-trip-exact numbers (`%.17g`).
 *
 * A second controller gets its own script module beside this one.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import ENCODE_ADAPTIVE_FIELDS from './lua/encode-adaptive-fields.lua';
import ADJUST from './lua/proportional-adjust.lua';
import FRESH from './lua/proportional-fresh.lua';
import GROUP_PRESSURE from './lua/proportional-group-pressure.lua';
import RECORD from './lua/proportional-record.lua';
import STEP from './lua/proportional-step.lua';
import VIEW from './lua/proportional-view.lua';
import STATE_READ from './lua/state-read.lua';
import STEP_ARGS from './lua/step-args.lua';
import { foldConstants } from './redis-lua-constants.js';
import { CEILING_LUA, guardConfigLua, VALIDATE_LUA } from './redis-lua-guards.js';
import { layoutLocalsLua } from './redis-lua-layout.js';
import {
  encodeLua,
  type FrictionScriptTtls,
  LUA_PRELUDE,
  luaNumber,
  luaNumbers,
  SATURATION_LUA,
  sharedConfigLua,
  TTL_LUA,
  WINDOW_LUA,
} from './redis-lua-lib.js';
import { COMMIT_LUA, stateIoLua } from './redis-state-io-lua.js';

export type { FrictionScriptTtls } from './redis-lua-lib.js';

function configLua(cfg: ResolvedFrictionConfig, ttl: FrictionScriptTtls): string {
  const groups = cfg.groups
    .map(
      (g) =>
        `{members=${luaNumbers(g.members.map((m) => m + 1))},size=${luaNumber(g.size)},` +
        `target=${luaNumber(g.aggregateTarget)},weight=${luaNumber(g.pressureWeight)}}`,
    )
    .join(',');
  return `${sharedConfigLua(cfg, ttl)}${guardConfigLua(cfg)}${layoutLocalsLua(cfg, false)}local KAPPA = ${luaNumber(cfg.adjustmentRate)}
local BETA = ${luaNumber(cfg.asymmetricDecay)}
local DEADZONE = ${luaNumber(cfg.deadZone)}
local WARMUP = ${luaNumber(cfg.warmupCalls)}
local GROUPS = {${groups}}
`;
}

/**
 * The controller step (`lua/proportional-*.lua` and the shared parts): same order of operations
 * as `state.ts`, 1-based arrays.
 */
const CONTROL_LUA =
  `\n${FRESH}\n${WINDOW_LUA}${ADJUST}\n${SATURATION_LUA}\n${GROUP_PRESSURE}\n${CEILING_LUA}` +
  `\n${RECORD}\n${TTL_LUA}${VALIDATE_LUA}\n${VIEW}\n${STEP_ARGS}`;

/**
 * The proportional controller's step script for `cfg`. KEYS[1] = the client's state key;
 * ARGV = tool name, time (epoch ms; bounded by Redis `TIME` + `CLOCK_TOLERANCE_MS`), mode
 * (`check-and-record` | `record`). Reply: `{created, allowed, time used, kind, a, b, c, d, e,
 * ceilLevel…, ceilAt…}` then saturation triples, or `{'corrupt'}` for a state that fails
 * validation (left as it is). `fold` false leaves the constants as locals (for tests).
 */
export function proportionalStepScript(
  cfg: ResolvedFrictionConfig,
  ttl: FrictionScriptTtls,
  fold = true,
): string {
  const source = `${LUA_PRELUDE}${configLua(cfg, ttl)}${CONTROL_LUA}${stateIoLua(cfg, false)}\n${STEP}${COMMIT_LUA}`;
  return fold ? foldConstants(source) : source;
}

/** The adaptive controller's fields, when the state has them. */
const ADAPTIVE_FIELDS_LUA = `\n${ENCODE_ADAPTIVE_FIELDS.trimEnd()}`;

/**
 * Reads a stored state of either controller (KEYS[1]; its header gives the layout's dimensions,
 * see `redis-lua-layout.ts`) as `FrictionState` JSON, or nil when absent; a value that is not a
 * state of this layout reads as `{"v":0}` (which fails `assertState`).
 */
export const STATE_READ_SCRIPT: string = `${LUA_PRELUDE}${encodeLua(ADAPTIVE_FIELDS_LUA)}\n${STATE_READ}`;
