import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../src/gateway/headers.js';
import { IDENTITY_HEADERS, identityHeaders } from '../../src/gateway/identity.js';

describe('headers across the gateway', () => {
  it('never forwards the client credentials, hop-by-hop or identity headers', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'gateway.example.com',
        authorization: 'Bearer secret-token',
        dpop: 'proof',
        cookie: 'sid=1',
        connection: 'keep-alive, x-drop-me',
        'x-drop-me': '1',
        'transfer-encoding': 'chunked',
        'content-length': '999',
        'x-authflow-subject': 'admin',
        'x-authflow-client-id': 'forged',
        'mcp-session-id': 's-1',
        'mcp-protocol-version': '2025-06-18',
        'last-event-id': '42',
        accept: 'application/json, text/event-stream',
      },
      '127.0.0.1:3001',
      { 'X-Api-Key': 'gateway-key', 'x-authflow-client-id': 'real-client' },
      12,
    );
    expect(out).toEqual({
      host: '127.0.0.1:3001',
      'content-length': '12',
      'mcp-session-id': 's-1',
      'mcp-protocol-version': '2025-06-18',
      'last-event-id': '42',
      accept: 'application/json, text/event-stream',
      'x-api-key': 'gateway-key',
      'x-authflow-client-id': 'real-client',
    });
  });

  it('no client-sent header of a reserved name survives, whatever its case or value', () => {
    const reserved = ['authorization', 'dpop', 'cookie', ...IDENTITY_HEADERS];
    fc.assert(
      fc.property(fc.constantFrom(...reserved), fc.string(), (name, value) => {
        const out = upstreamRequestHeaders({ [name]: value }, 'u', {}, undefined);
        return Object.keys(out).every((k) => k === 'host');
      }),
    );
  });

  it('passes the upstream response headers back except hop-by-hop ones', () => {
    expect(
      clientResponseHeaders({
        'content-type': 'text/event-stream',
        'mcp-session-id': 's-1',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
      }),
    ).toEqual({ 'content-type': 'text/event-stream', 'mcp-session-id': 's-1' });
  });

  it('identity headers carry only plain visible ASCII values', () => {
    const base = { token: 't', clientId: 'c-1', scopes: ['read', 'write'] };
    expect(identityHeaders({ ...base, extra: { subject: 'user-1' } })).toEqual({
      'x-authflow-subject': 'user-1',
      'x-authflow-client-id': 'c-1',
      'x-authflow-scopes': 'read write',
    });
    expect(identityHeaders({ ...base, clientId: 'evil\r\nX-Injected: 1' })).toEqual({
      'x-authflow-scopes': 'read write',
    });
  });
});
