import type { Logger, LogRecord } from '../../src/types.js';

/** A logger that keeps every record with its level. */
export function captureLogger(): Logger & { records: (LogRecord & { level: string })[] } {
  const records: (LogRecord & { level: string })[] = [];
  const at = (level: string) => (r: LogRecord) => void records.push({ level, ...r });
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
