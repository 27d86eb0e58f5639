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
 * The static Lua of every script lives in `lua/*.lua`, imported as text (tsup's `text` loader,
 * the plugin in `vitest.config.ts`, `scripts/lua-loader.mjs` for Node and tsx). TypeScript only
 * generates the configuration locals and joins the parts with the blank lines they had as
 * TypeScript strings, so each script is byte-for-byte what it was: same SHA-1 for `EVALSHA`
 * (test/store/lua-snapshot.test.ts).
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import ENCODE from './lua/encode.lua';
import PRELUDE from './lua/prelude.lua';
import SATURATION from './lua/saturation.lua';
import TTL from './lua/ttl.lua';
import WINDOW from './lua/window.lua';

/** Where `encode.lua` takes the `extraFields` of {@link encodeLua}. */
const EXTRA_FIELDS = '--[[extra fields]]';

/** `fexp(x)`: fdlibm `exp`, and `num(x)`: a number as a round-trip-exact string. */
export const LUA_PRELUDE: string = `\n${PRELUDE}`;

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
export const WINDOW_LUA: string = `\n${WINDOW}`;

/**
 * Bytes per ring slot in a stored state: 1 while every slot value + 1 fits a byte, else 2
 * (windows up to 65 535 slots with the tools).
 */
export function ringWidth(cfg: ResolvedFrictionConfig): 1 | 2 {
  return cfg.tools.length + cfg.windowSize < 255 ? 1 : 2;
}

/** Each tool's target rate, then minimum cost, maximum cost and hard block threshold. */
function toolColumns(tools: ResolvedFrictionConfig['tools']): number[] {
  return [
    ...tools.map((t) => t.targetRate),
    ...tools.map((t) => t.minCost),
    ...tools.map((t) => t.maxCost),
    ...tools.map((t) => t.hardBlockThreshold),
  ];
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
local T_TARGET = 0
local T_MINC = ${tools.length}
local T_MAXC = ${2 * tools.length}
local T_HARD = ${3 * tools.length}
local TOOLC = ${luaNumbers(toolColumns(tools))}
local CLIENT_TTL = ${Math.ceil(ttl.clientTtlMs)}
local PENALTY_TTL = ${Math.ceil(ttl.penaltyTtlMs)}
local PENALTY_MIN = ${luaNumber(ttl.penaltyMinFriction)}
`;
}

/** Saturation relief (DESIGN §3.5 step 4), shared by both controllers' scripts. */
export const SATURATION_LUA: string = `\n${SATURATION}`;

/**
 * The Lua `encode(s)`: the state as `FrictionState` JSON with round-trip-exact numbers.
 * `extraFields` appends Lua concatenations of further fields (the adaptive controller's).
 */
export function encodeLua(extraFields = ''): string {
  return `\n${ENCODE.replace(EXTRA_FIELDS, () => extraFields)}`;
}

/**
 * A state's key lifetime: the penalty TTL while it limits the client (a friction at or above the
 * penalty minimum, or a spent budget when budgeting is on), and at least the longest ceiling
 * window while a ceiling bucket is not empty — expiry must not erase what limits.
 */
export const TTL_LUA: string = `\n${TTL}`;
