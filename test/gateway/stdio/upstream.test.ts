import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type StdioUpstream, startStdioUpstream } from '../../../src/gateway/stdio/upstream.js';
import {
  captureLogger,
  connect,
  EVERYTHING,
  INITIALIZE,
  isAlive,
  pidsOf,
  post,
  textOf,
  waitFor,
} from './_helpers.js';

let upstream: StdioUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('stdio upstream: the SDK client against server-everything over stdio', () => {
  it('initializes, lists tools and calls echo and get-sum', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: EVERYTHING, logger });
    expect(upstream.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client, transport } = await connect(upstream.url);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.getServerVersion()?.name).toContain('everything');

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'héllo' } });
    expect(textOf(echo)).toBe('Echo: héllo');
    const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } });
    expect(textOf(sum)).toBe('The sum of 2 and 40 is 42.');
    expect(pidsOf(logger)).toHaveLength(1);
    await client.close();
  });

  it('streams progress notifications while a long call runs, before its result', async () => {
    upstream = await startStdioUpstream({ command: EVERYTHING });
    const { client } = await connect(upstream.url);
    const started = Date.now();
    const seen: { progress: number; atMs: number }[] = [];
    const result = await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1.5, steps: 3 } },
      undefined,
      { onprogress: (p) => seen.push({ progress: p.progress, atMs: Date.now() - started }) },
    );
    const doneAtMs = Date.now() - started;
    expect(textOf(result)).toContain('Steps: 3');
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3]);
    // Unbuffered: the first step (≈ 0.5 s) reached the client long before the result (≈ 1.5 s).
    expect(doneAtMs - seen[0]!.atMs).toBeGreaterThan(600);
    await client.close();
  });

  it('carries a request from the server to the client and its answer back (sampling)', async () => {
    upstream = await startStdioUpstream({ command: EVERYTHING });
    const { client } = await connect(upstream.url, { capabilities: { sampling: {} } });
    const prompts: unknown[] = [];
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      prompts.push(request.params.messages[0]?.content);
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'pong' } };
    });
    const result = await client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'ping' },
    });
    expect(prompts).toEqual([expect.objectContaining({ text: expect.stringContaining('ping') })]);
    expect(textOf(result)).toContain('pong');
    await client.close();
  });

  it('runs one process per session: two clients, two processes, isolated', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: EVERYTHING, logger });
    const a = await connect(upstream.url);
    const b = await connect(upstream.url);
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    const pids = pidsOf(logger);
    expect(new Set(pids).size).toBe(2);
    expect(pids.every(isAlive)).toBe(true);
    const [x, y] = await Promise.all([
      a.client.callTool({ name: 'get-sum', arguments: { a: 1, b: 1 } }),
      b.client.callTool({ name: 'get-sum', arguments: { a: 2, b: 2 } }),
    ]);
    expect([textOf(x), textOf(y)]).toEqual([
      'The sum of 1 and 1 is 2.',
      'The sum of 2 and 2 is 4.',
    ]);
    await a.transport.terminateSession();
    await waitFor(() => !isAlive(pids[0]!));
    expect(isAlive(pids[1]!)).toBe(true);
    await b.client.callTool({ name: 'echo', arguments: { message: 'still here' } });
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('refuses a session beyond maxSessions with 503 and a JSON-RPC error, and spawns nothing', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: EVERYTHING, maxSessions: 1, logger });
    const first = await connect(upstream.url);
    const res = await post(upstream.url, { ...INITIALIZE, id: 'init-2' });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      id: 'init-2',
      error: { code: -32000, message: expect.stringMatching(/too many sessions \(at most 1 /) },
    });
    await expect(connect(upstream.url)).rejects.toMatchObject({ code: 503 });
    expect(pidsOf(logger)).toHaveLength(1);
    expect(logger.records).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'stdio_sessions_full', maxSessions: 1 }),
    );
    // The slot frees when the first session ends.
    await first.transport.terminateSession();
    await waitFor(() => logger.records.some((r) => r.event === 'stdio_session_end'));
    const second = await connect(upstream.url);
    await second.client.close();
    await first.client.close();
  });

  it('hides every AUTHFLOW_* variable from the process and passes the rest', async () => {
    upstream = await startStdioUpstream({
      command: EVERYTHING,
      env: {
        ...process.env,
        AUTHFLOW_SECRET: 'gateway-secret-value',
        AUTHFLOW_CLIENT_SECRET: 'another',
        authflow_lower: 'case does not matter',
        UPSTREAM_VISIBLE: 'yes',
      },
    });
    const { client } = await connect(upstream.url);
    const env = JSON.parse(textOf(await client.callTool({ name: 'get-env', arguments: {} })));
    expect(env.UPSTREAM_VISIBLE).toBe('yes');
    expect(env.PATH).toBe(process.env.PATH);
    expect(Object.keys(env).filter((k) => /^authflow_/i.test(k))).toEqual([]);
    expect(JSON.stringify(env)).not.toContain('gateway-secret-value');
    await client.close();
  });

  it('logs the server stderr line by line, never to the client', async () => {
    const logger = captureLogger();
    upstream = await startStdioUpstream({ command: EVERYTHING, logger });
    const { client } = await connect(upstream.url);
    const [pid] = pidsOf(logger);
    await waitFor(() => logger.records.some((r) => r.event === 'stdio_stderr'));
    expect(logger.records).toContainEqual({
      level: 'info',
      event: 'stdio_stderr',
      session: 1,
      line: 'Starting default (STDIO) server...',
    });
    expect(pid).toBeGreaterThan(0);
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'x' } });
    expect(JSON.stringify(echo)).not.toContain('Starting default');
    await client.close();
  });
});
