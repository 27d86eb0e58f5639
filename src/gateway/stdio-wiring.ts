/**
 * `--stdio`: starts the stdio bridge (one child per MCP session behind a loopback Streamable
 * HTTP endpoint) and hands its URL to the gateway like any HTTP upstream. The bridge uses the
 * MCP SDK 1.x server transport, an optional peer, so it is loaded only when `--stdio` is given.
 *
 * @module
 * @internal
 */

import type { StdioStarter } from './run.js';

const SDK = '@modelcontextprotocol/sdk';

async function loadBridge(): Promise<typeof import('./stdio/upstream.js')> {
  try {
    return await import('./stdio/upstream.js');
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(SDK)) {
      throw new Error(`--stdio needs the MCP SDK 1.x: npm install ${SDK}`);
    }
    throw err;
  }
}

/** The gateway's {@link StdioStarter}: the child inherits the environment minus `AUTHFLOW_*`. */
export const startStdioBridge: StdioStarter = async (target, config, logger) => {
  const { startStdioUpstream } = await loadBridge();
  return startStdioUpstream({
    command: target.command,
    maxSessions: config.stdioMaxSessions,
    idleTimeoutMs: config.stdioIdleTimeoutMs,
    logger,
  });
};
