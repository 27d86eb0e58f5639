import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fixed1, fixed2 } from '../../src/friction/fixed-text.js';

/** `fixed2`/`fixed1` write exactly what `toFixed(2)`/`toFixed(1)` write, ties included. */

const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);

/** The double `steps` ulps away from `x` (x > 0). */
function ulps(x: number, steps: number): number {
  bits[0] = x;
  word[0]! += BigInt(steps);
  return bits[0]!;
}

/** `x` and its neighbours up to 3 ulps either side. */
function around(x: number): number[] {
  return [-3, -2, -1, 0, 1, 2, 3].map((k) => ulps(x, k));
}

/** The values among `xs` where either function differs from `toFixed` (expected: none). */
function mismatches(xs: Iterable<number>): number[] {
  const out: number[] = [];
  for (const x of xs) {
    if (fixed2(x) !== x.toFixed(2) || fixed1(x) !== x.toFixed(1)) out.push(x);
  }
  return out;
}

function same(x: number): void {
  expect(mismatches([x])).toEqual([]);
}

describe('fixed2 / fixed1', () => {
  it('equal toFixed for any double', () => {
    fc.assert(fc.property(fc.double(), same), { numRuns: 20_000 });
    fc.assert(fc.property(fc.double({ min: 0, max: 1 }), same), { numRuns: 20_000 });
    fc.assert(fc.property(fc.double({ min: 0, max: 200_000 }), same), { numRuns: 20_000 });
  });

  it('equal toFixed next to every tie and every step of friction', () => {
    const xs = [0, -0, 1, 0.005, 0.995, 0.125, 1.005, 2.675, 0.05, 0.15, 0.25, 0.35];
    for (let n = 1; n <= 200; n++) xs.push(...around((n - 0.5) / 100), ...around(n / 100));
    expect(mismatches(xs)).toEqual([]);
  });

  it('equal toFixed next to every tie of a cost', () => {
    const xs: number[] = [];
    for (let m = 1; m <= 20_000; m++) xs.push(...around((m - 0.5) / 10), ...around(m / 10));
    expect(mismatches(xs)).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: -3, max: 3 }), (m, k) =>
        same(ulps((m - 0.5) / 10, k)),
      ),
      { numRuns: 20_000 },
    );
  });

  it('calls toFixed only next to a tie', () => {
    const spy = vi.spyOn(Number.prototype, 'toFixed');
    try {
      for (let i = 0; i <= 1000; i++) fixed2(i / 1000);
      for (let i = 0; i <= 1000; i++) fixed1(i / 100 + 3);
      // i / 1000 × 100 is a tie for i ≡ 5 (mod 10), and so is (i / 100 + 3) × 10.
      expect(spy).toHaveBeenCalledTimes(200);
    } finally {
      spy.mockRestore();
    }
  });
});
