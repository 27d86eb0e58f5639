/**
 * Lua building blocks shared by the Redis friction scripts: an `exp` that is bit-for-bit
 * JavaScript's `Math.exp`, exact number formatting, and literal encoders for baking a
 * configuration into a script.
 *
 * Redis Lua's `math.exp` is the C library's, which differs from V8's in the last bit for about
 * one argument in twenty; over many decay steps that would let the Redis store drift from the
 * memory store. `fexp` is a port of fdlibm's `__ieee754_exp`, the algorithm V8 uses for
 * `Math.exp` (including its `exp(1) = E` special case), written with comparisons and
 * `math.ldexp` instead of bit access; every operation is an IEEE double operation in the same
 * order, so the results are identical (test/store/redis-lua.test.ts checks 100 000 arguments).
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';

/** `fexp(x)`: fdlibm `exp`, and `num(x)`: a number as a round-trip-exact string. */
export const LUA_PRELUDE = `
local FDL_A = math.ldexp(1 + 0x62E43 / 1048576, -2)
local FDL_B = 1 + 0x0A2B2 / 1048576
local FDL_C = math.ldexp(1, -28)
local FDL_D = math.ldexp(1 + 0x62E42 / 1048576, 9)
local function fexp(x)
  if x ~= x then return x end
  local ax = math.abs(x)
  if ax >= FDL_D then
    if x == math.huge then return x end
    if x == -math.huge then return 0.0 end
    if x > 7.09782712893383973096e+02 then return math.huge end
    if x < -7.45133219101941108420e+02 then return 0.0 end
  end
  local hi, lo, k = 0.0, 0.0, 0
  if ax >= FDL_A then
    if ax < FDL_B then
      if x == 1.0 then return 2.718281828459045 end
      if x >= 0 then
        hi = x - 6.93147180369123816490e-01; lo = 1.90821492927058770002e-10; k = 1
      else
        hi = x + 6.93147180369123816490e-01; lo = -1.90821492927058770002e-10; k = -1
      end
    else
      local v = 1.44269504088896338700e+00 * x + (x >= 0 and 0.5 or -0.5)
      if v >= 0 then k = math.floor(v) else k = math.ceil(v) end
      hi = x - k * 6.93147180369123816490e-01
      lo = k * 1.90821492927058770002e-10
    end
    x = hi - lo
  elseif ax < FDL_C then
    return 1.0 + x
  end
  local t = x * x
  local c = x - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03
    + t * (6.61375632143793436117e-05 + t * (-1.65339022054652515390e-06
    + t * 4.13813679705723846039e-08))))
  if k == 0 then return 1.0 - ((x * c) / (c - 2.0) - x) end
  local y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi)
  if k >= -1021 then
    if k == 1024 then return y * 2.0 * 8.988465674311579539e307 end
    return y * math.ldexp(1, k)
  end
  return y * math.ldexp(1, k + 1000) * 9.33263618503218878990e-302
end
local function num(x) return string.format('%.17g', x) end
local function numArray(a)
  local p = {}
  for i = 1, #a do p[i] = string.format('%.17g', a[i]) end
  return '[' .. table.concat(p, ',') .. ']'
end
`;

/** A finite or infinite number as a Lua expression that parses to exactly the same double. */
export function luaNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return 'math.huge';
  if (value === Number.NEGATIVE_INFINITY) return '(-math.huge)';
  if (Number.isNaN(value)) return '(0/0)';
  return Object.is(value, -0) ? '(-0.0)' : `(${String(value)})`;
}

/** Any string as a Lua string literal (every UTF-8 byte as a decimal escape). */
export function luaString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) out += `\\${byte}`;
  return `${out}"`;
}

/** A list of numbers as a Lua array constructor. */
export function luaNumbers(values: readonly number[]): string {
  return `{${values.map(luaNumber).join(',')}}`;
}

