/**
 * The gateway's bin run as its own process from the sources (`node --import tsx src/cli.ts`),
 * as an operator runs it: flags, `AUTHFLOW_*` environment, JSON logs on stderr, signals.
 *
 * @module
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx compiles the sources at start: slow on a loaded machine. */
const START_TIMEOUT_MS = 60_000;

/** A running gateway process. */
export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Every stderr line so far. */
  readonly logs: string[];
  /** Resolves the exit code once the process ended. */
  readonly exited: Promise<number | null>;
  kill(): Promise<void>;
}

/**
 * Starts `mcp-authflow-resource gateway <argv>` (from the sources, or from `compiled`, a built
 * `src/cli.ts`); resolves once it logs `gateway_listening`.
 */
export async function startGatewayProcess(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
  compiled?: string,
): Promise<GatewayProcess> {
  const entry =
    compiled === undefined
      ? ['--import', 'tsx', '--import', './scripts/lua-loader.mjs', 'src/cli.ts']
      : [compiled];
  const child = spawn(process.execPath, [...entry, 'gateway', ...argv], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`gateway did not start: ${logs.join('\n')}`)),
      START_TIMEOUT_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        if (line.includes('"gateway_listening"')) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited ${code}: ${logs.join('\n')}`));
    });
  });
  return {
    child,
    logs,
    exited,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
