import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger, LogRecord } from '../../../src/types.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** POSIX single-quoting. */
export const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The real `server-everything`, over stdio, from its installed package (no download). */
export const EVERYTHING = `${quote(process.execPath)} ${quote(
  `${ROOT}node_modules/@modelcontextprotocol/server-everything/dist/index.js`,
)} stdio`;
/** The probe fixture (test/fixtures/stdio-probe-server.mjs), plus extra words. */
export const probe = (...extra: string[]): string =>
  [process.execPath, `${ROOT}test/fixtures/stdio-probe-server.mjs`, ...extra].map(quote).join(' ');

/** A logger that keeps every record with its level. */
export function captureLogger(): Logger & { records: (LogRecord & { level: string })[] } {
  const records: (LogRecord & { level: string })[] = [];
  const keep = (level: string) => (r: LogRecord) => {
    records.push({ level, ...r });
  };
  return {
    records,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

/** The pids of the processes started so far, in order, from the `stdio_session_start` records. */
export const pidsOf = (logger: ReturnType<typeof captureLogger>): number[] =>
  logger.records.filter((r) => r.event === 'stdio_session_start').map((r) => r.pid as number);

/** Whether `pid` runs; a zombie (killed, not yet reaped by its new parent) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `condition` every 25 ms, at most `timeoutMs`; throws when it never holds. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (let waited = 0; waited <= timeoutMs; waited += 25) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition never held');
}

/** The SDK's real client over Streamable HTTP, connected (initialize + initialized). */
export async function connect(
  url: string,
  capabilities: ConstructorParameters<typeof Client>[1] = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'stdio-bridge-test', version: '1.0.0' }, capabilities);
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  if (first?.type !== 'text') throw new Error('no text content');
  return first.text;
}

/** A raw POST of a JSON-RPC body with the headers a Streamable HTTP client sends. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
} as const;
