/**
 * Merges the gateway's settings (flags > environment > config file > defaults) and validates
 * them into one {@link GatewayConfig}.
 *
 * @module
 * @internal
 */

import { IDENTITY_HEADERS } from '../identity.js';
import { GatewayConfigError } from './error.js';
import type { FieldName } from './fields.js';
import {
  fieldLabel,
  parseArgs,
  type RawSettings,
  type RawValue,
  readConfigFile,
  readEnv,
  type Source,
} from './sources.js';
import {
  corsOrigins,
  frictionRates,
  httpUrl,
  intIn,
  scope,
  toolScopes,
  upstreamHeaders,
} from './values.js';

/** The defaults of DESIGN §6.5 and of the gateway's own limits. */
export const GATEWAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  clientAuthMethod: 'client_secret_basic',
  maxBodyBytes: 4 * 1024 * 1024,
  upstreamTimeoutMs: 30_000,
  shutdownTimeoutMs: 10_000,
  stdioMaxSessions: 32,
  stdioIdleTimeoutMs: 300_000,
  logLevel: 'info',
} as const;

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'bearer', 'none'] as const;
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const DPOP_MODES = ['allowed', 'required'] as const;

/** Where requests go: an HTTP upstream or a stdio command. */
export type UpstreamTarget =
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'stdio'; readonly command: string };

/** Introspection settings (RFC 7662). */
export interface IntrospectionSettings {
  readonly endpoint: string;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly clientAuthMethod: (typeof AUTH_METHODS)[number];
}

/** The validated gateway configuration. */
export interface GatewayConfig {
  readonly upstream: UpstreamTarget;
  readonly publicUrl: string;
  readonly host: string;
  readonly port: number;
  readonly issuers: readonly string[];
  readonly authorizationServers: readonly string[];
  readonly introspection: IntrospectionSettings | undefined;
  readonly scopes: readonly string[];
  readonly toolScopes: Readonly<Record<string, readonly string[]>>;
  /** `FrictionRegistry` options (`defaultConfig`, `toolConfigs`, `toolGroups`), if any. */
  readonly friction: Readonly<Record<string, unknown>> | undefined;
  readonly upstreamHeaders: readonly (readonly [string, string])[];
  readonly identityHeaders: boolean;
  readonly redis: string | undefined;
  /** Prefix of every Redis key (replicas sharing limits use the same one). */
  readonly redisKeyPrefix: string | undefined;
  /** DPoP (RFC 9449) at the gate: `'allowed'`, `'required'`, or off (`undefined`). */
  readonly dpop: (typeof DPOP_MODES)[number] | undefined;
  /**
   * Server-issued DPoP nonces (RFC 9449 §9): `true` (a random secret of this process),
   * `{ secret }` (replicas sharing it accept each other's nonces), or off (`undefined`).
   */
  readonly dpopNonce: true | { readonly secret: string } | undefined;
  /** Origins a browser may call the MCP endpoint from (`'*'` or exact origins); off when `undefined`. */
  readonly corsOrigin: '*' | readonly string[] | undefined;
  readonly allowLocalhost: boolean;
  readonly maxBodyBytes: number;
  readonly upstreamTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly stdioMaxSessions: number;
  readonly stdioIdleTimeoutMs: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/** The command line asked for help, or for a gateway with this configuration. */
export type LoadedConfig =
  | { readonly help: true }
  | { readonly help: false; readonly config: GatewayConfig };

class Merged {
  constructor(private readonly layers: readonly [Source, RawSettings][]) {}

  pick(name: FieldName): { value: RawValue; label: string } | undefined {
    for (const [source, settings] of this.layers) {
      const value = settings[name];
      if (value !== undefined) return { value, label: fieldLabel(name, source) };
    }
    return undefined;
  }

  str(name: FieldName): { value: string; label: string } | undefined {
    const got = this.pick(name);
    return got === undefined ? undefined : { value: String(got.value), label: got.label };
  }

