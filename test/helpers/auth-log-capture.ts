/**
 * Test helper: a `Logger` that records every record, for assertions on what is logged.
 *
 * @module
 */

import type { Logger, LogRecord } from '../../src/types.js';

/** A captured log record with its level. */
export interface CapturedRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly record: LogRecord;
}

/** A logger that keeps everything, plus the serialised text of all records. */
export interface CaptureLogger extends Logger {
  readonly records: CapturedRecord[];
  /** Every record as one JSON text (to search for leaked secrets). */
  text(): string;
}

/** Creates a {@link CaptureLogger}. */
export function captureLogger(): CaptureLogger {
  const records: CapturedRecord[] = [];
  const at =
    (level: CapturedRecord['level']) =>
    (record: LogRecord): void => {
      records.push({ level, record });
    };
  return {
    records,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => JSON.stringify(records),
  };
}
