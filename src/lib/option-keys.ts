/**
 * Refusal of unknown option keys: a misspelt or misplaced option (`controller` on the registry
 * instead of in its `defaultConfig`) must fail at construction, not be silently ignored.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';

/**
 * The one list of an options type's keys: an object with every key of `T` (optional ones too)
 * set to `true`. The compiler refuses a missing or an extra key, so the list cannot drift from
 * the interface.
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Throws when `options` (an object; anything else is left to the option resolver) has an own key
 * that `allowed` does not list.
 *
 * @param options - The caller's options object.
 * @param allowed - The options type's {@link OptionKeys}.
 * @param where - The constructor or factory, for the message (`'FrictionRegistry'`).
 * @throws TypeError `ERR_INVALID_ARG_VALUE` naming every unknown key and the known ones.
 */
export function assertKnownKeys(options: unknown, allowed: object, where: string): void {
  if (typeof options !== 'object' || options === null) return;
  const unknown = Object.keys(options).filter((key) => !Object.hasOwn(allowed, key));
  if (unknown.length === 0) return;
  const names = (keys: readonly string[]) => keys.map((k) => `"${k}"`).join(', ');
  throw invalidArg(
    'ERR_INVALID_ARG_VALUE',
    `${where}: unknown option${unknown.length > 1 ? 's' : ''} ${names(unknown)} ` +
      `(known options: ${names(Object.keys(allowed))})`,
  );
}
