/**
 * The Lua body of the `'adaptive'` friction step (see `redis-adaptive-script.ts`, which
 * prepends the prelude and the baked-in configuration). Same order of operations as
 * `src/friction/state.ts` + `src/friction/adaptive/state.ts`, 1-based arrays. The parts are
 * `lua/adaptive-*.lua` and the Lua both controllers share.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import ADAPTIVE_CREDIT from './lua/adaptive-credit.lua';
import ADAPTIVE_FRESH from './lua/adaptive-fresh.lua';
import ADAPTIVE_RECORD from './lua/adaptive-record.lua';
import ADAPTIVE_STEP from './lua/adaptive-step.lua';
import ADAPTIVE_VIEW from './lua/adaptive-view.lua';
import STEP_ARGS from './lua/step-args.lua';
import { CEILING_LUA, VALIDATE_LUA } from './redis-lua-guards.js';
import { SATURATION_LUA, TTL_LUA, WINDOW_LUA } from './redis-lua-lib.js';
import { COMMIT_LUA, stateIoLua } from './redis-state-io-lua.js';

/** The fresh state (the layout of `FrictionState`) and the shared window bookkeeping. */
const STATE_LUA = `\n${ADAPTIVE_FRESH}\n${WINDOW_LUA}\n`;

/** Credit, friction, gate and the check; then the record. */
const CONTROL_LUA = `${CEILING_LUA}\n${ADAPTIVE_CREDIT}\n${SATURATION_LUA}\n${ADAPTIVE_RECORD}`;

/** TTL, the view and the validation. */
const CHECKS_LUA = `\n${TTL_LUA}\n${ADAPTIVE_VIEW}\n${VALIDATE_LUA}\n${STEP_ARGS}`;

/** The whole step body for `cfg`: the above, state I/O, the step and the write. */
export function adaptiveStepLua(cfg: ResolvedFrictionConfig): string {
  return `${STATE_LUA}${CONTROL_LUA}${CHECKS_LUA}${stateIoLua(cfg, true)}\n${ADAPTIVE_STEP}${COMMIT_LUA}`;
}
