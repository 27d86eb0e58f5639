/**
 * `--stdio`: starts the stdio bridge (one child per MCP session behind a loopback Streamable
 * HTTP endpoint) and hands its URL to the gateway like any HTTP upstream.
 *
 * @module
 * @internal
 */

import type { StdioStarter } from './run.js';
import { startStdioUpstream } from './stdio/upstream.js';

/** The gateway's {@link StdioStarter}: the child inherits the environment minus `AUTHFLOW_*`. */
export const startStdioBridge: StdioStarter = async (target, config, logger) =>
  startStdioUpstream({
    command: target.command,
    maxSessions: config.stdioMaxSessions,
    idleTimeoutMs: config.stdioIdleTimeoutMs,
    logger,
  });
