import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lacksModernHeaders } from '../../src/http/modern-headers.js';

const META = 'io.modelcontextprotocol/protocolVersion';
const call = (meta?: string, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'x', ...(meta === undefined ? {} : { _meta: { [META]: meta } }), ...extra },
});

describe('2026-07-28 routing header presence', () => {
  it('requires Mcp-Method and Mcp-Name on a modern request (header or envelope)', () => {
    expect(lacksModernHeaders(call('2026-07-28'), {})).toBe(true);
    expect(lacksModernHeaders(call('2026-07-28'), { method: 'tools/call' })).toBe(true);
    expect(
      lacksModernHeaders(call(), { protocolVersion: ' 2026-07-28 ', method: 'tools/call' }),
    ).toBe(true);
    expect(lacksModernHeaders(call('2026-07-28'), { method: 'tools/call', name: 'x' })).toBe(false);
    expect(lacksModernHeaders([call('2027-01-01')], { method: 'tools/call', name: 'x' })).toBe(
      false,
    );
  });

  it('Mcp-Name only where the body carries the mirrored value', () => {
    const list = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/list',
      params: { _meta: { [META]: '2026-07-28' } },
    };
    expect(lacksModernHeaders(list, { method: 'tools/list' })).toBe(false);
    expect(lacksModernHeaders(list, {})).toBe(true);
    const read = {
      jsonrpc: '2.0',
      id: 3,
      method: 'resources/read',
      params: { _meta: { [META]: '2026-07-28' } },
    };
    expect(lacksModernHeaders(read, { method: 'resources/read' })).toBe(false);
  });

  it('never refuses older revisions, notifications, or non-messages', () => {
    expect(lacksModernHeaders(call('2025-11-25'), {})).toBe(false);
    expect(lacksModernHeaders(call(), { protocolVersion: '2025-06-18' })).toBe(false);
    const note = {
      jsonrpc: '2.0',
      method: 'notifications/initialized',
      params: { _meta: { [META]: '2026-07-28' } },
    };
    expect(lacksModernHeaders(note, {})).toBe(false);
    expect(lacksModernHeaders(undefined, { protocolVersion: '2026-07-28' })).toBe(false);
    expect(lacksModernHeaders('text', {})).toBe(false);
    expect(lacksModernHeaders({ method: 'x', id: 1, params: [] }, {})).toBe(false);
  });

  it('any pre-2026 version string never makes a request need headers (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ max: new Date('2026-07-27'), min: new Date('2000-01-01'), noInvalidDate: true }),
        (d) => {
          const v = d.toISOString().slice(0, 10);
          return !lacksModernHeaders(call(v), { protocolVersion: v });
        },
      ),
    );
  });
});
