/**
 * The `ceiling` option of a tool or group (DESIGN §6.6) and its validation; the GCRA that
 * enforces it is in `ceiling.ts`.
 *
 * @module
 */

import { invalidArg } from '../errors.js';

/** An absolute ceiling: at most about `limit` calls per `windowMs` per client key. */
export interface FrictionCeiling {
  /** Calls admitted per window (and the largest burst); integer in [1, 1000000000]. */
  readonly limit: number;
  /** The window, ms; integer in [1, 31536000000] (one year). */
  readonly windowMs: number;
}

/** A validated ceiling and what it applies to (an entry of `ResolvedFrictionConfig.ceilings`). */
export interface ResolvedCeiling extends FrictionCeiling {
  /** `'tool'` for `toolConfigs.<name>.ceiling`, `'group'` for `toolGroups.<name>.ceiling`. */
  readonly kind: 'tool' | 'group';
  readonly name: string;
}

const MAX_LIMIT = 1_000_000_000;
const MAX_WINDOW_MS = 31_536_000_000;

function integerIn(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be a number`);
  }
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      `The option "${name}" must be an integer in [1, ${max}]`,
    );
  }
  return value;
}

/**
 * Validates an optional `ceiling` option.
 *
 * @param raw - The option value (undefined = no ceiling).
 * @param path - The option path for messages, e.g. `toolConfigs.delete.ceiling`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @internal
 */
export function resolveCeiling(raw: unknown, path: string): FrictionCeiling | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${path}" must be an object`);
  }
  const c = raw as Partial<FrictionCeiling>;
  return Object.freeze({
    limit: integerIn(c.limit, `${path}.limit`, MAX_LIMIT),
    windowMs: integerIn(c.windowMs, `${path}.windowMs`, MAX_WINDOW_MS),
  });
}
