import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packed tarball installed next to ONE MCP SDK line (both are optional peers): everything
// loads, withFriction wraps that line's McpServer, toSdkVerifier maps to that line's errors, and
// the other line's entry fails with a plain "module not found".
let dir: string;
let tarball: string;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000, stdio: 'pipe' });
}

beforeAll(() => {
  if (!existsSync('dist/index.js')) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'authflow-sdk-lines-'));
  const name = npm(['pack', '--silent', '--pack-destination', dir], process.cwd()).trim();
  tarball = join(dir, name.split('\n').at(-1) as string);
}, 120_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function install(line: string, packages: string[], script: string): Record<string, unknown> {
  const cwd = join(dir, line);
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'package.json'), '{"type":"module","private":true}');
  npm(
    ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, 'express@5', ...packages],
    cwd,
  );
  writeFileSync(join(cwd, 'check.mjs'), script);
  const out = execFileSync(process.execPath, ['check.mjs'], { cwd, encoding: 'utf8' });
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
      ['@modelcontextprotocol/sdk@~1.32.2'],
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
      ['@modelcontextprotocol/server@^2.4.0'],
      `import { McpServer, OAuthError } from '@modelcontextprotocol/server';
import { toSdkVerifier } from 'mcp-authflow-resource/sdk-v2';
${common('sdk-v1')}
console.log(JSON.stringify({ ...out, sdkError: err instanceof OAuthError && err.code === 'invalid_token' }));`,
    );
    expect(result).toEqual({ wrapped: true, other: 'ERR_MODULE_NOT_FOUND', sdkError: true });
  }, 120_000);
});
