/**
 * The stored layout of a friction state in Redis (layout 3): a text header naming the layout and
 * the dimensions it was written for, every number of the state as a little-endian IEEE double in
 * one fixed order, the window ring as bytes, then the other tools seen (count and name each).
 * A step decodes it with one `struct.unpack` and encodes it with one `struct.pack` per
 * {@link CHUNK} numbers (Redis Lua's `struct` library: exact doubles, one C call) into and out
 * of one flat table, the state the step works on: its numbers at fixed offsets
 * ({@link layoutLocalsLua}), so nothing is copied or rebuilt per call. A state whose header is not exactly the script's (another layout, another
 * configuration's dimensions, another controller, not a friction state at all) is refused.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import { luaString, ringWidth } from './redis-lua-lib.js';

/** Version of the layout, first in the header. */
export const LAYOUT_TAG = 'FR3';

/** Most numbers packed or unpacked by one `struct` call (Lua's C stack holds 8 000 values). */
const CHUNK = 4000;

/** The named fields of a decoded state. */
const NAMED = ['v', 'n', 'spent', 'lastT', 'head', 'size', 'ring', 'others', 'otherCounts'];

/** Where `lastT` is in the numbers (`-math.huge` when there is none; the only number not finite). */
const LAST_T = 2;

/** The scalars first in the numbers, in order (`no` = how many other tools follow the ring). */
const SCALARS = ['n', 'spent', 'lastT', 'head', 'size', 'no'] as const;

/** The state's arrays in stored order, with their lengths. */
function arrays(cfg: ResolvedFrictionConfig, adaptive: boolean): [string, number][] {
  const k = cfg.tools.length;
  const ng = cfg.groups.length;
  const c = cfg.ceilings.length;
  const base: [string, number][] = [
    ['friction', k],
    ['ema', k],
    ['target', k],
    ['satCount', k],
    ['satFlag', k],
    ['counts', k],
    ['groupEma', ng],
    ['ceilLevel', c],
    ['ceilAt', c],
  ];
  if (!adaptive) return base;
  return [...base, ['credit', k], ['gate', k], ['closedAt', k], ['groupCredit', ng]];
}

/** The header of a state of `cfg` stored by the `adaptive` or the proportional script. */
export function layoutHeader(cfg: ResolvedFrictionConfig, adaptive: boolean): string {
  const dims = [cfg.tools.length, cfg.groups.length, cfg.ceilings.length, cfg.windowSize];
  return `${LAYOUT_TAG}:${dims.join(':')}:${ringWidth(cfg)}:${adaptive ? 'a' : 'p'};`;
}

/** The offset local of an array (`O_FRICTION`…): its element `i` (1-based) is `s[O_X + i]`. */
function offsetName(name: string): string {
  return `O_${name.toUpperCase()}`;
}

/**
 * The layout's locals every part of a step script reads: `NF` (how many numbers) and the offset
 * of each array in them (a state is one flat table: the numbers at 1…NF, the scalars, ring and
 * other tools as named fields).
 */
export function layoutLocalsLua(cfg: ResolvedFrictionConfig, adaptive: boolean): string {
  let at = SCALARS.length;
  const lines: string[] = [];
  for (const [name, len] of arrays(cfg, adaptive)) {
    lines.push(`local ${offsetName(name)} = ${at}`);
    at += len;
  }
  return `local NF = ${at}\n${lines.join('\n')}\n`;
}

/** How many numbers a state of `cfg` has. */
function numberCount(cfg: ResolvedFrictionConfig, adaptive: boolean): number {
  return SCALARS.length + arrays(cfg, adaptive).reduce((n, [, len]) => n + len, 0);
}

/** Lua: error unless every number but `lastT` is finite (0 × their sum is 0). */
function finiteCheckLua(total: number): string {
  if (total > 400) {
    return `  local z = 0
  for i = 1, NF do if i ~= ${LAST_T + 1} then z = z + s[i] end end
  if 0 * z ~= 0 then error('invalid state') end`;
  }
  const terms: string[] = [];
  for (let g = 1; g <= total; g++) if (g !== LAST_T + 1) terms.push(`s[${g}]`);
  return `  if 0 * (${terms.join(' + ')}) ~= 0 then error('invalid state') end`;
}

/**
 * `loadState(key)` (the stored state, or a fresh one with `created` = 1), `decodeState(raw)`
 * (the state, or an error for one that is foreign or fails the checks of `readRest`) and `encodeState(s)` for `cfg`'s layout.
 */
export function stateCodecLua(cfg: ResolvedFrictionConfig, adaptive: boolean): string {
  const total = numberCount(cfg, adaptive);
  const chunks = Math.ceil(total / CHUNK);
  const size = (c: number) => Math.min(CHUNK, total - c * CHUNK);
  const fmt = (c: number) => `"<${'d'.repeat(size(c))}"`;
  // The named fields first, so the table is built with room for them (no rehash as they are set).
  const decode: string[] = [
    `  local s = {${NAMED.map((n) => `${n} = false`).join(', ')},`,
    `    struct.unpack(${fmt(0)}, raw, HL + 1)}`,
  ];
  const encode: string[] = [];
  for (let c = 0; c < chunks; c++) {
    const from = c * CHUNK;
    if (c > 0) {
      decode.push(
        `  local more = {struct.unpack(${fmt(c)}, raw, s[${from + 1}])}`,
        `  for i = 1, ${size(c) + 1} do s[${from} + i] = more[i] end`,
      );
    }
    encode.push(`struct.pack(${fmt(c)}, unpack(s, ${from + 1}, ${from + size(c)}))`);
  }
  const header = layoutHeader(cfg, adaptive);
  return `
local HEADER = ${luaString(header)}
local HL = ${header.length}
local function decodeState(raw)
  if string.sub(raw, 1, HL) ~= HEADER then error('foreign state') end
${decode.join('\n')}
  local p = s[NF + 1]
  s[NF + 1] = nil
${finiteCheckLua(total)}
  s.v, s.n, s.spent, s.lastT, s.head, s.size = 1, s[1], s[2], s[3], s[4], s[5]
  readRest(s, raw, p, s[6])
  return s
end
local function loadState(key)
  local raw = redis.call('GET', key)
  if not raw then return fresh(), 1 end
  return decodeState(raw), 0
end
local function encodeState(s)
  local lastT = s.lastT
  if lastT == nil then lastT = -math.huge end
  s[1], s[2], s[3], s[4], s[5], s[6] = s.n, s.spent, lastT, s.head, s.size, #s.others
  return HEADER .. ${encode.join('\n    .. ')}
    .. s.ring .. packOthers(s)
end
`;
}
