import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI from source (as `npm run demo` does) and collects its output. */
function cli(args: readonly string[], timeoutMs = 55_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('mcp-authflow-resource demo', () => {
  it('runs every step end to end and exits 0', { timeout: 60_000 }, async () => {
    const run = await cli(['demo']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    // 1: no token → 401 pointing at the metadata, without an error code.
    expect(out).toMatch(
      /→ 401\n\s+WWW-Authenticate: Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp", scope="read"\n/,
    );
    // 2: the metadata document names the resource.
    expect(out).toMatch(/"resource": "http:\/\/127\.0\.0\.1:\d+\/mcp"/);
    // 3: the SDK client ran the dance and got a token.
    expect(out).toMatch(/AS {2}POST \/token → 200/);
    // 6: step-up refusal.
    expect(out).toMatch(
      /\(tools\/call add_task\) → 403\n\s+WWW-Authenticate: Bearer error="insufficient_scope", [^\n]*scope="read write"/,
    );
    // 7: the write tool with the right token.
    expect(out).toMatch(/result: added task #\d+/);
    // 8: a JWT access token from the second client, verified without introspection.
    expect(out).toMatch(/header: \{"alg":"RS256","typ":"at\+jwt"\}/);
    expect(out).toMatch(/"client_id":"m2m-jwt-client"/);
    expect(out).toContain('✓ list_tasks ran with the JWT');
    expect(out).toContain(
      "✓ no introspection request: the signature was checked with the issuer's JWKS",
    );
    // 9: friction climbs to a block.
    expect(out).toContain('levels: NONE → LOW → MEDIUM → HIGH → BLOCKED');
    expect(out).toMatch(
      /BLOCKED {2}Tool 'delete_task' is temporarily rate-limited\. Blocked: friction/,
    );
    expect(out).toContain('All 9 steps behaved as expected.');
    expect(out).not.toContain('✗');
    // Not a terminal: no colour codes.
    expect(out).not.toContain('\x1b[');
  });

  it('--sdk v2 runs the same steps against an SDK 2.x server', { timeout: 60_000 }, async () => {
    const run = await cli(['demo', '--sdk', 'v2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('server on MCP SDK 2.x');
    expect(run.stdout).toMatch(/\(tools\/call add_task\) → 403\n/);
    expect(run.stdout).toContain('levels: NONE → LOW → MEDIUM → HIGH → BLOCKED');
    expect(run.stdout).toContain('All 9 steps behaved as expected.');
  });

  it('refuses an unknown --sdk with the usage', async () => {
    const run = await cli(['demo', '--sdk', 'v3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid --sdk: v3');
    expect(run.stdout).toBe('');
  });

  it('an unknown command exits non-zero with the usage', async () => {
    const run = await cli(['nonsense']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command: nonsense');
    expect(run.stderr).toContain('Usage: mcp-authflow-resource <command>');
    expect(run.stdout).toBe('');
  });

  it('a bad option of demo exits non-zero with the usage and starts nothing', async () => {
    const badPort = await cli(['demo', '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('Invalid --port: 70000');
    const unknown = await cli(['demo', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: mcp-authflow-resource');
    expect(unknown.stdout).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await cli(['demo', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--serve');
    expect(run.stdout).toContain('--port <n>');
  });
});
