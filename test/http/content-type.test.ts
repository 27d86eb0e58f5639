/** The strict Content-Type reading of the one-parse rule (issue 11 §1). */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { isUtf8JsonContentType, parseMediaType } from '../../src/http/content-type.js';
import { decodeJsonRpcBody, isJsonRpcShape } from '../../src/http/json-rpc-body.js';
import { maskQuery } from '../../src/http/mask.js';

describe('parseMediaType / isUtf8JsonContentType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON ; Charset="UTF-8"', true],
    ['application/json;', true],
    ['application/json; ; charset=utf-8', true],
    ['application/json; q="a\\"b"', true],
    ['\tapplication/json\t', true],
    ['application/json; charset="utf-16"', false],
    ['application/json; q="unterminated', false],
    ['application/json; q="bad\\', false],
    ['application/json; q="caf\u00e9"', false],
    ['application/json; q="a\\\u00e9"', false],
    ['application/json; charset = utf-8', false],
    ['application/json; =x', false],
    ['application/json x', false],
    ['application/', false],
    ['/json', false],
    ['application', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isUtf8JsonContentType([value])).toBe(expected);
  });

  it('keeps quoted values unescaped and refuses a repeated parameter', () => {
    expect(parseMediaType('a/b; x="1\\\\2"')?.parameters.get('x')).toBe('1\\2');
    expect(parseMediaType('a/b; x=1; X=2')).toBeUndefined();
    expect(isUtf8JsonContentType([])).toBe(false);
  });
});

describe('decodeJsonRpcBody', () => {
  it('accepts a batch of messages only', () => {
    const m = { jsonrpc: '2.0', id: 1, method: 'ping' };
    expect(isJsonRpcShape([m, m])).toBe(true);
    expect(isJsonRpcShape([])).toBe(false);
    expect(isJsonRpcShape([m, 1])).toBe(false);
    expect(isJsonRpcShape({ id: 1 })).toBe(false);
    expect(decodeJsonRpcBody(new TextEncoder().encode('[1]'))).toMatchObject({ ok: false });
  });

  it('maskQuery masks a name that does not decode and keeps raw pairs unmasked when off', () => {
    expect(maskQuery('?%E0%A4%A=1', true)).toEqual({ '[REDACTED]': '[REDACTED]' });
    expect(maskQuery('?a=1&a=2&a=3', true)).toEqual({
      a: ['[REDACTED]', '[REDACTED]', '[REDACTED]'],
    });
    expect(maskQuery('?a=1', false)).toEqual({ a: '1' });
  });
});

describe('adapters: bodies the gate cannot read', () => {
  it('Express: a parsed body that is not JSON-RPC is refused with 400 before the handler', async () => {
    const { requireBearerAuth } = await import('../../src/adapters/express/bearer.js');
    const verifier = {
      verifyAccessToken: async (token: string) => ({ token, clientId: 'c', scopes: [] }),
    };
    let ran = false;
    const app = express();
    app.use(express.json());
    app.post('/mcp', requireBearerAuth({ verifier }), (_req, res) => {
      ran = true;
      res.end();
    });
    const res = await request(app).post('/mcp').set('Authorization', 'Bearer t').send({ a: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: -32700 } });
    expect(ran).toBe(false);
  });

  it('fetch: a streamed body over maxBodyBytes is cut off with 413', async () => {
    const { requireBearerAuth } = await import('../../src/adapters/fetch/bearer.js');
    const verifier = {
      verifyAccessToken: async (token: string) => ({ token, clientId: 'c', scopes: [] }),
    };
    const gate = requireBearerAuth({ verifier, maxBodyBytes: 8 });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"jsonrpc":'));
        controller.enqueue(new TextEncoder().encode('"2.0"}'));
        controller.close();
      },
    });
    const req = new Request('https://h/mcp', {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(((await gate(req)) as Response).status).toBe(413);
  });
});
