import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StdioUpstream, startStdioUpstream } from '../../../src/gateway/stdio/upstream.js';
import {
  captureLogger,
  connect,
  INITIALIZE,
  isAlive,
  pidsOf,
  post,
  probe,
  waitFor,
} from './_helpers.js';

const logger = captureLogger();
let upstream: StdioUpstream;
beforeAll(async () => {
  upstream = await startStdioUpstream({ command: probe(), maxSessions: 2, logger });
});
afterAll(() => upstream.close());

/** A request with a chosen Host header (fetch does not allow setting it). */
function withHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { host, 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end(JSON.stringify(INITIALIZE));
  });
}

describe('stdio upstream: HTTP edges', () => {
  it('listens on loopback only and refuses a foreign Host (DNS rebinding)', async () => {
    expect(new URL(upstream.url).hostname).toBe('127.0.0.1');
    expect(await withHost(upstream.url, 'evil.example:80')).toBe(403);
    expect(await withHost(upstream.url, `attacker.test:${new URL(upstream.url).port}`)).toBe(403);
    expect(pidsOf(logger)).toEqual([]);
  });

  it('answers 404 for an unknown session id and for another path', async () => {
    const unknown = await post(
      upstream.url,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { 'mcp-session-id': 'no-such-session' },
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32001, message: 'Session not found' },
    });
    expect((await post(upstream.url.replace('/mcp', '/other'), INITIALIZE)).status).toBe(404);
    const gone = await fetch(upstream.url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': 'no-such-session' },
    });
    expect(gone.status).toBe(404);
  });

  it('needs a session id for anything but initialize', async () => {
    const ping = await post(upstream.url, { jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(ping.status).toBe(400);
    expect(await ping.json()).toMatchObject({
      error: { message: /Mcp-Session-Id header is required/ },
    });
    const notification = await post(upstream.url, {
      jsonrpc: '2.0',
      method: 'initialize',
      params: INITIALIZE.params,
    });
    expect(notification.status).toBe(400);
    expect((await fetch(upstream.url, { headers: { accept: 'text/event-stream' } })).status).toBe(
      400,
    );
    expect((await fetch(upstream.url, { method: 'DELETE' })).status).toBe(400);
    const put = await fetch(upstream.url, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
    expect(pidsOf(logger)).toEqual([]);
  });

  it('answers 400 for a body that is not JSON and 413 for one over 4 MiB', async () => {
    const bad = await fetch(upstream.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: -32700 } });
    const huge = {
      ...INITIALIZE,
      params: { ...INITIALIZE.params, pad: 'x'.repeat(4 * 1024 * 1024) },
    };
    expect((await post(upstream.url, huge)).status).toBe(413);
    // Without Content-Length (chunked), the read stops at the bound.
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await fetch(upstream.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(64);
    expect(pidsOf(logger)).toEqual([]);
  });

  it('stops the process when the transport refuses the initialize request (406)', async () => {
    const refused = await post(upstream.url, INITIALIZE, { accept: 'application/json' });
    expect(refused.status).toBe(406);
    await waitFor(() => logger.records.some((r) => r.event === 'stdio_session_end'));
    expect(logger.records).toContainEqual(
      expect.objectContaining({ event: 'stdio_session_end', reason: 'rejected' }),
    );
    expect(isAlive(pidsOf(logger)[0]!)).toBe(false);
    // The slot is free again: two sessions fit under maxSessions = 2.
    const a = await connect(upstream.url);
    const b = await connect(upstream.url);
    await Promise.all([a.transport.terminateSession(), b.transport.terminateSession()]);
  });
});
