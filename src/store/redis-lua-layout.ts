/**
 * The stored layout of a friction state in Redis (layout 3): a text header naming the layout and
 * the dimensions it was written for, every number of the state as a little-endian IEEE double in
 * one fixed order, the window ring as bytes, then the other tools seen (count and name each).
 * A step decodes it with one `struct.unpack` and encodes it with one `struct.pack` per
 * {@link CHUNK} numbers (Redis Lua's `struct` library: exact doubles, one C call), into and out
 * of the same `FrictionState` tables the step works on, with straight-line code generated for
 * the configuration. A state whose header is not exactly the script's (another layout, another
 * configuration's dimensions, another controller, not a friction state at all) is refused.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import { luaString, ringWidth } from './redis-lua-lib.js';

/** Version of the layout, first in the header. */
export const LAYOUT_TAG = 'FR3';

/** Most numbers packed or unpacked by one `struct` call (they are call arguments: ≤ 250). */
const CHUNK = 180;

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

/**
 * `loadState(key)` (the stored state, or a fresh one with `created` = 1), `decodeState(raw)` (the state, or an error for one that is foreign or fails the checks of
 * `validScalars` and `validWindow`) and `encodeState(s)` for `cfg`'s layout.
 */
export function stateCodecLua(cfg: ResolvedFrictionConfig, adaptive: boolean): string {
  const fields = arrays(cfg, adaptive);
  const total = SCALARS.length + fields.reduce((n, [, len]) => n + len, 0);
  const chunks = Math.ceil(total / CHUNK);
  const at = (g: number) => `v${Math.floor(g / CHUNK)}[${(g % CHUNK) + 1}]`;
  const size = (c: number) => Math.min(CHUNK, total - c * CHUNK);
  const fmt = (c: number) => `"<${'d'.repeat(size(c))}"`;
  const exprs: string[] = SCALARS.map((name) =>
    name === 'no' ? '#s.others' : name === 'lastT' ? 'lastT' : `s.${name}`,
  );
  const built: string[] = SCALARS.slice(0, -1).map((name, i) => `${name} = ${at(i)}`);
  let g = SCALARS.length;
  for (const [name, len] of fields) {
    const items: string[] = [];
    for (let i = 1; i <= len; i++) {
      items.push(at(g++));
      exprs.push(`${name}[${i}]`);
    }
    built.push(`${name} = {${items.join(', ')}}`);
  }
  /** Whether one of chunk `c`'s numbers (`lastT` aside) is NaN or infinite: 0 × their sum. */
  const notFinite = (c: number) => {
    const terms: string[] = [];
    for (let g = c * CHUNK; g < c * CHUNK + size(c); g++) if (g !== LAST_T) terms.push(at(g));
    return `0 * (${terms.join(' + ')}) ~= 0`;
  };
  const decode: string[] = [];
  const encode: string[] = [];
  for (let c = 0; c < chunks; c++) {
    decode.push(
      `  local v${c} = {struct.unpack(${fmt(c)}, raw, p)}`,
      `  p = v${c}[${size(c) + 1}]`,
      `  if ${notFinite(c)} then error('invalid state') end`,
    );
    const part = exprs.slice(c * CHUNK, c * CHUNK + size(c)).join(', ');
    encode.push(`struct.pack(${fmt(c)}, ${part})`);
  }
  const header = layoutHeader(cfg, adaptive);
  const locals = fields.map(([name]) => `local ${name} = s.${name}`).join('\n  ');
  return `
local HEADER = ${luaString(header)}
local function decodeState(raw)
  if string.sub(raw, 1, ${header.length}) ~= HEADER then error('foreign state') end
  local p = ${header.length + 1}
${decode.join('\n')}
  local s = {v = 1, ${built.join(',\n    ')}}
  readOthers(s, raw, p, ${at(5)})
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
  ${locals}
  return HEADER .. ${encode.join('\n    .. ')}
    .. s.ring .. packOthers(s)
end
`;
}
