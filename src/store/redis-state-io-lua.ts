/**
 * The Lua both friction step scripts share around their step: reading the client's state,
 * the saturation part of the reply, and the guarded write.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import COMMIT from './lua/commit.lua';
import STATE_IO from './lua/state-io.lua';
import { stateCodecLua } from './redis-lua-layout.js';

/**
 * The state I/O both step scripts share, for `cfg`'s stored layout (`redis-lua-layout.ts`):
 * `loadState` (the stored state, or a fresh one with `created` = 1; an unreadable, foreign or
 * invalid state raises), `encodeState`, `appendSaturation` (the saturation triples of a reply)
 * and, in {@link COMMIT_LUA}, the write.
 */
export function stateIoLua(cfg: ResolvedFrictionConfig, adaptive: boolean): string {
  return `\n${STATE_IO}${stateCodecLua(cfg, adaptive)}`;
}

/**
 * Runs the script's `step` under `pcall`: a state that cannot be read, fails validation or breaks
 * the step is refused (reply `{'corrupt'}`), never replaced; otherwise the state is written when
 * the call was admitted or the state is new, and only its lifetime renewed when not.
 */
export const COMMIT_LUA: string = `\n${COMMIT}`;
