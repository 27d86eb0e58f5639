/**
 * The Lua both friction step scripts share around their step: reading the client's state,
 * the saturation part of the reply, and the guarded write.
 *
 * @module
 * @internal
 */

import COMMIT from './lua/commit.lua';
import STATE_IO from './lua/state-io.lua';

/**
 * The state I/O both step scripts share: `loadState` (the stored state, or a fresh one with
 * `created` = 1; an unreadable or invalid state raises), `appendSaturation` (the saturation
 * triples of a reply) and, in {@link COMMIT_LUA}, the write.
 */
export const STATE_IO_LUA: string = `\n${STATE_IO}`;

/**
 * Runs the script's `step` under `pcall`: a state that cannot be read, fails validation or breaks
 * the step is refused (reply `{'corrupt'}`), never replaced; otherwise the state is written when
 * the call was admitted or the state is new, and only its lifetime renewed when not.
 */
export const COMMIT_LUA: string = `\n${COMMIT}`;