  list(name: FieldName): { value: readonly string[]; label: string } {
    const got = this.pick(name);
    return got === undefined
      ? { value: [], label: fieldLabel(name, 'flag') }
      : { value: got.value as readonly string[], label: got.label };
  }

  int(name: FieldName, def: number, min: number, max: number): number {
    const got = this.pick(name);
    return got === undefined ? def : intIn(got.value as number, got.label, min, max);
  }

  bool(name: FieldName): boolean {
    return this.pick(name)?.value === true;
  }
}

function oneOf<T extends string>(
  got: { value: string; label: string } | undefined,
  allowed: readonly T[],
  def: T,
): T {
  if (got === undefined) return def;
  if (!(allowed as readonly string[]).includes(got.value)) {
    throw new GatewayConfigError(got.label, `must be one of ${allowed.join(', ')}`);
  }
  return got.value as T;
}

function upstreamOf(m: Merged): UpstreamTarget {
  const url = m.str('upstream');
  const stdio = m.str('stdio');
  if ((url === undefined) === (stdio === undefined)) {
    throw new GatewayConfigError('--upstream', 'give exactly one of --upstream and --stdio');
  }
  if (url !== undefined) return { kind: 'http', url: httpUrl(url.value, url.label) };
  const command = (stdio as { value: string }).value.trim();
  if (command === '') throw new GatewayConfigError((stdio as { label: string }).label, 'is empty');
  return { kind: 'stdio', command };
}

function introspectionOf(m: Merged): IntrospectionSettings | undefined {
  const endpoint = m.str('introspectionEndpoint');
  if (endpoint === undefined) return undefined;
  const method = oneOf(m.str('clientAuthMethod'), AUTH_METHODS, GATEWAY_DEFAULTS.clientAuthMethod);
  const clientId = m.str('clientId')?.value;
  const clientSecret = m.str('clientSecret')?.value;
  if (method !== 'bearer' && clientId === undefined) {
    throw new GatewayConfigError('--client-id', 'is required with --introspection-endpoint');
  }
  if (method !== 'none' && clientSecret === undefined) {
    throw new GatewayConfigError('AUTHFLOW_CLIENT_SECRET', `is required for ${method}`);
  }
  return {
    endpoint: httpUrl(endpoint.value, endpoint.label),
    clientId,
    clientSecret,
    clientAuthMethod: method,
  };
}

function dpopNonceOf(m: Merged, dpop: string | undefined): GatewayConfig['dpopNonce'] {
  const secret = m.str('dpopNonceSecret');
  if (!m.bool('dpopNonce')) {
    if (secret !== undefined) throw new GatewayConfigError(secret.label, 'needs --dpop-nonce');
    return undefined;
  }
  if (dpop === undefined) {
    throw new GatewayConfigError(m.str('dpopNonce')!.label, 'needs --dpop allowed|required');
  }
  if (secret === undefined) return true;
  if (Buffer.byteLength(secret.value) < 16) {
    throw new GatewayConfigError(secret.label, 'must be at least 16 bytes');
  }
  return { secret: secret.value };
}

function frictionOf(m: Merged, file: Readonly<Record<string, unknown>>) {
  const { value, label } = m.list('friction');
  const rates = frictionRates(value, label);
  if (Object.keys(rates).length === 0 && Object.keys(file).length === 0) return undefined;
  const fromFile = (file.toolConfigs ?? {}) as Record<string, unknown>;
  if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
    throw new GatewayConfigError('toolConfigs', 'must be an object');
  }
  const toolConfigs: Record<string, unknown> = { ...fromFile };
  for (const [tool, targetRate] of Object.entries(rates)) {
    const base = toolConfigs[tool];
    toolConfigs[tool] = { ...(typeof base === 'object' ? base : {}), targetRate };
  }
  return { ...file, toolConfigs };
}

