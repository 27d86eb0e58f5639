import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neededScopes } from '../../src/http/bearer-hit.js';
import { isUtf8JsonContentType, parseMediaType } from '../../src/http/content-type.js';
import { calledTools } from '../../src/http/json-rpc.js';
import { checkRouting } from '../../src/http/modern-headers.js';
import { headerValues } from '../../src/http/node-io.js';

const message = fc.record(
  {
    jsonrpc: fc.constant('2.0'),
    id: fc.oneof(fc.integer(), fc.string()),
    method: fc.oneof(fc.constantFrom('tools/call', 'tools/list', 'prompts/get'), fc.string()),
    params: fc.oneof(
      fc.record({ name: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);

describe('the fast paths of the gate agree with the general ones', () => {
  it('calledTools of one message = calledTools of a batch of that message', () => {
    fc.assert(
      fc.property(fc.oneof(message, fc.anything()), (m) => {
        expect(calledTools(m)).toEqual(calledTools([m]));
      }),
    );
  });

  it('headerValues = every raw value whose lower-cased name matches', () => {
    const name = fc.oneof(
      fc.constantFrom('Authorization', 'AUTHORIZATION', 'authorization', 'Content-Type', 'X-Auth'),
      fc.string({ unit: 'binary', maxLength: 14 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string())), (pairs) => {
        const req = { rawHeaders: pairs.flat() } as unknown as IncomingMessage;
        for (const wanted of ['authorization', 'content-type']) {
          const expected = pairs.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
          expect(headerValues(req, wanted)).toEqual(expected);
        }
      }),
    );
  });

  it('Content-Type: the plain application/json shortcut answers as the parser does', () => {
    expect(isUtf8JsonContentType(['application/json'])).toBe(true);
    expect(parseMediaType('application/json')?.essence).toBe('application/json');
    expect(isUtf8JsonContentType(['application/json', 'application/json'])).toBe(false);
    expect(isUtf8JsonContentType(['application/json;charset=latin1'])).toBe(false);
  });

  it('neededScopes = required ∪ the scopes of the tools, without duplicates', () => {
    const scope = fc.constantFrom('a', 'b', 'c', 'd');
    const tool = fc.constantFrom('t1', 't2', 't3');
    fc.assert(
      fc.property(
        fc.uniqueArray(scope),
        fc.dictionary(tool, fc.array(scope)),
        fc.array(tool),
        (required, byTool, tools) => {
          const map = new Map(Object.entries(byTool));
          const expected = new Set(required);
          for (const t of tools) for (const s of map.get(t) ?? []) expected.add(s);
          const needed = neededScopes(required, map, tools);
          expect(needed).toEqual([...expected]);
          if (tools.every((t) => (map.get(t) ?? []).length === 0)) expect(needed).toBe(required);
        },
      ),
    );
  });
});

describe('the gate skips the routing check only where it cannot refuse', () => {
  it('no body and no Mcp-Method/Mcp-Name: no tool called, whatever the protocol version', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), (protocolVersion) => {
        expect(checkRouting(undefined, { protocolVersion })).toEqual({ ok: true, tools: [] });
      }),
    );
    expect(checkRouting(undefined, { protocolVersion: '2026-07-28' })).toEqual({
      ok: true,
      tools: [],
    });
  });
});
