/**
 * The few HTTP answers the stdio bridge gives itself (everything else comes from the SDK's
 * Streamable HTTP transport), and the bounded body read for a request that opens a session.
 *
 * @module
 * @internal
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

/** The body bound of the SDK's transport (4 MiB), applied before a session exists. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The SDK's code for a session that does not exist (404). */
export const SESSION_NOT_FOUND = -32001;
/** Generic transport-level error code used by the SDK for 4xx/5xx answers. */
export const SERVER_ERROR = -32000;
export const PARSE_ERROR = -32700;

/** Writes a JSON-RPC error object as the whole HTTP response. */
export function replyError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id: string | number | null = null,
): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(status === 413 && { connection: 'close' }),
  });
  res.end(body);
}

/** The outcome of {@link readJsonBody}. */
export type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly status: 400 | 413;
      readonly code: number;
      readonly message: string;
    };

/** Reads and parses a JSON body of at most {@link MAX_BODY_BYTES}. */
export function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const tooLarge = {
    ok: false,
    status: 413,
    code: SERVER_ERROR,
    message: `Payload Too Large: Request body must not exceed ${MAX_BODY_BYTES} bytes`,
  } as const;
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return Promise.resolve(tooLarge);
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // Stop reading; the 413 goes out with `Connection: close` and the rest is never read.
      req.off('data', onData).pause();
      resolve(tooLarge);
    };
    req.on('data', onData);
    req.once('error', () =>
      resolve({ ok: false, status: 400, code: PARSE_ERROR, message: 'Bad request body' }),
    );
    req.once('end', () => {
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({
          ok: false,
          status: 400,
          code: PARSE_ERROR,
          message: 'Parse error: Invalid JSON',
        });
      }
    });
  });
}