/**
 * The sliding window of recent calls, shared by both controllers' scripts: a ring of tool slots
 * with per-tool counts (configured tools first, then the other tool names seen). The ring is a
 * byte string of `RW` bytes per slot (slot + 1, big-endian; 0 = empty), so a step reads and
 * writes one slot instead of decoding and encoding `windowSize` numbers.
 */
export const WINDOW_LUA = `
local function ringGet(s, i)
  if RW == 1 then return string.byte(s.ring, i) - 1 end
  local a, b = string.byte(s.ring, 2 * i - 1, 2 * i)
  return a * 256 + b - 1
end

local function ringSet(s, i, v)
  local c
  if RW == 1 then c = string.char(v + 1) else c = string.char(math.floor((v + 1) / 256), (v + 1) % 256) end
  s.ring = string.sub(s.ring, 1, (i - 1) * RW) .. c .. string.sub(s.ring, i * RW + 1)
end

local function otherSlot(s, name)
  for j = 1, #s.others do if s.others[j] == name then return j end end
  return nil
end

local function rawRate(s, name)
  if s.size == 0 then return 0 end
  local j = otherSlot(s, name)
  if j == nil then return 0 end
  return s.otherCounts[j] / s.size
end

local function pushWindow(s, name, ti)
  if s.size == W then
    local old = ringGet(s, s.head + 1)
    if old < K then
      s.counts[old + 1] = s.counts[old + 1] - 1
    else
      local j = old - K + 1
      s.otherCounts[j] = s.otherCounts[j] - 1
      if s.otherCounts[j] == 0 then s.others[j] = '' end
    end
  else
    s.size = s.size + 1
  end
  local slot = ti
  if ti ~= nil then
    s.counts[ti + 1] = s.counts[ti + 1] + 1
  else
    local j = otherSlot(s, name)
    if j == nil then
      j = otherSlot(s, '')
      if j == nil then
        j = #s.others + 1
        s.others[j] = name
        s.otherCounts[j] = 0
      else
        s.others[j] = name
      end
    end
    s.otherCounts[j] = s.otherCounts[j] + 1
    slot = K + j - 1
  end
  ringSet(s, s.head + 1, slot)
  s.head = (s.head + 1) % W
end
`;

/**
 * Bytes per ring slot in a stored state: 1 while every slot value + 1 fits a byte, else 2
 * (windows up to 65 535 slots with the tools).
 */
export function ringWidth(cfg: ResolvedFrictionConfig): 1 | 2 {
  return cfg.tools.length + cfg.windowSize < 255 ? 1 : 2;
}

/** Key lifetimes baked into the script. */
export interface FrictionScriptTtls {
  /** Idle lifetime of a client's state, ms (integer ≥ 1). */
  readonly clientTtlMs: number;
  /** Lifetime of a state holding a penalty (friction ≥ `penaltyMinFriction`), ms; 0 = none. */
  readonly penaltyTtlMs: number;
  readonly penaltyMinFriction: number;
}

/**
 * The configuration locals both controllers' scripts read (tool table, window, decay, budget,
 * saturation, TTLs), baked into the script text.
 */
export function sharedConfigLua(cfg: ResolvedFrictionConfig, ttl: FrictionScriptTtls): string {
  const tools = cfg.tools;
  const index = tools.map((t, i) => `[${luaString(t.name)}]=${i}`).join(',');
  return `
local K = ${tools.length}
local W = ${cfg.windowSize}
local ALPHA = ${luaNumber(cfg.emaAlpha)}
local LAMBDA = ${luaNumber(cfg.timeDecayRate)}
local BUDGET = ${luaNumber(cfg.defaultBudget)}
local SAT_T = ${luaNumber(cfg.saturationThreshold)}
local SAT_W = ${luaNumber(cfg.saturationWindow)}
local SAT_R = ${luaNumber(cfg.saturationReliefRate)}
local RW = ${ringWidth(cfg)}
local INDEX = {${index}}
local TARGET = ${luaNumbers(tools.map((t) => t.targetRate))}
local MINC = ${luaNumbers(tools.map((t) => t.minCost))}
local MAXC = ${luaNumbers(tools.map((t) => t.maxCost))}
local HARD = ${luaNumbers(tools.map((t) => t.hardBlockThreshold))}
local CLIENT_TTL = ${Math.ceil(ttl.clientTtlMs)}
local PENALTY_TTL = ${Math.ceil(ttl.penaltyTtlMs)}
local PENALTY_MIN = ${luaNumber(ttl.penaltyMinFriction)}
`;
}

