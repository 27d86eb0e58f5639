/**
 * A test-side reader and writer of the stored state layout (`src/store/redis-lua-layout.ts`,
 * layout 3), so tests can inspect a stored state and corrupt one field of it: a text header
 * `FR3:K:NG:C:W:RW:a|p;`, the numbers as little-endian doubles (`n, spent, lastT (-Infinity =
 * none), head, size, others`, then the arrays), the ring bytes, then each other tool as a double
 * count, a 32-bit length and its name.
 */

/** The header's fields. */
export interface LayoutHeader {
  tag: string;
  k: number;
  ng: number;
  c: number;
  w: number;
  rw: number;
  kind: 'a' | 'p';
}

/** A decoded stored state: scalars, arrays by name, ring bytes and the other tools. */
export interface StoredState {
  header: LayoutHeader;
  scalars: Record<'n' | 'spent' | 'lastT' | 'head' | 'size', number>;
  arrays: Record<string, number[]>;
  ring: Buffer;
  others: string[];
  otherCounts: number[];
}

const SCALARS = ['n', 'spent', 'lastT', 'head', 'size'] as const;

function arrayNames(kind: 'a' | 'p'): string[] {
  const base = [
    'friction',
    'ema',
    'target',
    'satCount',
    'satFlag',
    'counts',
    'groupEma',
    'ceilLevel',
    'ceilAt',
  ];
  return kind === 'a' ? [...base, 'credit', 'gate', 'closedAt', 'groupCredit'] : base;
}

function lengthOf(h: LayoutHeader, name: string): number {
  if (name === 'groupEma' || name === 'groupCredit') return h.ng;
  if (name === 'ceilLevel' || name === 'ceilAt') return h.c;
  return h.k;
}

/** Decodes a stored state (throws on a value that is not one). */
export function decodeStored(raw: Buffer): StoredState {
  const end = raw.indexOf(';');
  const [tag, k, ng, c, w, rw, kind] = raw.subarray(0, end).toString('latin1').split(':');
  const header = {
    tag: tag!,
    k: Number(k),
    ng: Number(ng),
    c: Number(c),
    w: Number(w),
    rw: Number(rw),
    kind: kind as 'a' | 'p',
  };
  let p = end + 1;
  const next = () => {
    const x = raw.readDoubleLE(p);
    p += 8;
    return x;
  };
  const scalars = Object.fromEntries(SCALARS.map((s) => [s, next()])) as StoredState['scalars'];
  const no = next();
  const arrays: Record<string, number[]> = {};
  for (const name of arrayNames(header.kind)) {
    arrays[name] = Array.from({ length: lengthOf(header, name) }, next);
  }
  const ring = Buffer.from(raw.subarray(p, p + header.w * header.rw));
  p += ring.length;
  const others: string[] = [];
  const otherCounts: number[] = [];
  for (let j = 0; j < no; j++) {
    otherCounts.push(next());
    const len = raw.readUInt32LE(p);
    others.push(raw.subarray(p + 4, p + 4 + len).toString('utf8'));
    p += 4 + len;
  }
  if (p !== raw.length) throw new TypeError('trailing bytes');
  return { header, scalars, arrays, ring, others, otherCounts };
}

/** Encodes `s` as stored (the arrays present in `s.arrays`, in layout order). */
export function encodeStored(s: StoredState): Buffer {
  const h = s.header;
  const head = Buffer.from(`${h.tag}:${h.k}:${h.ng}:${h.c}:${h.w}:${h.rw}:${h.kind};`, 'latin1');
  const nums = [...SCALARS.map((n) => s.scalars[n]), s.others.length];
  for (const name of arrayNames(h.kind)) nums.push(...(s.arrays[name] ?? []));
  const body = Buffer.alloc(8 * nums.length);
  for (const [i, x] of nums.entries()) body.writeDoubleLE(x, 8 * i);
  const others = s.others.map((name, j) => {
    const bytes = Buffer.from(name, 'utf8');
    const b = Buffer.alloc(12);
    b.writeDoubleLE(s.otherCounts[j]!, 0);
    b.writeUInt32LE(bytes.length, 8);
    return Buffer.concat([b, bytes]);
  });
  return Buffer.concat([head, body, s.ring, ...others]);
}
