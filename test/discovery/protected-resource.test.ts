import { describe, expect, it } from 'vitest';
import {
  buildProtectedResourceMetadata,
  protectedResourceMetadataUrl,
} from '../../src/discovery/protected-resource.js';

describe('protectedResourceMetadataUrl (RFC 9728 §3.1)', () => {
  it('inserts the well-known suffix between host and path', () => {
    const cases: [string, string][] = [
      [
        'https://mcp.example.com/mcp',
        'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      ],
      [
        'https://mcp.example.com/mcp/',
        'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      ],
      [
        'https://mcp.example.com/mcp///',
        'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      ],
      ['https://mcp.example.com', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
      ['https://mcp.example.com/', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
      [
        'HTTPS://MCP.Example.com:443/a/b',
        'https://mcp.example.com/.well-known/oauth-protected-resource/a/b',
      ],
      [
        'http://127.0.0.1:8080/t/mcp?x=1',
        'http://127.0.0.1:8080/.well-known/oauth-protected-resource/t/mcp?x=1',
      ],
    ];
    for (const [input, expected] of cases)
      expect(protectedResourceMetadataUrl(input), input).toBe(expected);
  });

  it('refuses what is not an absolute http(s) URL without fragment or credentials', () => {
    for (const bad of ['mcp', 'ftp://h/mcp', 'https://h/mcp#x', 'https://u:p@h/mcp', '']) {
      expect(() => protectedResourceMetadataUrl(bad), bad).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
      );
    }
    expect(() => protectedResourceMetadataUrl(42 as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });
});

describe('buildProtectedResourceMetadata', () => {
  it('builds the document with defaults and normalised URLs', () => {
    expect(
      buildProtectedResourceMetadata({
        serverUrl: 'https://mcp.example.com/mcp/',
        authServerPublicUrl: 'https://auth.example.com/',
      }),
    ).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://auth.example.com'],
      scopes_supported: ['read'],
      bearer_methods_supported: ['header'],
    });
  });

  it('adds the optional fields and accepts a list of authorization servers', () => {
    const doc = buildProtectedResourceMetadata({
      serverUrl: 'https://mcp.example.com',
      authorizationServers: ['https://a.example.com/tenant/', 'https://b.example.com'],
      scopes: ['read', 'write', 'read'],
      resourceDocumentation: 'https://docs.example.com',
      resourceName: 'Notes',
    });
    expect(doc).toEqual({
      resource: 'https://mcp.example.com',
      authorization_servers: ['https://a.example.com/tenant', 'https://b.example.com'],
      scopes_supported: ['read', 'write'],
      bearer_methods_supported: ['header'],
      resource_documentation: 'https://docs.example.com',
      resource_name: 'Notes',
    });
    expect(Object.isFrozen(doc)).toBe(true);
  });

  it('does not mutate its input', () => {
    const scopes = ['b', 'a', 'b'];
    const options = { serverUrl: 'https://h/mcp/', authServerPublicUrl: 'https://a/', scopes };
    const copy = structuredClone(options);
    buildProtectedResourceMetadata(options);
    expect(options).toEqual(copy);
  });

  it('refuses bad options with the option name', () => {
    const base = { serverUrl: 'https://h/mcp', authServerPublicUrl: 'https://a' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, serverUrl: 'nope' }, 'serverUrl'],
      [{ serverUrl: 'https://h' }, 'authorizationServers'],
      [{ ...base, authorizationServers: ['https://b'] }, 'authorizationServers'],
      [{ serverUrl: 'https://h', authorizationServers: [] }, 'authorizationServers'],
      [{ ...base, authServerPublicUrl: 'https://a#f' }, 'authServerPublicUrl'],
      [{ ...base, scopes: ['a b'] }, 'scopes'],
      [{ ...base, scopes: 'read' }, 'scopes'],
      [{ ...base, resourceName: '' }, 'resourceName'],
    ];
    for (const [options, name] of cases) {
      expect(() => buildProtectedResourceMetadata(options as never), name).toThrow(TypeError);
      expect(() => buildProtectedResourceMetadata(options as never), name).toThrow(name);
    }
    expect(() => buildProtectedResourceMetadata(null as never)).toThrow(TypeError);
  });
});
