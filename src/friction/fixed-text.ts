/**
 * `toFixed(2)` of a friction and `toFixed(1)` of a cost, the same text without the runtime call
 * (about 80 ns each) for the values results carry. The nearest integer of `x × 10^d` is what
 * `toFixed` picks; computed in doubles it is off by far less than the guard, so a value whose
 * scaled fraction is not within 10⁻⁶ of one half rounds to the same integer, and anything closer
 * (or outside the range) goes to `toFixed` itself.
 *
 * @module
 * @internal
 */

const NEAR_HALF = 0.5 - 1e-6;

/** `n / 100` as `toFixed(2)` writes it, n = 0 … 100. */
const HUNDREDTHS: readonly string[] = Array.from({ length: 101 }, (_, n) => (n / 100).toFixed(2));

/** `m / 10` as `toFixed(1)` writes it, m = 0 … 1000. */
const TENTHS: readonly string[] = Array.from({ length: 1001 }, (_, m) => (m / 10).toFixed(1));

/** `f.toFixed(2)`; the fast path for f in [0, 1]. @internal */
export function fixed2(f: number): string {
  if (f >= 0 && f <= 1) {
    const x = f * 100;
    const n = Math.round(x);
    const frac = x - n;
    if (frac < NEAR_HALF && frac > -NEAR_HALF) return HUNDREDTHS[n]!;
  }
  return f.toFixed(2);
}

/** `c.toFixed(1)`; the fast path for c in [0, 100 000). @internal */
export function fixed1(c: number): string {
  if (c >= 0 && c < 100_000) {
    const x = c * 10;
    const m = Math.round(x);
    const frac = x - m;
    if (frac < NEAR_HALF && frac > -NEAR_HALF) {
      if (m <= 1000) return TENTHS[m]!;
      const tenth = m % 10;
      return `${(m - tenth) / 10}.${tenth}`;
    }
  }
  return c.toFixed(1);
}
