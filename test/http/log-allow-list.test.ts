/**
 * Issue 11 §4: the request log is an allow-list. Credentials in headers and query parameters the
 * code has never heard of are masked, through the real node:http logging middleware.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRequestLogRecord, resolveLoggingOptions } from '../../src/http/logging.js';
import { createLoggingMiddleware } from '../../src/node.js';
import { captureLogger } from '../helpers/auth-log-capture.js';

const SECRET = `s3cr3t-${randomBytes(12).toString('hex')}`;
const JWT = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.${randomBytes(16).toString('base64url')}`;
const NAMED = [
  'X-Forwarded-Authorization',
  'X-Original-Authorization',
  'X-Authorization',
  'Authentication',
  'DPoP',
  'Cf-Access-Jwt-Assertion',
  'X-Goog-Iap-Jwt-Assertion',
  'Mcp-Session-Id',
];

describe('request log allow-list', () => {
  it('masks the issue headers and query forms through the node:http middleware', async () => {
    const logs = captureLogger();
    const log = createLoggingMiddleware({ logger: logs });
    const server = createServer((req, res) => {
      log(req, res);
      res.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const headers: Record<string, string> = {
      'User-Agent': 'probe/1',
      'Content-Type': 'text/plain',
    };
    for (const name of NAMED) headers[name] = `${SECRET}-${name}`;
    headers[`X-${randomBytes(4).toString('hex')}`] = SECRET;
    headers.Authorization = `Bearer ${JWT}`;
    const path = `/mcp?a=1;jwt=${JWT}&sig=${SECRET}&${JWT}&x=${encodeURIComponent(SECRET)}`;
    await new Promise<void>((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', path, headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    await expect.poll(() => logs.records.length).toBe(1);
    server.close();
    const text = logs.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(JWT);
    expect(text).not.toContain(JWT.split('.')[2]);
    const record = logs.records[0]?.record as { headers: Record<string, string> };
    expect(record.headers['user-agent']).toBe('probe/1');
    expect(record.headers['content-type']).toBe('text/plain');
    expect(record.headers.authorization).toBe('Bearer [REDACTED]');
  });

  it('no header or query value the allow-list does not name is ever logged (property)', () => {
    const options = resolveLoggingOptions({ logger: captureLogger() });
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9._~-]{25,40}$/); // query names of up to 24 plain characters are shown (documented)
    fc.assert(
      fc.property(name, value, name, (header, secret, param) => {
        fc.pre(!['accept', 'host', 'origin', 'connection'].includes(header));
        fc.pre(
          !header.startsWith('mcp-') && !header.startsWith('content-') && !header.startsWith('x-'),
        );
        fc.pre(
          !['user-agent', 'traceparent', 'tracestate', 'last-event-id', 'cache-control'].includes(
            header,
          ),
        );
        const record = buildRequestLogRecord(
          {
            method: 'GET',
            url: `/mcp?${param}=${secret};${secret}=1`,
            status: 200,
            durationMs: 1,
            headers: { [header]: secret },
            clientId: undefined,
          },
          options,
        );
        expect(JSON.stringify(record)).not.toContain(secret);
      }),
    );
  });
});
