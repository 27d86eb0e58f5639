/**
 * Plain number arrays of exactly their length that V8 stores unboxed (small-integer elements,
 * turning into double elements on the first fraction written). Copying a frozen array
 * (`[...frozen]`) gives generic elements instead, where every double written is a separate heap
 * number; and `push` over-allocates.
 *
 * @module
 * @internal
 */

/** `n` copies of `value`. */
export function filled(n: number, value: number): number[] {
  // Packed (`new Array(n).fill` would be holey): no hole checks on the hot path, same size.
  return Array.from({ length: n }, () => value);
}

/** An unboxed copy of `values`. */
export function copied(values: readonly number[]): number[] {
  const out = filled(values.length, 0);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

/** Whether `v` is an array of exactly `len` numbers, none of them NaN (a deserialised state). */
export function isNumberArray(v: unknown, len: number): v is number[] {
  return (
    Array.isArray(v) &&
    v.length === len &&
    v.every((x) => typeof x === 'number' && !Number.isNaN(x))
  );
}
