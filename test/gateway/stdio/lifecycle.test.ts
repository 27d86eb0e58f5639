import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type StdioUpstream, startStdioUpstream } from '../../../src/gateway/stdio/upstream.js';
import {
  captureLogger,
  connect,
  EVERYTHING,
  isAlive,
  pidsOf,
  post,
  probe,
  quote,
  textOf,
  waitFor,
} from './_helpers.js';

let upstream: StdioUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

const PING = { jsonrpc: '2.0', id: 9, method: 'ping' };
const sessionHeaders = (sessionId: string) => ({
  'mcp-session-id': sessionId,
  'mcp-protocol-version': '2025-06-18',
});

describe('stdio upstream: process lifecycle', () => {
  it('ends an idle session and stops its process; the session id then answers 404', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: EVERYTHING, idleTimeoutMs: 700, logger });
    const { client, transport } = await connect(upstream.url);
    const [pid] = pidsOf(logger);
    // A call longer than the idle bound is not cut: an open call keeps the session alive.
    const long = await client.callTool({
      name: 'trigger-long-running-operation',
      arguments: { duration: 1.5, steps: 3 },
    });
    expect(textOf(long)).toContain('completed');
    expect(isAlive(pid!)).toBe(true);
    // The client's open GET stream alone does not.
    await waitFor(() => logger.records.some((r) => r.event === 'stdio_session_end'));
    expect(isAlive(pid!)).toBe(false);
    expect(logger.records).toContainEqual(
      expect.objectContaining({ event: 'stdio_session_end', reason: 'idle', session: 1 }),
    );
    const res = await post(upstream.url, PING, sessionHeaders(transport.sessionId!));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { code: -32001, message: 'Session not found' },
    });
    await client.close();
  });

  it('a call the client cancels no longer keeps the session from idling out', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: probe(), idleTimeoutMs: 500, logger });
    const { client } = await connect(upstream.url);
    const [pid] = pidsOf(logger);
    const abort = new AbortController();
    const hanging = client.callTool({ name: 'hang', arguments: {} }, undefined, {
      signal: abort.signal,
    });
    hanging.catch(() => undefined);
    await waitFor(() => logger.records.some((r) => r.line === 'probe: hanging'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(isAlive(pid!)).toBe(true);
    abort.abort();
    await expect(hanging).rejects.toThrow();
    await waitFor(() => !isAlive(pid!));
    await client.close();
  });

  it('drops and logs stdout lines that are not JSON-RPC, without their content', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: probe('--noisy-stdout'), logger });
    const { client } = await connect(upstream.url);
    const seen = JSON.parse(textOf(await client.callTool({ name: 'probe', arguments: {} })));
    expect(seen.argv).toEqual(['--noisy-stdout']);
    const invalid = logger.records.filter((r) => r.event === 'stdio_invalid_message');
    expect(invalid).toEqual([
      { level: 'warn', event: 'stdio_invalid_message', session: 1, length: 20, truncated: false },
      { level: 'warn', event: 'stdio_invalid_message', session: 1, length: 30, truncated: false },
    ]);
    await client.close();
  });

  it('DELETE ends the session and stops its process', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: probe(), logger });
    const { client, transport } = await connect(upstream.url);
    const sessionId = transport.sessionId!;
    const [pid] = pidsOf(logger);
    expect(isAlive(pid!)).toBe(true);
    await transport.terminateSession();
    await waitFor(() => logger.records.some((r) => r.event === 'stdio_session_end'));
    expect(isAlive(pid!)).toBe(false);
    expect(logger.records).toContainEqual(
      expect.objectContaining({ event: 'stdio_session_end', reason: 'deleted' }),
    );
    expect((await post(upstream.url, PING, sessionHeaders(sessionId))).status).toBe(404);
    await client.close();
  });

  it('close() stops every process and the endpoint', async () => {
    const logger = captureLogger();
    const local = await startStdioUpstream({ command: probe(), logger });
    const sessions = await Promise.all([
      connect(local.url),
      connect(local.url),
      connect(local.url),
    ]);
    const pids = pidsOf(logger);
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);
    const hanging = sessions[0]!.client.callTool({ name: 'hang', arguments: {} });
    hanging.catch(() => undefined);
    await waitFor(() => logger.records.some((r) => r.line === 'probe: hanging'));
    await local.close();
    expect(pids.some(isAlive)).toBe(false);
    const ends = logger.records.filter((r) => r.event === 'stdio_session_end');
    expect(ends.map((r) => [r.session, r.reason]).sort()).toEqual([
      [1, 'shutdown'],
      [2, 'shutdown'],
      [3, 'shutdown'],
    ]);
    // The open call got an error instead of hanging forever.
    await expect(hanging).rejects.toThrow(/session ended before the stdio MCP server answered/);
    await expect(fetch(local.url)).rejects.toThrow();
    await local.close();
  });

  it('close() escalates to SIGKILL for a process that ignores SIGTERM', async () => {
    const logger = captureLogger();
    const local = await startStdioUpstream({ command: probe('--ignore-sigterm'), logger });
    await connect(local.url);
    const [pid] = pidsOf(logger);
    const started = Date.now();
    await local.close();
    expect(isAlive(pid!)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(logger.records).toContainEqual(
      expect.objectContaining({ event: 'stdio_stderr', line: 'probe: SIGTERM ignored' }),
    );
  });

  it('stops what a wrapper started too (the whole process group)', async () => {
    const logger = captureLogger();
    const inner = `${probe('--ignore-sigterm')}; echo wrapper-done >&2`;
    const local = await startStdioUpstream({ command: `/bin/sh -c ${quote(inner)}`, logger });
    const { client } = await connect(local.url);
    const seen = JSON.parse(textOf(await client.callTool({ name: 'probe', arguments: {} })));
    const [wrapper] = pidsOf(logger);
    expect(seen.pid).not.toBe(wrapper);
    await local.close();
    expect(isAlive(wrapper!)).toBe(false);
    // Killed with the group; it may take a moment to die (its new parent reaps it, not us).
    await waitFor(() => !isAlive(seen.pid), 1_000);
  });

  it('a crashing process ends its session; the open call gets a JSON-RPC error', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: probe(), logger });
    const { client, transport } = await connect(upstream.url);
    await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining('The stdio MCP server exited before answering'),
    });
    expect(logger.records).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'stdio_process_exit', code: 3 }),
    );
    expect(logger.records).toContainEqual(
      expect.objectContaining({ event: 'stdio_stderr', line: 'probe: about to crash' }),
    );
    await waitFor(() => logger.records.some((r) => r.event === 'stdio_session_end'));
    expect((await post(upstream.url, PING, sessionHeaders(transport.sessionId!))).status).toBe(404);
    // A new session gets a fresh process.
    const again = await connect(upstream.url);
    expect(pidsOf(logger)).toHaveLength(2);
    await Promise.all([client.close(), again.client.close()]);
  });

  it('cuts a long stderr line at the bound and keeps the next one', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: probe(), logger });
    const { client } = await connect(upstream.url);
    await client.callTool({ name: 'stderr', arguments: {} });
    await waitFor(() => logger.records.some((r) => r.line === 'probe: after the long line'));
    const long = logger.records.find((r) => String(r.line).startsWith('xxx'));
    expect(long).toMatchObject({ event: 'stdio_stderr', truncated: true });
    expect(String(long!.line)).toHaveLength(4096);
    await client.close();
  });

  it('never runs the command through a shell: metacharacters reach the process as words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stdio-shell-'));
    const marker = join(dir, 'pwned');
    const command = `${probe()} ; touch ${marker} && echo $(touch ${marker}) | tee ${marker} > ${marker} \`touch ${marker}\` $HOME '*'`;
    upstream = await startStdioUpstream({ command });
    const { client } = await connect(upstream.url);
    const seen = JSON.parse(textOf(await client.callTool({ name: 'probe', arguments: {} })));
    expect(seen.argv).toEqual([
      ';',
      'touch',
      marker,
      '&&',
      'echo',
      `$(touch`,
      `${marker})`,
      '|',
      'tee',
      marker,
      '>',
      marker,
      '`touch',
      `${marker}\``,
      '$HOME',
      '*',
    ]);
    expect(existsSync(marker)).toBe(false);
    await client.close();
  });

  it("runs in the gateway's working directory, or the one given", async () => {
    upstream = await startStdioUpstream({ command: probe() });
    const a = await connect(upstream.url);
    const seen = JSON.parse(textOf(await a.client.callTool({ name: 'probe', arguments: {} })));
    expect(seen.cwd).toBe(process.cwd());
    await upstream.close();
    const dir = mkdtempSync(join(tmpdir(), 'stdio-cwd-'));
    upstream = await startStdioUpstream({ command: probe(), cwd: dir });
    const b = await connect(upstream.url);
    const there = JSON.parse(textOf(await b.client.callTool({ name: 'probe', arguments: {} })));
    expect(there.cwd).toBe(dir);
  });

  it('answers 502 when the program cannot be started, and keeps no session', async () => {
    const logger = captureLogger();
    const command = 'no-such-program-1b7e --flag';
    upstream = await startStdioUpstream({ command, maxSessions: 1, logger });
    await expect(connect(upstream.url)).rejects.toMatchObject({ code: 502 });
    // 502 again, not 503: the failed start released its slot.
    await expect(connect(upstream.url)).rejects.toMatchObject({ code: 502 });
    expect(logger.records).toContainEqual(
      expect.objectContaining({ level: 'error', event: 'stdio_spawn_failed', code: 'ENOENT' }),
    );
  });
});
