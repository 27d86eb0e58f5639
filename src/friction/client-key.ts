/**
 * The key friction state is kept under: who a call is charged to.
 *
 * @module
 * @internal
 */

import { hash } from 'node:crypto';
import type { AuthInfo } from '../types.js';

/** How a wrapper picks the client key; see {@link frictionKey}. */
export type FrictionKeyBy = 'clientId' | 'subject' | ((authInfo: AuthInfo) => string | undefined);

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The OAuth client. RFC 7662 makes `client_id` optional and the introspection verifier reports a
 * missing one as `'unknown'`: that is not a client, or every such token would share one budget.
 */
function clientOf(auth: AuthInfo): string | undefined {
  const claims = auth.extra?.claims as { client_id?: unknown } | undefined;
  const id = nonEmpty(auth.clientId);
  if (id === 'unknown' && nonEmpty(claims?.client_id) !== 'unknown') return undefined;
  return id;
}

function subjectOf(auth: AuthInfo): string | undefined {
  const claims = auth.extra?.claims as { sub?: unknown } | undefined;
  return nonEmpty(auth.extra?.subject) ?? nonEmpty(claims?.sub);
}

function tokenKey(auth: AuthInfo): string | undefined {
  const token = nonEmpty(auth.token);
  return token === undefined ? undefined : `token:${hash('sha256', token, 'hex').slice(0, 32)}`;
}

/**
 * The friction key of a call, first that exists:
 * - `'clientId'` (default): the client id, else `sub:<subject>`, else `token:<sha-256 of the token>`;
 * - `'subject'`: `sub:<subject>`, else the client id, else the token hash;
 * - a function: its answer, else the `'clientId'` order.
 *
 * A token without the preferred claim is never unlimited and never shares a key with other
 * tokens; `undefined` only when there is no token at all.
 *
 * @param auth - The caller's `AuthInfo`.
 * @param keyBy - The wrapper's `keyBy` option.
 */
export function frictionKey(auth: AuthInfo, keyBy: FrictionKeyBy): string | undefined {
  const subject = subjectOf(auth);
  const sub = subject === undefined ? undefined : `sub:${subject}`;
  if (keyBy === 'subject') return sub ?? clientOf(auth) ?? tokenKey(auth);
  const chosen = typeof keyBy === 'function' ? nonEmpty(keyBy(auth)) : undefined;
  return chosen ?? clientOf(auth) ?? sub ?? tokenKey(auth);
}
