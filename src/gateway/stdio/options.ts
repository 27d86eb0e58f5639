/**
 * Options of the stdio upstream, and their one resolver.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../../errors.js';
import { defaultLogger } from '../../lib/logger.js';
import { integerOption } from '../../lib/option-integer.js';
import { assertKnownKeys, type OptionKeys } from '../../lib/option-keys.js';
import type { Logger } from '../../types.js';
import { splitCommandLine } from './command-line.js';
import { childEnvironment } from './environment.js';

/** @default 32 */
const DEFAULT_MAX_SESSIONS = 32;
/** @default 300_000 (five minutes) */
const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
/** SIGTERM → SIGKILL bound when a process is stopped. */
export const KILL_GRACE_MS = 2_000;

/** Options of {@link startStdioUpstream}. */
export interface StdioUpstreamOptions {
  /**
   * The stdio MCP server to run, one process per session: a command line split with POSIX shell
   * quoting rules (`'…'`, `"…"`, `\`) and then run **without** a shell, so nothing in it is
   * expanded (`$VAR`, `*`) or interpreted (`;`, `|`, `>`).
   */
  command: string;
  /** Processes (sessions) running at once; a new session beyond it gets 503. @default 32 */
  maxSessions?: number;
  /**
   * A session with no HTTP request and no open call for this long ends and its process is
   * stopped. An open GET stream alone does not keep a session alive. @default 300_000
   */
  idleTimeoutMs?: number;
  /** Receives the servers' stderr (info, one record per line) and lifecycle events. */
  logger?: Logger;
  /** The environment the processes inherit, minus every `AUTHFLOW_*` variable. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The processes' working directory. @default the gateway's */
  cwd?: string;
}

const KEYS: OptionKeys<StdioUpstreamOptions> = {
  command: true,
  maxSessions: true,
  idleTimeoutMs: true,
  logger: true,
  env: true,
  cwd: true,
};

/** The resolved form. */
export interface ResolvedStdioUpstreamOptions {
  readonly argv: readonly [string, ...string[]];
  readonly maxSessions: number;
  readonly idleTimeoutMs: number;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string | undefined;
}

function isLogger(value: unknown): value is Logger {
  const l = value as Partial<Record<keyof Logger, unknown>>;
  return (
    typeof value === 'object' &&
    value !== null &&
    (['debug', 'info', 'warn', 'error'] as const).every((m) => typeof l[m] === 'function')
  );
}

/**
 * Validates and resolves the options.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the option.
 */
export function resolveStdioUpstreamOptions(
  options: StdioUpstreamOptions,
): ResolvedStdioUpstreamOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'startStdioUpstream: options must be an object');
  }
  assertKnownKeys(options, KEYS, 'startStdioUpstream');
  const argv = splitCommandLine(options.command) as [string, ...string[]];
  if (options.logger !== undefined && !isLogger(options.logger)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "logger" must have debug/info/warn/error');
  }
  if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "env" must be an object');
  }
  if (options.cwd !== undefined && typeof options.cwd !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "cwd" must be a string');
  }
  return Object.freeze({
    argv,
    maxSessions: integerOption(options.maxSessions, 'maxSessions', DEFAULT_MAX_SESSIONS, 1),
    idleTimeoutMs: integerOption(
      options.idleTimeoutMs,
      'idleTimeoutMs',
      DEFAULT_IDLE_TIMEOUT_MS,
      1,
    ),
    logger: options.logger ?? defaultLogger,
    env: childEnvironment(options.env ?? process.env),
    cwd: options.cwd,
  });
}
