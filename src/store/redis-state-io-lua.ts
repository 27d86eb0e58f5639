/**
 * The Lua both friction step scripts share around their step: reading the client's state,
 * the saturation part of the reply, and the guarded write.
 *
 * @module
 * @internal
 */

/**
 * The state I/O both step scripts share: `loadState` (the stored state, or a fresh one with
 * `created` = 1; an unreadable or invalid state raises), `appendSaturation` (the saturation
 * triples of a reply) and, in {@link COMMIT_LUA}, the write.
 */
export const STATE_IO_LUA = `
local function loadState(key)
  local raw = redis.call('GET', key)
  if not raw then return fresh(), 1 end
  local s = cmsgpack.unpack(raw)
  if not validState(s) then error('invalid state') end
  return s, 0
end

local function appendSaturation(out, s, sat)
  for j = 1, #sat do
    local i = sat[j]
    out[#out + 1] = i - 1
    out[#out + 1] = num(s.friction[i])
    out[#out + 1] = num(s.target[i])
  end
end
`;

/**
 * Runs the script's `step` under `pcall`: a state that cannot be read, fails validation or breaks
 * the step is refused (reply `{'corrupt'}`), never replaced; otherwise the state is written when
 * the call was admitted or the state is new, and only its lifetime renewed when not.
 */
export const COMMIT_LUA = `
local ok, res = pcall(step)
if not ok then return {'corrupt'} end
local s, out = res[1], res[2]
if out[2] == 1 or out[1] == 1 then
  redis.call('SET', key, cmsgpack.pack(s), 'PX', ttlOf(s))
else
  redis.call('PEXPIRE', key, ttlOf(s))
end
return out
`;
