/**
 * One stdio MCP server process: spawned without a shell, spoken to in newline-delimited JSON-RPC
 * on stdin/stdout, its stderr logged line by line, stopped with SIGTERM then SIGKILL.
 *
 * @module
 * @internal
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#stdio
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../types.js';
import { createLineReader } from './lines.js';

/** The longest JSON-RPC message read from stdout (the SDK's stdio bound). */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** The longest stderr line logged whole; longer lines are cut. */
export const MAX_STDERR_LINE_BYTES = 4096;
/** How long `'close'` (stdio drained) may lag behind `'exit'` before the exit counts anyway. */
const CLOSE_AFTER_EXIT_MS = 500;
/** How often a stopping process group is checked for survivors. */
const GROUP_POLL_MS = 50;

/** How the process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What {@link spawnStdioChild} needs. */
export interface StdioChildOptions {
  readonly argv: readonly [string, ...string[]];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string | undefined;
  readonly logger: Logger;
  /** Added to every log record (`{ session: 3 }`). */
  readonly context: Readonly<Record<string, unknown>>;
}

/** A running stdio server. */
export interface StdioChild {
  readonly pid: number;
  /** Called with every valid JSON-RPC message the server writes to stdout. */
  onmessage: ((message: JSONRPCMessage) => void) | undefined;
  /** Settles once, when the process has exited. */
  readonly exited: Promise<ChildExit>;
  send(message: JSONRPCMessage): void;
  /** Ends stdin and sends SIGTERM; SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(graceMs: number): Promise<void>;
}

// A child gets its own process group on POSIX so that a wrapper (`npx server`, `sh -c`) and
// everything it started are signalled together.
const OWN_GROUP = process.platform !== 'win32';

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (OWN_GROUP) process.kill(-child.pid!, name);
  } catch {
    // ESRCH: the group is already gone.
  }
  child.kill(name);
}

/** Whether any process of the child's group still runs (POSIX only). */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

function watchExit(child: ChildProcess): Promise<ChildExit> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    child.once('exit', (code, sig) => {
      timer = setTimeout(() => resolve({ code, signal: sig }), CLOSE_AFTER_EXIT_MS);
      timer.unref();
    });
    child.once('close', (code: number | null, sig: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ code, signal: sig });
    });
  });
}

function wireOutput(child: ChildProcess, o: StdioChildOptions, handle: StdioChild): void {
  const stdout = createLineReader(MAX_MESSAGE_BYTES, (line, truncated) => {
    if (line.trim() === '') return;
    const parsed = truncated ? undefined : parseMessage(line);
    if (parsed === undefined) {
      o.logger.warn({
        event: 'stdio_invalid_message',
        ...o.context,
        length: line.length,
        truncated,
      });
      return;
    }
    handle.onmessage?.(parsed);
  });
  const stderr = createLineReader(MAX_STDERR_LINE_BYTES, (line, truncated) => {
    o.logger.info({ event: 'stdio_stderr', ...o.context, line, ...(truncated && { truncated }) });
  });
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stdout!.on('end', () => stdout.end());
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stderr!.on('end', () => stderr.end());
  child.stdin!.on('error', (err: NodeJS.ErrnoException) => {
    o.logger.debug({ event: 'stdio_stdin_error', ...o.context, code: err.code });
  });
}

function parseMessage(line: string): JSONRPCMessage | undefined {
  try {
    const result = JSONRPCMessageSchema.safeParse(JSON.parse(line));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Spawns `argv` (never through a shell) and resolves once the process runs.
 *
 * @throws The spawn error (`ENOENT`, `EACCES`, …) when the program cannot be started.
 */
export async function spawnStdioChild(o: StdioChildOptions): Promise<StdioChild> {
  const [program, ...args] = o.argv;
  const child = spawn(program, args, {
    shell: false,
    env: o.env,
    cwd: o.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: OWN_GROUP,
    windowsHide: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  child.on('error', (err: NodeJS.ErrnoException) => {
    o.logger.warn({ event: 'stdio_process_error', ...o.context, code: err.code });
  });
  const exited = watchExit(child);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const handle: StdioChild = {
    pid: child.pid!,
    onmessage: undefined,
    exited,
    send(message) {
      if (!gone && child.stdin!.writable) child.stdin!.write(`${JSON.stringify(message)}\n`);
    },
    async stop(graceMs) {
      const deadline = Date.now() + graceMs;
      if (!gone) child.stdin!.end();
      signal(child, 'SIGTERM');
      const kill = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
      await exited;
      // What a wrapper (`sh -c`, `npx`) started may outlive it: give the group the same grace.
      while (OWN_GROUP && groupAlive(child) && Date.now() < deadline) await delay(GROUP_POLL_MS);
      clearTimeout(kill);
      if (OWN_GROUP && groupAlive(child)) signal(child, 'SIGKILL');
    },
  };
  wireOutput(child, o, handle);
  return handle;
}
