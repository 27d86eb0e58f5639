/**
 * The gateway's structured logger: one JSON line per record on stderr, filtered by level.
 *
 * @module
 * @internal
 */

import type { Logger, LogRecord } from '../types.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A log level of the gateway. */
export type GatewayLogLevel = (typeof LEVELS)[number];

/**
 * Creates a JSON-lines logger writing records at `level` and above.
 *
 * @param level - The lowest level written.
 * @param write - Where lines go. @default stderr
 */
export function createJsonLogger(
  level: GatewayLogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const min = LEVELS.indexOf(level);
  const at = (name: GatewayLogLevel) =>
    LEVELS.indexOf(name) < min
      ? () => {}
      : (record: LogRecord) =>
          write(`${JSON.stringify({ time: new Date().toISOString(), level: name, ...record })}\n`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
