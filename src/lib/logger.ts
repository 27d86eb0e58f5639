import type { Logger, LogRecord } from '../types.js';

function writeJson(level: string, record: LogRecord): void {
  process.stderr.write(`${JSON.stringify({ level, ...record })}\n`);
}

/** Default logger: warnings and errors as JSON lines on stderr; debug and info dropped. */
export const defaultLogger: Logger = {
  debug() {},
  info() {},
  warn: (record) => writeJson('warn', record),
  error: (record) => writeJson('error', record),
};

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
