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

describe('request log allow-list: bodies', () => {
  const options = resolveLoggingOptions({ logger: captureLogger(), dangerouslyLogBodies: true });
  const logged = (body: unknown) =>
    JSON.stringify(
      buildRequestLogRecord(
        {
          method: 'POST',
          url: '/mcp',
          status: 200,
          durationMs: 1,
          headers: {},
          clientId: 'c',
          body,
        },
        options,
      ),
    );
  /** Member names nobody has heard of (the JSON-RPC names that are logged are excluded). */
  const unknownName = fc
    .string({ minLength: 1, maxLength: 30 })
    .filter(
      (n) =>
        ![
          'jsonrpc',
          'id',
          'method',
          'params',
          'name',
          'protocolVersion',
          'clientInfo',
          'version',
          'error',
          'code',
        ].includes(n),
    );
  const secret = fc.stringMatching(/^[A-Za-z0-9._~+/-]{25,40}$/);
  const nested = (leaf: fc.Arbitrary<unknown>) =>
    fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(unknownName, tie('node'), { maxKeys: 3 }),
      ),
    })).node;

  it('logs only allow-listed JSON-RPC fields; unknown credentials anywhere are masked (property)', () => {
    fc.assert(
      fc.property(
        secret,
        unknownName,
        unknownName,
        fc.constantFrom('top', 'params', 'arguments', 'meta', 'clientInfo', 'error', 'key'),
        fc.boolean(),
        (credential, field, other, where, batch) => {
          const value = { [other]: credential, list: [credential, { [field]: credential }] };
          const message: Record<string, unknown> = {
            jsonrpc: '2.0',
            id: 7,
            method: 'tools/call',
            params: {
              name: 'delete_task',
              arguments: { title: 'x' },
              _meta: { progressToken: 1 },
              clientInfo: { name: 'probe', version: '1' },
            },
          };
          const params = message.params as Record<string, Record<string, unknown>>;
          if (where === 'top') message[field] = value;
          if (where === 'params') (params as Record<string, unknown>)[field] = credential;
          if (where === 'arguments') params.arguments = { [field]: value };
          if (where === 'meta') params._meta = { [field]: credential };
          if (where === 'clientInfo') params.clientInfo = { name: 'probe', [field]: credential };
          if (where === 'error') message.error = { code: -1, message: credential, data: value };
          if (where === 'key') message[credential] = 1;
          const text = logged(batch ? [message, message] : message);
          expect(text).not.toContain(credential);
          expect(text).toContain('"method":"tools/call"');
          expect(text).toContain('"name":"delete_task"');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON, forms and strings: no value outside the allow-list survives (property)', () => {
    fc.assert(
      fc.property(secret, (credential) => {
        fc.pre(!/^[A-Za-z_][A-Za-z0-9_-]{0,23}$/.test(credential));
        return fc.assert(
          fc.property(nested(fc.constant(credential)), (body) => {
            expect(logged(body)).not.toContain(credential);
          }),
          { numRuns: 20 },
        );
      }),
      { numRuns: 20 },
    );
    expect(logged(`grant_type=x&assertion=abc`)).not.toContain('abc');
    expect(logged({ grant_type: 'client_credentials', dpop_jkt: 'abc' })).not.toContain('abc');
  });

  it('shows what a request is: jsonrpc, id, method, tool name, protocol and client versions', () => {
    const body = {
      jsonrpc: '2.0',
      id: 'req-1',
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        clientInfo: { name: 'probe', version: '1.2.3', title: 'secret title' },
        capabilities: { roots: {} },
      },
    };
    expect(JSON.parse(logged(body)).body).toEqual({
      jsonrpc: '2.0',
      id: 'req-1',
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        clientInfo: { name: 'probe', version: '1.2.3', title: '[REDACTED]' },
        capabilities: '[REDACTED]',
      },
    });
    // A member named like a path or a prototype key is still just a member.
    const forged = JSON.parse('{"params.name":"s3cr3t-value","__proto__":{"method":"x"}}');
    expect(logged(forged)).toContain('"body":{"[REDACTED]":"[REDACTED]","__proto__":"[REDACTED]"}');
    expect(logged({ method: { nested: 'object-value' } })).not.toContain('object-value');
  });
});
