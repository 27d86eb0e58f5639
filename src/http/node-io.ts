/**
 * Small `node:http` helpers shared by the Express and `node:http` adapters.
 *
 * @module
 * @internal
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

/** The default body size limit of the `node:http` and fetch gates: the SDK transport's own maximum (4 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Every value of one request header, in order, from the raw list: Node keeps only the first of
 * repeated `Authorization` and `Content-Type` headers in `req.headers`, and a second value must be
 * refused, not silently ignored.
 */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const field = raw[i] as string;
    // Only a field of the same length can match: no lower-cased copy of every other name.
    if (field.length === name.length && (field === name || field.toLowerCase() === name)) {
      values.push(raw[i + 1] as string);
    }
  }
  return values;
}

/** Every `Authorization` header of the request (see {@link headerValues}), or `undefined`. */
export function authorizationValues(req: IncomingMessage): string[] | undefined {
  const values = headerValues(req, 'authorization');
  return values.length === 0 ? undefined : values;
}

/** Whether the request announces a body (`Content-Length` over 0 or `Transfer-Encoding`). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The first value of a request header, or `undefined`. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Writes a JSON response with the given status and headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/**
 * Reads the whole body as bytes, or resolves `undefined` as soon as it exceeds `maxBytes` (a
 * declared `Content-Length` over it is refused before anything is read; the rest is left unread
 * and the stream paused).
 */
export function readBodyBytes(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return readBodyThen(req, maxBytes, (bytes) => bytes);
}

/**
 * {@link readBodyBytes}, then `finish` on what it read, in the same turn: one promise per body,
 * settled with `finish`'s value (or rejected with what it throws). A body read in one chunk is
 * passed on as received, without a copy.
 */
export function readBodyThen<T>(
  req: IncomingMessage,
  maxBytes: number,
  finish: (bytes: Buffer | undefined) => T,
): Promise<T> {
  if (Number(req.headers['content-length']) > maxBytes) {
    try {
      return Promise.resolve(finish(undefined));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let size = 0;
    const detach = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const settle = (bytes: Buffer | undefined): void => {
      detach();
      try {
        resolve(finish(bytes));
      } catch (err) {
        reject(err);
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        req.pause();
        settle(undefined);
      } else if (first === undefined) {
        first = chunk;
      } else {
        chunks ??= [first];
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => {
      settle(chunks === undefined ? (first ?? Buffer.alloc(0)) : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      detach();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
