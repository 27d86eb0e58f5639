/**
 * Runs a benchmark server in a child process (so the load generator does not share its event
 * loop) and talks to it over IPC: `call(cmd, args)` → the child's answer.
 *
 * @module
 */

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Node flags that run a `.ts` child from the sources (tsx, plus `*.lua` imports as text). */
const TSX = [
  '--import',
  'tsx',
  '--import',
  new URL('../../scripts/lua-loader.mjs', import.meta.url).href,
];

/** A message from parent to child. */
export interface ChildRequest {
  readonly id: number;
  readonly cmd: string;
  readonly args?: unknown;
}

/** A message from child to parent. */
export interface ChildReply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/** A running child with an IPC command channel. */
export interface BenchChild {
  call<T>(cmd: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * Forks `modulePath` (a compiled `.mjs`, or a `.ts` file run through tsx) with an IPC channel. With
 * `BENCH_CPU_PROF_DIR` set, the child writes a V8 CPU profile there when it exits.
 *
 * @param modulePath - Absolute path or file URL of the child entry.
 * @param execArgv - Extra Node flags (e.g. `--expose-gc`).
 */
export function startChild(modulePath: string | URL, execArgv: readonly string[] = []): BenchChild {
  const file = modulePath instanceof URL ? fileURLToPath(modulePath) : modulePath;
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = fork(file, [], {
    execArgv: [...(file.endsWith('.ts') ? TSX : []), ...profile, ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: ChildReply) => {
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error ?? 'child error'));
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`child exited with ${code}`));
    pending.clear();
  });
  return {
    call<T>(cmd: string, args?: unknown): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, args } satisfies ChildRequest);
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ id: 0, cmd: 'exit' } satisfies ChildRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Child side: answers IPC commands with `handlers[cmd](args)`; `exit` runs `onExit` and exits.
 *
 * @param handlers - Command handlers.
 * @param onExit - Cleanup before the process exits.
 */
export function serveCommands(
  handlers: Readonly<Record<string, (args: never) => unknown>>,
  onExit: () => Promise<void> = async () => {},
): void {
  process.on('message', (msg: ChildRequest) => {
    if (msg.cmd === 'exit') {
      void onExit().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[msg.cmd];
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`unknown command ${msg.cmd}`);
        return handler(msg.args as never);
      })
      .then(
        (result) => process.send?.({ id: msg.id, ok: true, result } satisfies ChildReply),
        (err: unknown) =>
          process.send?.({ id: msg.id, ok: false, error: String(err) } satisfies ChildReply),
      );
  });
  process.on('disconnect', () => {
    void onExit().finally(() => process.exit(0));
  });
}
