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
import { luaNumber, luaNumbers } from './redis-lua-lib.js';

/**
 * How far a replica's clock may run ahead of the Redis server's clock before the step uses the
 * server's time (plus this) instead, ms. A clock that is behind is used as it is (it only
 * delays decay and refill).
 */
export const CLOCK_TOLERANCE_MS = 1000;

/** The ceiling table and the clock tolerance, baked into a script. */
export function guardConfigLua(cfg: ResolvedFrictionConfig): string {
  const perTool = cfg.toolCeilings.map((list) => luaNumbers(list.map((c) => c + 1))).join(',');
  const maxWindow = Math.max(0, ...cfg.ceilings.map((c) => c.windowMs));
  return `local C = ${cfg.ceilings.length}
local NG = ${cfg.groups.length}
local CEIL_LIM = ${luaNumbers(cfg.ceilings.map((c) => c.limit))}
local CEIL_WIN = ${luaNumbers(cfg.ceilings.map((c) => c.windowMs))}
local CEIL_MAXWIN = ${luaNumber(maxWindow)}
local TOOL_CEILS = {${perTool}}
local SKEW = ${CLOCK_TOLERANCE_MS}
`;
}

/** GCRA buckets: `ceilOk(s, i, t)` (1-based tool) and `chargeCeil(s, i, t)`. */
export const CEILING_LUA = `
local function drained(c, x, at, t)
  local e = 0
  if t > at then e = t - at end
  local v = x - (e * CEIL_LIM[c]) / CEIL_WIN[c]
  if v > 0 then return v end
  return 0
end

local function ceilOk(s, i, t)
  local list = TOOL_CEILS[i]
  for j = 1, #list do
    local c = list[j]
    if not (drained(c, s.ceilLevel[c], s.ceilAt[c], t) + 1 <= CEIL_LIM[c]) then return false end
  end
  return true
end

local function chargeCeil(s, i, t)
  local list = TOOL_CEILS[i]
  for j = 1, #list do
    local c = list[j]
    s.ceilLevel[c] = drained(c, s.ceilLevel[c], s.ceilAt[c], t) + 1
    if t > s.ceilAt[c] then s.ceilAt[c] = t end
  end
end

local function ceilView(s)
  local out = {}
  for c = 1, C do out[c] = num(s.ceilLevel[c]); out[C + c] = num(s.ceilAt[c]) end
  return out
end

local function clampTime(t)
  local now = redis.call('TIME')
  local limit = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + SKEW
  if t > limit then return limit end
  return t
end
`;

/**
 * `validState(s)`: the checks of `assertState` (version, lengths, numbers, a consistent
 * window; with `adaptive`, the adaptive fields too).
 */
export function validateLua(adaptive: boolean): string {
  const extra = adaptive
    ? `
  if not (numArr(s.credit, K) and numArr(s.gate, K) and numArr(s.closedAt, K)
    and numArr(s.groupCredit, NG)) then return false end`
    : '';
  return `
local function numArr(a, n)
  if type(a) ~= 'table' or #a ~= n then return false end
  for i = 1, n do
    local x = a[i]
    if type(x) ~= 'number' or x ~= x then return false end
  end
  return true
end

local function isIndex(x, size)
  return type(x) == 'number' and x == math.floor(x) and x >= 0 and x < size
end

local function validState(s)
  if type(s) ~= 'table' or s.v ~= 1 then return false end
  if type(s.n) ~= 'number' or not (s.n >= 0) then return false end
  if type(s.spent) ~= 'number' or not (s.spent >= 0) then return false end
  if s.lastT ~= nil and type(s.lastT) ~= 'number' then return false end
  if not (numArr(s.friction, K) and numArr(s.ema, K) and numArr(s.target, K)
    and numArr(s.satCount, K) and numArr(s.satFlag, K) and numArr(s.counts, K)
    and numArr(s.groupEma, NG) and numArr(s.ceilLevel, C) and numArr(s.ceilAt, C)) then
    return false
  end
  local others = s.others
  if type(others) ~= 'table' then return false end
  local no = #others
  for j = 1, no do if type(others[j]) ~= 'string' then return false end end
  if not numArr(s.otherCounts, no) then return false end
  if type(s.ring) ~= 'string' or #s.ring ~= W * RW then return false end
  if not (isIndex(s.head, W) and isIndex(s.size, W + 1)) then return false end
  if RW == 1 then
    for i = 1, W, 4000 do
      if math.max(string.byte(s.ring, i, math.min(W, i + 3999))) > K + no then return false end
    end
  else
    for i = 1, W do
      if ringGet(s, i) >= K + no then return false end
    end
  end
  local total = 0
  for i = 1, K do total = total + s.counts[i] end
  for j = 1, no do total = total + s.otherCounts[j] end
  if total ~= s.size then return false end${extra}
  return true
end
`;
}