/** Saturation relief (DESIGN §3.5 step 4), shared by both controllers' scripts. */
export const SATURATION_LUA = `
local function detectSaturation(s, sat)
  if SAT_W <= 0 then return end
  for i = 1, K do
    local c = 0
    if s.friction[i] >= SAT_T then c = s.satCount[i] + 1 end
    s.satCount[i] = c
    if c >= SAT_W then
      if s.satFlag[i] == 0 then
        s.satFlag[i] = 1
        sat[#sat + 1] = i
      end
      s.target[i] = math.min(s.target[i] + SAT_R, 1)
    end
  end
end
`;

/**
 * The Lua `encode(s)`: the state as `FrictionState` JSON with round-trip-exact numbers.
 * `extraFields` appends Lua concatenations of further fields (the adaptive controller's).
 */
export function encodeLua(extraFields = ''): string {
  return `
local RW = tonumber(ARGV[1]) or 1
local function ringArray(r)
  local a = {}
  for i = 1, #r / RW do
    if RW == 1 then a[i] = string.byte(r, i) - 1
    else a[i] = string.byte(r, 2 * i - 1) * 256 + string.byte(r, 2 * i) - 1 end
  end
  return a
end
local function encode(s)
  local others = {}
  for j = 1, #s.others do others[j] = cjson.encode(s.others[j]) end
  local lastT = 'null'
  if s.lastT ~= nil then lastT = num(s.lastT) end
  return '{"v":1,"n":' .. num(s.n) .. ',"lastT":' .. lastT .. ',"spent":' .. num(s.spent)
    .. ',"friction":' .. numArray(s.friction) .. ',"ema":' .. numArray(s.ema)
    .. ',"target":' .. numArray(s.target) .. ',"satCount":' .. numArray(s.satCount)
    .. ',"satFlag":' .. numArray(s.satFlag) .. ',"groupEma":' .. numArray(s.groupEma)
    .. ',"ring":' .. numArray(ringArray(s.ring)) .. ',"head":' .. num(s.head) .. ',"size":' .. num(s.size)
    .. ',"counts":' .. numArray(s.counts) .. ',"others":[' .. table.concat(others, ',')
    .. '],"otherCounts":' .. numArray(s.otherCounts) .. ',"ceilLevel":' .. numArray(s.ceilLevel)
    .. ',"ceilAt":' .. numArray(s.ceilAt)${extraFields} .. '}'
end
`;
}

/**
 * A state's key lifetime: the penalty TTL while it limits the client (a friction at or above the
 * penalty minimum, or a spent budget when budgeting is on), and at least the longest ceiling
 * window while a ceiling bucket is not empty — expiry must not erase what limits.
 */
export const TTL_LUA = `
local function ttlOf(s)
  local ttl = CLIENT_TTL
  if PENALTY_TTL > ttl then
    local limited = BUDGET < math.huge and s.spent > 0
    for i = 1, K do
      if s.friction[i] >= PENALTY_MIN and s.friction[i] > 0 then limited = true end
    end
    if limited then ttl = PENALTY_TTL end
  end
  if CEIL_MAXWIN > ttl then
    for c = 1, C do
      if s.ceilLevel[c] > 0 then return CEIL_MAXWIN end
    end
  end
  return ttl
end
`;