function build(m: Merged, file: Readonly<Record<string, unknown>>): GatewayConfig {
  const upstream = upstreamOf(m);
  const host = m.str('host')?.value ?? GATEWAY_DEFAULTS.host;
  const port = m.int('port', GATEWAY_DEFAULTS.port, 0, 65_535);
  const publicRaw = m.str('publicUrl');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const publicUrl = publicRaw
    ? httpUrl(publicRaw.value, publicRaw.label)
    : `http://${shownHost}:${port}/mcp`;
  const issuers = m.list('issuer');
  const introspection = introspectionOf(m);
  if (issuers.value.length === 0 && introspection === undefined) {
    throw new GatewayConfigError('--issuer', 'give --issuer and/or --introspection-endpoint');
  }
  const servers = m.list('authorizationServer');
  const authorizationServers = servers.value.map((s) => httpUrl(s, servers.label));
  if (issuers.value.length === 0 && authorizationServers.length === 0) {
    throw new GatewayConfigError('--authorization-server', 'is required with introspection only');
  }
  const scopesField = m.list('scopes');
  const toolScopeField = m.list('toolScope');
  const headersField = m.list('upstreamHeader');
  const corsField = m.list('corsOrigin');
  const dpop =
    m.pick('dpop') === undefined ? undefined : oneOf(m.str('dpop'), DPOP_MODES, 'allowed');
  return Object.freeze({
    upstream,
    publicUrl,
    host,
    port,
    issuers: issuers.value.map((s) => httpUrl(s, issuers.label)),
    authorizationServers:
      authorizationServers.length > 0 ? authorizationServers : [...issuers.value],
    introspection,
    scopes: scopesField.value.map((s) => scope(s, scopesField.label)),
    toolScopes: toolScopes(toolScopeField.value, toolScopeField.label),
    friction: frictionOf(m, file),
    upstreamHeaders: upstreamHeaders(headersField.value, headersField.label, IDENTITY_HEADERS),
    identityHeaders: m.bool('identityHeaders'),
    redis: m.str('redis')?.value,
    redisKeyPrefix: m.str('redisKeyPrefix')?.value,
    dpop,
    dpopNonce: dpopNonceOf(m, dpop),
    corsOrigin: corsOrigins(corsField.value, corsField.label),
    allowLocalhost: m.bool('allowLocalhost'),
    maxBodyBytes: m.int('maxBodyBytes', GATEWAY_DEFAULTS.maxBodyBytes, 1, 2 ** 30),
    upstreamTimeoutMs: m.int('upstreamTimeoutMs', GATEWAY_DEFAULTS.upstreamTimeoutMs, 1, 2 ** 31),
    shutdownTimeoutMs: m.int('shutdownTimeoutMs', GATEWAY_DEFAULTS.shutdownTimeoutMs, 0, 2 ** 31),
    stdioMaxSessions: m.int('stdioMaxSessions', GATEWAY_DEFAULTS.stdioMaxSessions, 1, 10_000),
    stdioIdleTimeoutMs: m.int(
      'stdioIdleTimeoutMs',
      GATEWAY_DEFAULTS.stdioIdleTimeoutMs,
      1,
      2 ** 31,
    ),
    logLevel: oneOf(m.str('logLevel'), LOG_LEVELS, GATEWAY_DEFAULTS.logLevel),
  });
}

/**
 * Reads the flags, the `AUTHFLOW_*` environment and the config file (`--config` or
 * `AUTHFLOW_CONFIG`) into one validated configuration; flags win over the environment, the
 * environment over the file, the file over the defaults.
 *
 * @param argv - The arguments after `gateway`.
 * @param env - The environment.
 * @throws GatewayConfigError naming the first bad field.
 */
export function loadGatewayConfig(argv: readonly string[], env: NodeJS.ProcessEnv): LoadedConfig {
  const args = parseArgs(argv);
  if (args.help) return { help: true };
  const path = args.configFile ?? (env.AUTHFLOW_CONFIG || undefined);
  const file = path === undefined ? { settings: {}, friction: {} } : readConfigFile(path);
  const merged = new Merged([
    ['flag', args.settings],
    ['env', readEnv(env)],
    ['file', file.settings],
  ]);
  return { help: false, config: build(merged, file.friction) };
}
