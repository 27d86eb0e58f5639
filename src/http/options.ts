/**
 * Shared validation of HTTP-layer options (scopes, flags, numbers).
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';

/** RFC 6749 §3.3 `scope-token`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Validates a list of scopes and returns a frozen copy.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when not an array of strings, `ERR_INVALID_ARG_VALUE`
 *   when a scope is not RFC 6749 `scope-token` syntax.
 */
export function resolveScopes(value: unknown, optionName: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${optionName}" must be an array of strings`);
  }
  if (!value.every((s: string) => SCOPE_TOKEN.test(s))) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `"${optionName}" holds a scope that is not valid`);
  }
  return Object.freeze([...new Set<string>(value)]);
}

/** Validates an optional boolean option. */
export function resolveFlag(value: unknown, optionName: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${optionName}" must be a boolean`);
  }
  return value;
}

/** Validates an optional positive finite number option. */
export function resolvePositive(value: unknown, optionName: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `"${optionName}" must be a positive number`);
  }
  return value;
}

/** Validates an optional string option. */
export function resolveOptionalString(value: unknown, optionName: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${optionName}" must be a non-empty string`);
  }
  return value;
}
