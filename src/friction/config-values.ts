/**
 * Validators of numeric and object friction options, with one message style
 * (`The option "name" must be …`).
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';

/** A coded `TypeError` naming option `name`. */
export function fail(
  code: 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE',
  name: string,
  rule: string,
) {
  return invalidArg(code, `The option "${name}" ${rule}`);
}

/** A number option in [min, max] (`(min, max]` with `minOpen`), or `def` when undefined. */
export function num(
  value: unknown,
  name: string,
  def: number,
  min: number,
  max: number,
  minOpen = false,
) {
  if (value === undefined) return def;
  if (typeof value !== 'number') throw fail('ERR_INVALID_ARG_TYPE', name, 'must be a number');
  const tooLow = minOpen ? !(value > min) : !(value >= min);
  if (Number.isNaN(value) || tooLow || value > max) {
    const lo = minOpen ? `(${min}` : `[${min}`;
    throw fail('ERR_INVALID_ARG_VALUE', name, `must be in ${lo}, ${max}]; received ${value}`);
  }
  return value;
}

/** An integer option ≥ `min`, or `def` when undefined. */
export function int(value: unknown, name: string, def: number, min: number): number {
  const v = num(value, name, def, min, Number.MAX_SAFE_INTEGER);
  if (!Number.isInteger(v)) throw fail('ERR_INVALID_ARG_VALUE', name, 'must be an integer');
  return v;
}

/** An object option (`{}` when undefined). */
export function record(value: unknown, name: string): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('ERR_INVALID_ARG_TYPE', name, 'must be an object');
  }
  return value as Record<string, unknown>;
}

/** Formats a float the way Python's `str(float)` does for the values we print. */
export function pythonFloat(value: number): string {
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}
