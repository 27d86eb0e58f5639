/**
 * The options of `FrictionRegistry` and their one validating resolver.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { defaultLogger } from '../lib/logger.js';
import type { OptionKeys } from '../lib/option-keys.js';
import type { AuthInfo, Clock, Logger } from '../types.js';
import { resolveFrictionConfig } from './config.js';
import type { ControllerConfig, ToolFrictionConfig, ToolGroupConfig } from './config-types.js';
import type { Store } from './store-port.js';

/** @default 1000 */
const DEFAULT_MAX_CLIENTS = 1000;
/** One hour, the Python default. @default 3600000 */
const DEFAULT_PENALTY_TTL_MS = 3_600_000;
/** @default 0.1 */
const DEFAULT_PENALTY_MIN_FRICTION = 0.1;

/** What to do when the store fails: refuse limited tools (default) or let them run. */
export type OnStoreError = 'fail-closed' | 'fail-open';

/** Options of {@link FrictionRegistry}. */
export interface FrictionRegistryOptions {
  /**
   * Controller tuning shared by every client; `controller: 'adaptive'` selects the adaptive
   * loop. @default Python defaults, `controller: 'adaptive'` (`'proportional'` for the Python
   * package's loop)
   */
  readonly defaultConfig?: ControllerConfig;
  /** Limited tools; every other tool is only recorded. @default {} */
  readonly toolConfigs?: Readonly<Record<string, ToolFrictionConfig>>;
  /** Aggregate groups. @default {} */
  readonly toolGroups?: Readonly<Record<string, ToolGroupConfig>>;
  /** Client states kept before least-recently-used eviction; integer ≥ 1. @default 1000 */
  readonly maxClients?: number;
  /** How long an evicted client's friction is kept, ms; 0 disables. @default 3600000 */
  readonly penaltyTtlMs?: number;
  /** Per-tool friction worth keeping across eviction, in [0, 1]. @default 0.1 */
  readonly penaltyMinFriction?: number;
  /**
   * Where states live.
   * @default in memory, as a new `MemoryStore` would hold them (dropped by {@link FrictionRegistry.close})
   */
  readonly store?: Store;
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: Clock;
  /** Receives the friction events. @default the library's default logger */
  readonly logger?: Logger;
  /**
   * Behaviour when the store fails. A store outage is logged once: `friction_store_error`
   * (error) for its first failed decision, then `friction_store_recovered` (warn, with the
   * number of failed decisions) when a decision succeeds again. @default 'fail-closed'
   */
  readonly onStoreError?: OnStoreError;
  /**
   * How the wrappers derive client keys (the wrappers' default `keyBy`): `'clientId'`,
   * `'subject'` or a function. It is part of the fingerprint of shared-store keys, so two apps
   * sharing a Redis prefix with different keying never share states. @default 'clientId'
   */
  readonly keyBy?: FrictionKeyBy;
}

/** What identifies a client: the OAuth client, the user (`authInfo.extra.subject`) or a function. */
export type FrictionKeyBy = 'clientId' | 'subject' | ((authInfo: AuthInfo) => string | undefined);

/** A stable label of a `keyBy` for the key fingerprint (a function by its source text). */
export function keyByLabel(keyBy: FrictionKeyBy): string {
  return typeof keyBy === 'function' ? `function:${keyBy.toString()}` : keyBy;
}

/** Keys of {@link FrictionRegistryOptions}. */
export const FRICTION_REGISTRY_OPTIONS: OptionKeys<FrictionRegistryOptions> = {
  defaultConfig: true,
  toolConfigs: true,
  toolGroups: true,
  maxClients: true,
  penaltyTtlMs: true,
  penaltyMinFriction: true,
  keyBy: true,
  store: true,
  now: true,
  logger: true,
  onStoreError: true,
};

function checkNumber(value: unknown, name: string, def: number, min: number, max: number) {
  if (value === undefined) return def;
  if (typeof value !== 'number') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be a number`);
  }
  if (!(value >= min && value <= max)) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `The option "${name}" must be in [${min}, ${max}]`);
  }
  return value;
}

function checkFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be a function`);
  }
}

/** The validated registry options, with the resolved friction configuration. @internal */
export type ResolvedFrictionRegistryOptions = ReturnType<typeof resolveRegistryOptions>;

/**
 * Validates {@link FrictionRegistryOptions} and applies the defaults (a frozen copy).
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @internal
 */
export function resolveRegistryOptions(o: FrictionRegistryOptions) {
  const maxClients = checkNumber(o.maxClients, 'maxClients', DEFAULT_MAX_CLIENTS, 1, 2 ** 31);
  if (!Number.isInteger(maxClients)) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', 'The option "maxClients" must be an integer');
  }
  checkFunction(o.now, 'now');
  if (
    o.onStoreError !== undefined &&
    o.onStoreError !== 'fail-closed' &&
    o.onStoreError !== 'fail-open'
  ) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The option "onStoreError" must be "fail-closed" or "fail-open"',
    );
  }
  if (o.store !== undefined && typeof o.store?.friction !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "store" must implement Store');
  }
  const keyBy = o.keyBy ?? 'clientId';
  if (keyBy !== 'clientId' && keyBy !== 'subject' && typeof keyBy !== 'function') {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The option "keyBy" must be "clientId", "subject" or a function',
    );
  }
  const logger = o.logger ?? defaultLogger;
  if (typeof logger?.warn !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "logger" must implement Logger');
  }
  return Object.freeze({
    config: resolveFrictionConfig({
      ...o.defaultConfig,
      toolConfigs: o.toolConfigs,
      toolGroups: o.toolGroups,
    }),
    maxClients,
    penaltyTtlMs: checkNumber(
      o.penaltyTtlMs,
      'penaltyTtlMs',
      DEFAULT_PENALTY_TTL_MS,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    penaltyMinFriction: checkNumber(
      o.penaltyMinFriction,
      'penaltyMinFriction',
      DEFAULT_PENALTY_MIN_FRICTION,
      0,
      1,
    ),
    now: o.now ?? Date.now,
    logger,
    onStoreError: o.onStoreError ?? 'fail-closed',
    keyBy,
  });
}
