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
 * A writer to stderr that joins the lines of one event-loop turn into one write (stderr to a
 * pipe or file is a blocking system call per write), flushed after the turn and on exit.
 */
function batchedStderr(): (line: string) => void {
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    process.stderr.write(text);
  };
  process.once('exit', flush);
  return (line) => {
    if (pending === '') setImmediate(flush);
    pending += line;
  };
}

/**
 * Creates a JSON-lines logger writing records at `level` and above.
 *
 * @param level - The lowest level written.
 * @param write - Where lines go. @default stderr, one write per event-loop turn
 */
export function createJsonLogger(
  level: GatewayLogLevel,
  write: (line: string) => void = batchedStderr(),
): Logger {
  const min = LEVELS.indexOf(level);
  const at = (name: GatewayLogLevel) =>
    LEVELS.indexOf(name) < min
      ? () => {}
      : (record: LogRecord) =>
          write(`${JSON.stringify({ time: new Date().toISOString(), level: name, ...record })}\n`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
