import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installConsumer, packedPackage } from '../helpers/packed-package.js';

// The packed tarball installed next to ONE MCP SDK line (both are optional peers): everything
// loads, withFriction wraps that line's McpServer, toSdkVerifier maps to that line's errors, and
// the other line's entry fails with a plain "module not found".
let tarball: string;

beforeAll(async () => {
  tarball = (await packedPackage()).tarball;
}, 300_000);

function install(line: string, packages: string[], script: string): Record<string, unknown> {
  const cwd = installConsumer(`sdk-${line}`, tarball, ['express', ...packages]);
  writeFileSync(join(cwd, 'check.mjs'), script);
  const out = execFileSync(process.execPath, ['check.mjs'], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out) as Record<string, unknown>;
}

const common = (other: string) => `
import * as core from 'mcp-authflow-resource';
import 'mcp-authflow-resource/express';
import 'mcp-authflow-resource/node';
const registry = new core.FrictionRegistry({ toolConfigs: { t: { targetRate: 0.05 } } });
const server = core.withFriction(new McpServer({ name: 'x', version: '1' }), registry);
const tool = server.registerTool('t', {}, async () => ({ content: [] }));
const rejected = { verifyAccessToken: async () => {
  throw new core.TokenRejectedError('ERR_TOKEN_INACTIVE', 'no');
} };
const err = await toSdkVerifier(rejected).verifyAccessToken('x').catch((e) => e);
let other = 'loaded';
try { await import('mcp-authflow-resource/${other}'); } catch (e) { other = e.code; }
const authInfo = { token: 't', clientId: 'c', scopes: [] };
await tool.handler({ authInfo, http: { authInfo } });
const recorded = (await registry.getClientStatus('c')) !== undefined;
const out = { wrapped: recorded, other };
`;

describe('one install per MCP SDK line', () => {
  it('SDK 1.x alone', () => {
    const result = install(
      'v1',
      ['@modelcontextprotocol/sdk'],
      `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { toSdkVerifier } from 'mcp-authflow-resource/sdk-v1';
${common('sdk-v2')}
console.log(JSON.stringify({ ...out, sdkError: err instanceof InvalidTokenError }));`,
    );
    expect(result).toEqual({ wrapped: true, other: 'ERR_MODULE_NOT_FOUND', sdkError: true });
  }, 120_000);

  it('SDK 2.x alone', () => {
    const result = install(
      'v2',
      ['@modelcontextprotocol/server'],
      `import { McpServer, OAuthError } from '@modelcontextprotocol/server';
import { toSdkVerifier } from 'mcp-authflow-resource/sdk-v2';
${common('sdk-v1')}
console.log(JSON.stringify({ ...out, sdkError: err instanceof OAuthError && err.code === 'invalid_token' }));`,
    );
    expect(result).toEqual({ wrapped: true, other: 'ERR_MODULE_NOT_FOUND', sdkError: true });
  }, 120_000);
});
