/**
 * Every gateway setting, once: its config-file key, and from it the flag and the environment
 * variable (DESIGN §6.5: flag = `--kebab-case`, environment = `AUTHFLOW_` + UPPER_SNAKE).
 *
 * @module
 * @internal
 */

/**
 * How a field's text is read: `string`, `int`, `bool`; `csv` is a list split on commas
 * everywhere; `repeat` is a list whose flag repeats, and whose environment value is split on
 * commas where the next piece starts a new item (`item`).
 */
export type FieldKind = 'string' | 'int' | 'bool' | 'csv' | 'repeat';

/** One setting. */
export interface FieldSpec {
  readonly kind: FieldKind;
  /** Secrets come only from the environment or the config file, never from a flag. */
  readonly secret?: boolean;
  /** For `repeat`: a piece that starts a new item in a comma-separated environment value. */
  readonly item?: RegExp;
}

const TOOL_ITEM = /^[^=,]+=/;

/** The settings, by config-file key. */
export const FIELDS = {
  upstream: { kind: 'string' },
  stdio: { kind: 'string' },
  publicUrl: { kind: 'string' },
  host: { kind: 'string' },
  port: { kind: 'int' },
  issuer: { kind: 'repeat', item: /^/ },
  authorizationServer: { kind: 'repeat', item: /^/ },
  introspectionEndpoint: { kind: 'string' },
  clientId: { kind: 'string' },
  clientSecret: { kind: 'string', secret: true },
  clientAuthMethod: { kind: 'string' },
  scopes: { kind: 'csv' },
  toolScope: { kind: 'repeat', item: TOOL_ITEM },
  friction: { kind: 'repeat', item: TOOL_ITEM },
  upstreamHeader: { kind: 'repeat', item: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*:/ },
  identityHeaders: { kind: 'bool' },
  redis: { kind: 'string' },
  redisKeyPrefix: { kind: 'string' },
  dpop: { kind: 'string' },
  dpopNonce: { kind: 'bool' },
  dpopNonceSecret: { kind: 'string', secret: true },
  corsOrigin: { kind: 'repeat', item: /^/ },
  allowLocalhost: { kind: 'bool' },
  maxBodyBytes: { kind: 'int' },
  upstreamTimeoutMs: { kind: 'int' },
  shutdownTimeoutMs: { kind: 'int' },
  stdioMaxSessions: { kind: 'int' },
  stdioIdleTimeoutMs: { kind: 'int' },
  logLevel: { kind: 'string' },
} as const satisfies Record<string, FieldSpec>;

/** A setting's config-file key. */
export type FieldName = keyof typeof FIELDS;

/** Config-file keys that are not flags: the full friction configuration (DESIGN §6.5). */
export const FRICTION_FILE_KEYS = ['defaultConfig', 'toolConfigs', 'toolGroups'] as const;

/** `publicUrl` → `--public-url`. */
export function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `publicUrl` → `AUTHFLOW_PUBLIC_URL`. */
export function envOf(name: string): string {
  return `AUTHFLOW_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** The field of a flag (`--public-url` → `publicUrl`), or `undefined`. */
export function fieldOfFlag(flag: string): FieldName | undefined {
  const name = flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return Object.hasOwn(FIELDS, name) && flagOf(name) === flag ? (name as FieldName) : undefined;
}
