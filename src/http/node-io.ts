/**
 * Small `node:http` helpers shared by the Express and `node:http` adapters.
 *
 * @module
 * @internal
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

/** The default body size limit of the `node:http` gate: the SDK transport's own maximum. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The outcome of reading a JSON request body. */
export type JsonBodyResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'too-large' };

/**
 * Every `Authorization` header of the request. Node keeps only the first of repeated
 * `Authorization` headers in `req.headers`, so the raw list is read: a second credential must be
 * refused, not silently ignored.
 */
export function authorizationValues(req: IncomingMessage): string[] | undefined {
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === 'authorization') values.push(raw[i + 1] as string);
  }
  return values.length === 0 ? undefined : values;
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
 * Reads the whole body as UTF-8, or resolves `undefined` as soon as it exceeds `maxBytes` (the
 * rest is left unread and the stream paused, so the socket stays usable for the 413 answer).
 */
function collect(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      req.pause();
      resolve(undefined);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function isJsonRequest(req: IncomingMessage): boolean {
  const type = headerValue(req, 'content-type') ?? '';
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type);
}

/**
 * Reads and parses the JSON body of a POST/PUT/PATCH request with a JSON media type, up to
 * `maxBytes`. Other requests are left unread (`none`), so the next handler can still read them.
 */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<JsonBodyResult> {
  const method = req.method ?? 'GET';
  if (!['POST', 'PUT', 'PATCH'].includes(method) || !isJsonRequest(req)) return { kind: 'none' };
  const declared = Number(headerValue(req, 'content-length') ?? Number.NaN);
  if (declared > maxBytes) return { kind: 'too-large' };
  const text = await collect(req, maxBytes);
  if (text === undefined) return { kind: 'too-large' };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'invalid' };
  }
}
