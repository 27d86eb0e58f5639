/**
 * Request logging: one structured record per request, secrets masked. The Express and
 * `node:http` middlewares only collect the fields; this module decides what is recorded.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import type { Clock, Logger, LogRecord } from '../types.js';
import { maskHeaders, maskQuery } from './mask.js';
import { maskBody } from './mask-body.js';
import { resolveFlag } from './options.js';

/** Options of `createLoggingMiddleware`. */
export interface LoggingOptions {
  /**
   * Log only what is allow-listed and replace everything else with `[REDACTED]`: header values
   * outside a fixed list (`content-type`, `user-agent`, `mcp-*`, …; `Authorization` keeps its
   * scheme word), every query value, and, in a body, every value but the JSON-RPC `jsonrpc`,
   * `id`, `method`, `params.name`, `params.protocolVersion`, `params.clientInfo.name` /
   * `.version` and `error.code`. Names that are not short plain words are masked too.
   * @default true
   */
  readonly maskAuth?: boolean;
  /**
   * Where records go (`info` level).
   * @default a logger writing one JSON line per record to standard output
   */
  readonly logger?: Logger;
  /**
   * > [!WARNING]
   * > Request bodies can hold personal data and secrets that no field name reveals.
   *
   * Also record the parsed request body (with `maskAuth`, only its allow-listed JSON-RPC
   * fields).
   * @default false
   */
  readonly dangerouslyLogBodies?: boolean;
  /** Clock used for `durationMs`. @default performance.now */
  readonly now?: Clock;
}

/** Keys of {@link LoggingOptions}. */
const LOGGING_OPTIONS: OptionKeys<LoggingOptions> = {
  maskAuth: true,
  logger: true,
  dangerouslyLogBodies: true,
  now: true,
};

/** {@link LoggingOptions} resolved. */
export interface ResolvedLoggingOptions {
  readonly maskAuth: boolean;
  readonly logger: Logger;
  readonly dangerouslyLogBodies: boolean;
  readonly now: Clock;
}

/** What an adapter collects about one finished request. */
export interface RequestLogInput {
  readonly method: string;
  /** The request target as received (path and query). */
  readonly url: string;
  readonly status: number;
  readonly durationMs: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The `clientId` of the verified token, when the bearer gate ran. */
  readonly clientId: string | undefined;
  /** The parsed body, when known. */
  readonly body?: unknown;
}

function writeStdout(level: string, record: LogRecord): void {
  process.stdout.write(`${JSON.stringify({ level, ...record })}\n`);
}

const stdoutLogger: Logger = {
  debug: (record) => writeStdout('debug', record),
  info: (record) => writeStdout('info', record),
  warn: (record) => writeStdout('warn', record),
  error: (record) => writeStdout('error', record),
};

/**
 * Validates the logging options, applies defaults and returns a frozen copy.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` naming the bad option.
 */
export function resolveLoggingOptions(options: LoggingOptions = {}): ResolvedLoggingOptions {
  assertKnownKeys(options, LOGGING_OPTIONS, 'createLoggingMiddleware');
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"options" must be an object');
  }
  if (options.logger !== undefined && typeof options.logger?.info !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"logger" must implement info()');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"now" must be a function');
  }
  return Object.freeze({
    maskAuth: resolveFlag(options.maskAuth, 'maskAuth', true),
    logger: options.logger ?? stdoutLogger,
    dangerouslyLogBodies: resolveFlag(options.dangerouslyLogBodies, 'dangerouslyLogBodies', false),
    now: options.now ?? (() => performance.now()),
  });
}

/**
 * Builds the one record logged for a request: `event`, `method`, `path`, `status`, `durationMs`,
 * `clientId`, masked `query` and `headers`, and the masked body only with `dangerouslyLogBodies`.
 *
 * @param input - What the adapter collected.
 * @param options - Resolved options.
 * @returns The record; with `maskAuth` on it holds no credential.
 */
export function buildRequestLogRecord(
  input: RequestLogInput,
  options: ResolvedLoggingOptions,
): LogRecord {
  const queryStart = input.url.indexOf('?');
  const path = queryStart === -1 ? input.url : input.url.slice(0, queryStart);
  const search = queryStart === -1 ? '' : input.url.slice(queryStart);
  const record: Record<string, unknown> = {
    event: 'http_request',
    method: input.method,
    path,
    status: input.status,
    durationMs: Math.round(input.durationMs * 1000) / 1000,
    clientId: input.clientId ?? null,
    query: maskQuery(search, options.maskAuth),
    headers: maskHeaders(input.headers, options.maskAuth),
  };
  if (options.dangerouslyLogBodies && input.body !== undefined) {
    record.body = maskBody(input.body, options.maskAuth);
  }
  return record;
}
