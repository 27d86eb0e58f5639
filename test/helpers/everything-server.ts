/**
 * `@modelcontextprotocol/server-everything` (a real MCP server nobody here wrote) as a child
 * process serving Streamable HTTP on 127.0.0.1, plus a free-port helper and a recording hop that
 * shows what reached the upstream.
 *
 * @module
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(
  new URL(
    '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js',
    import.meta.url,
  ),
);

/** A port nothing listens on right now (bound once on 127.0.0.1, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running server-everything. */
export interface EverythingServer {
  readonly url: string;
  readonly child: ChildProcess;
  close(): Promise<void>;
}

/** Starts server-everything over Streamable HTTP; resolves once it listens. */
export async function startEverythingServer(): Promise<EverythingServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`server-everything did not start: ${seen}`)),
      15_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('listening on port')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited ${code}: ${seen}`)));
  });
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** One request that reached the upstream through the recording hop. */
export interface RecordedRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A recording hop in front of an upstream: requests are kept, responses piped unbuffered. */
export interface RecordingHop {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Tool names of every `tools/call` that reached the upstream. */
  toolCalls(): string[];
  close(): Promise<void>;
}

/** Starts a recording hop forwarding to `upstream` (an `http:` MCP endpoint). */
export async function startRecordingHop(upstream: string): Promise<RecordingHop> {
  const target = new URL(upstream);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', headers: req.headers, body: body.toString() });
      const out = request(target, {
        method: req.method,
        headers: { ...req.headers, host: target.host },
      });
      out.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      res.on('close', () => out.destroy());
      out.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    requests,
    toolCalls() {
      return requests.flatMap((r) => {
        try {
          const parsed = JSON.parse(r.body) as { method?: string; params?: { name?: string } };
          return parsed.method === 'tools/call' ? [String(parsed.params?.name)] : [];
        } catch {
          return [];
        }
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
