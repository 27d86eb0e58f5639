/**
 * Forwards one gated request to the upstream MCP endpoint and pipes the answer back, unbuffered:
 * an SSE stream reaches the client event by event. Upstream failures map to 502 (refused,
 * reset, malformed) and 504 (no response headers within the time limit).
 *
 * @module
 */

import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { sendJson } from '../http/node-io.js';
import { keepPassHeaders } from '../http/response-headers.js';
import type { Logger } from '../types.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.js';

/** Where and how to forward. */
export interface ForwardTarget {
  /** The upstream MCP endpoint. */
  readonly url: URL;
  /** `urlToHttpOptions(url)`, derived once ({@link forwardTarget}) rather than per request. */
  readonly options: ReturnType<typeof urlToHttpOptions>;
  /** Longest wait for the upstream's response headers, ms (then 504). */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** The {@link ForwardTarget} of an upstream URL, its request options derived once. */
export function forwardTarget(
  upstreamUrl: string,
  timeoutMs: number,
  logger: Logger,
): ForwardTarget {
  const url = new URL(upstreamUrl);
  return { url, options: urlToHttpOptions(url), timeoutMs, logger };
}

/** What was forwarded: `'ok'`, or the status the gateway answered itself. */
export type ForwardOutcome = 'ok' | 502 | 504;

function gatewayError(res: ServerResponse, status: 502 | 504, description: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(
    res,
    status,
    {},
    {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32603, message: description },
    },
  );
}

/**
 * Sends `req` (with `body` re-encoded when given) to the upstream and streams its response to
 * `res`. Resolves when the exchange is over (response finished, or either side gone). Headers the
 * gate already set on `res` (a fresh `DPoP-Nonce`) win over the upstream's; the
 * `Access-Control-Expose-Headers` lists are merged.
 *
 * @param req - The client's request.
 * @param res - The client's response.
 * @param body - The parsed JSON body the gate checked, or `undefined` (GET, DELETE).
 * @param added - Headers the gateway adds (its upstream credential, the verified identity).
 * @param target - The upstream.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  added: Readonly<Record<string, string>>,
  target: ForwardTarget,
): Promise<ForwardOutcome> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const { url } = target;
  const headers = upstreamRequestHeaders(req.headers, url.host, added, payload?.byteLength);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const upstream = send({ ...target.options, method: req.method, headers });
    const timer = setTimeout(() => {
      target.logger.warn({ event: 'gateway_upstream_timeout', timeoutMs: target.timeoutMs });
      upstream.destroy();
      gatewayError(res, 504, 'The upstream MCP server did not answer in time');
      done(504);
    }, target.timeoutMs);
    upstream.on('response', (answer: IncomingMessage) => {
      clearTimeout(timer);
      const back = clientResponseHeaders(answer.headers);
      res.writeHead(answer.statusCode ?? 502, keepPassHeaders(res, back));
      res.flushHeaders();
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      answer.on('end', () => done('ok'));
      res.on('close', () => {
        answer.destroy();
        done('ok');
      });
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      target.logger.warn({ event: 'gateway_upstream_error', code: err.code ?? err.name });
      gatewayError(res, 502, 'The upstream MCP server cannot be reached');
      done(502);
    });
    // The client left before the upstream answered: stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished && !settled) {
        upstream.destroy();
        done('ok');
      }
    });
    if (payload === undefined) upstream.end();
    else upstream.end(payload);
  });
}
