/**
 * Shared public types.
 *
 * @module
 */

/** One structured log record: a plain JSON-serialisable object. */
export type LogRecord = Readonly<Record<string, unknown>>;

/**
 * The logger every component accepts. Each method receives one structured record; records never
 * contain a token or a secret.
 */
export interface Logger {
  debug(record: LogRecord): void;
  info(record: LogRecord): void;
  warn(record: LogRecord): void;
  error(record: LogRecord): void;
}

/** A clock: epoch milliseconds. Injected everywhere time matters. */
export type Clock = () => number;
