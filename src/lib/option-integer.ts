/**
 * The integer option check shared by the stores.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';

/**
 * `value` when it is a safe integer ≥ `min`, `def` when it is `undefined`.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` (not a number) or `ERR_INVALID_ARG_VALUE` (not an
 *   integer, or below `min`), naming the option.
 */
export function integerOption(value: unknown, name: string, def: number, min: number): number {
  if (value === undefined) return def;
  if (typeof value !== 'number') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be a number`);
  }
  if (!Number.isSafeInteger(value) || value < min) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `The option "${name}" must be an integer >= ${min}`);
  }
  return value;
}
