#!/usr/bin/env node
/**
 * The `mcp-authflow-resource` command: `mcp-authflow-resource gateway …` protects an MCP server
 * with no code change (DESIGN §6.5).
 *
 * @module
 */

import { GatewayConfigError } from './gateway/config/error.js';
import { GATEWAY_HELP } from './gateway/config/help.js';
import { loadGatewayConfig } from './gateway/config/resolve.js';
import { createJsonLogger } from './gateway/logger.js';
import { runGateway } from './gateway/run.js';
import { startStdioBridge } from './gateway/stdio-wiring.js';

const USAGE = 'Usage: mcp-authflow-resource gateway [options]   (see gateway --help)\n';

function fail(message: string, code: number): never {
  process.stderr.write(`mcp-authflow-resource: ${message}\n`);
  process.exit(code);
}

async function gateway(argv: readonly string[]): Promise<void> {
  const loaded = loadGatewayConfig(argv, process.env);
  if (loaded.help) {
    process.stdout.write(GATEWAY_HELP);
    return;
  }
  const { config } = loaded;
  const logger = createJsonLogger(config.logLevel);
  const running = await runGateway(config, { logger, startStdio: startStdioBridge });
  logger.info({
    event: 'gateway_listening',
    address: running.origin,
    publicUrl: config.publicUrl,
    upstream: config.upstream.kind,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ event: 'gateway_stopping', signal });
    running.close().then(
      () => {
        logger.info({ event: 'gateway_stopped' });
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    process.stdout.write(GATEWAY_HELP);
    return;
  }
  if (command !== 'gateway') fail(`unknown command "${command ?? ''}"\n${USAGE}`, 2);
  try {
    await gateway(rest);
  } catch (err) {
    if (err instanceof GatewayConfigError) fail(err.message, err.exitCode);
    fail(`cannot start: ${(err as Error)?.message ?? String(err)}`, 1);
  }
}

void main(process.argv.slice(2));
