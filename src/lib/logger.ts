import type { Logger, LogRecord } from '../types.js';

function writeJson(level: string, record: LogRecord): void {
  process.stderr.write(`${JSON.stringify({ level, ...record })}\n`);
}

/** The one no-op the built-in loggers use for the levels they drop (see {@link dropsInfo}). */
function drop(_record: LogRecord): void {}

/** Default logger: warnings and errors as JSON lines on stderr; debug and info dropped. */
export const defaultLogger: Logger = {
  debug: drop,
  info: drop,
  warn: (record) => writeJson('warn', record),
  error: (record) => writeJson('error', record),
};

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: drop,
  info: drop,
  warn: drop,
  error: drop,
};

/**
 * Whether `logger` is known to drop `info` records (a built-in logger's `info`), so a hot path
 * may skip building them. A user's logger is always given every record.
 */
export function dropsInfo(logger: Logger): boolean {
  return logger.info === drop;
}
