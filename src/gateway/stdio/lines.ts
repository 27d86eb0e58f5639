/**
 * A bounded line splitter for a child's stdout (newline-delimited JSON-RPC) and stderr (log lines).
 *
 * @module
 * @internal
 */

/** Receives each line without its `\n` (and without a trailing `\r`). */
export type LineHandler = (line: string, truncated: boolean) => void;

/** Feeds chunks in, calls the handler once per line. */
export interface LineReader {
  push(chunk: Buffer): void;
  /** Flushes a last line that has no `\n`. */
  end(): void;
}

/**
 * Creates a line reader that never holds more than `maxLineBytes` bytes: a longer line is handed
 * over cut at the bound with `truncated = true`, and the rest of it, up to its `\n`, is dropped.
 *
 * @param maxLineBytes - The longest line kept whole, in bytes.
 * @param onLine - Called once per line.
 */
export function createLineReader(maxLineBytes: number, onLine: LineHandler): LineReader {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;

  const emit = (truncated: boolean) => {
    const text = Buffer.concat(pending, pendingBytes).toString('utf8');
    pending = [];
    pendingBytes = 0;
    onLine(text.endsWith('\r') ? text.slice(0, -1) : text, truncated);
  };

  return {
    push(chunk) {
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(10, start);
        const end = newline === -1 ? chunk.length : newline;
        if (!skipping) {
          const room = maxLineBytes - pendingBytes;
          const take = Math.min(end - start, room);
          if (take > 0) pending.push(chunk.subarray(start, start + take));
          pendingBytes += take;
          if (end - start > room) {
            emit(true);
            skipping = true;
          }
        }
        if (newline === -1) return;
        if (skipping) skipping = false;
        else emit(false);
        start = newline + 1;
      }
    },
    end() {
      if (!skipping && pendingBytes > 0) emit(false);
      skipping = false;
    },
  };
}
